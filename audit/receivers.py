"""Turn the apps' events and logs into audit entries (connected in apps.ready).

Unlike notifications' receivers these do not catch errors: each runs inside
the transaction of the act it records, so a failure rolls the act back
rather than leave it unrecorded (audit.services.record says why).
"""

from django.db.models.signals import post_save
from wagtail.models import ModelLogEntry, Page, PageLogEntry

from . import services

# forums.models.ModerationLog.Action -> our action codes.
MODERATION_ACTIONS = {
    "hide": "forums.post.hide",
    "restore": "forums.post.restore",
    "lock": "forums.thread.lock",
    "unlock": "forums.thread.unlock",
    "move": "forums.thread.move",
    "dismiss": "forums.flag.dismiss",
}
# Wagtail logs a page's creation wherever it happens, including a member
# starting a case study in casestudies' own form: that drafting is the
# member's own work. Submitting it for review is recorded.
DRAFTING = {"wagtail.create", "wagtail.edit"}


def on_acted(
    sender, actor, action, target=None, space=None, reason="", detail=None, **kwargs
):
    """spaces.facilitator_acted, forums.moderator_acted, people.admin_acted."""
    services.record(actor, action, target, space=space, reason=reason, detail=detail)


def on_moderation_logged(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    thread = instance.thread
    detail = {"moderation_log_id": instance.pk}
    if instance.action == "move":
        # forums writes a move into both spaces' logs: record it once, from
        # the row of the space it left (the thread is already in the other).
        if thread is None or thread.space_id == instance.space_id:
            return
        detail.update(
            from_space_id=instance.space_id,
            to_space_id=thread.space_id,
            to_space=thread.space.name,
        )
    services.record(
        instance.actor,
        MODERATION_ACTIONS.get(instance.action, f"forums.{instance.action}"),
        instance.post if instance.post_id else thread,
        space=instance.space,
        reason=instance.reason,
        detail=detail,
    )


def _logged_object(entry):
    """The page or object a Wagtail log entry is about, or None if gone."""
    if isinstance(entry, PageLogEntry):
        # Wagtail's page link has no database constraint: fetch, do not follow.
        page = Page.objects.filter(pk=entry.page_id).first()
        return page.specific if page is not None else None
    model = entry.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=entry.object_id).first()


def on_wagtail_logged(sender, instance, created, raw=False, **kwargs):
    """Mirror Wagtail's log: the editorial workflow and edits in the admin."""
    if not created or raw:
        return
    user = instance.user
    if (
        instance.action in DRAFTING
        and user is not None
        and not user.has_perm("wagtailadmin.access_admin")
    ):
        return
    target = _logged_object(instance)
    content_type = instance.content_type
    sensitive = target is not None and services.is_sensitive(target)
    data = instance.data or {}
    detail = {"wagtail_log": f"{instance._meta.label_lower}:{instance.pk}"}
    if not sensitive:
        # Wagtail's data names revisions and workflow steps; on a rename it
        # holds old and new titles, which are withheld with the label.
        detail["data"] = data
    reason = data.get("comment", "") if isinstance(data, dict) else ""
    services.write(
        actor=user,
        action=instance.action,
        target_type=(
            target._meta.label_lower
            if target is not None
            else f"{content_type.app_label}.{content_type.model}"
        ),
        target_id=instance.object_id,
        target_label=services.WITHHELD if sensitive else instance.label,
        space=services.space_of(target),
        reason=(services.WITHHELD if reason else "") if sensitive else reason,
        detail=detail,
    )


def connect():
    from forums.models import ModerationLog
    from forums.signals import moderator_acted
    from people.signals import admin_acted
    from spaces.signals import facilitator_acted

    for signal, uid in (
        (facilitator_acted, "audit-spaces"),
        (moderator_acted, "audit-forums"),
        (admin_acted, "audit-people"),
    ):
        signal.connect(on_acted, dispatch_uid=uid)
    post_save.connect(
        on_moderation_logged, sender=ModerationLog, dispatch_uid="audit-moderation"
    )
    for model in (PageLogEntry, ModelLogEntry):
        post_save.connect(
            on_wagtail_logged,
            sender=model,
            dispatch_uid=f"audit-wagtail-{model._meta.model_name}",
        )
