"""Writing audit entries."""

from spaces.models import Marking, Space

from .context import client_ip, current_ip
from .models import AuditEntry

WITHHELD = "Withheld: OFFICIAL-SENSITIVE"
SYSTEM = "System"
# Where an item's marking and space live when not on the item itself: a post
# is as sensitive as its thread, a version as its document.
PARENTS = ("thread", "document", "post")


def record(
    actor, action, target=None, *, space=None, reason="", detail=None, request=None
):
    """Write one audit entry for `actor` doing `action` to `target`.

    In the caller's transaction, on purpose, and failures are not swallowed:
    the entry is written where the act is (the receivers in audit/receivers.py
    run inside the acting service's atomic block), so the act and its entry
    commit together or roll back together. An audit log that may silently miss
    acts cannot be trusted, and one that records acts that never happened
    misleads; both would follow from writing it after the commit or catching
    its errors. The cost is one INSERT into a table with no unique
    constraints, so it fails only when the database itself is failing, and
    then the act would have failed too.

    The target's and space's names are copied, so the entry reads well after
    they change or go. The audit log is read by staff, who may never read
    OFFICIAL-SENSITIVE material (spaces/access.py), so for a target marked
    OFFICIAL-SENSITIVE (or inside a thread or document that is) the label and
    the reason are withheld. `detail` must hold ids and settings only, never
    free text from the item itself.

    `request` gives the client's IP address; without it, the address of the
    request being served (audit.context) is used, if any.
    """
    target_type, target_id, target_label, sensitive = describe(target)
    if space is None:
        space = space_of(target)
    if sensitive:
        target_label = WITHHELD
        reason = WITHHELD if reason else ""
    return write(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        space=space,
        reason=reason,
        detail=detail,
        ip_address=client_ip(request) if request is not None else current_ip(),
    )


def write(
    *,
    actor,
    action,
    target_type="",
    target_id="",
    target_label="",
    space=None,
    reason="",
    detail=None,
    ip_address=None,
):
    """Write an entry from parts already described (Wagtail's log entries)."""
    actor = actor if getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label(actor),
        action=action[:100],
        target_type=target_type[:100],
        target_id=str(target_id)[:64],
        target_label=target_label[:255],
        space_id=space.pk if space is not None else None,
        space_label=space.name[:150] if space is not None else "",
        reason=reason or "",
        detail=detail or {},
        ip_address=ip_address or current_ip(),
    )


def actor_label(user):
    if user is None:
        return SYSTEM
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    email = getattr(user, "email", "")
    if name and email:
        return f"{name} <{email}>"[:255]
    return (name or email or str(user))[:255]


def _lineage(obj, depth=2):
    """`obj`, then the thread, document or post it belongs to, and so on."""
    yield obj
    if depth == 0:
        return
    for name in PARENTS:
        parent = getattr(obj, name, None)
        if parent is not None and hasattr(parent, "_meta"):
            yield from _lineage(parent, depth - 1)
            return


def is_sensitive(obj):
    for item in _lineage(obj):
        marking = getattr(item, "marking", None)
        if marking is not None:
            return marking == Marking.SENSITIVE
    return False


def space_of(obj):
    if obj is None:
        return None
    for item in _lineage(obj):
        if isinstance(item, Space):
            return item
        space = getattr(item, "space", None)
        if isinstance(space, Space):
            return space
    return None


def label_of(obj):
    thread = getattr(obj, "thread", None)
    if thread is not None and hasattr(thread, "_meta") and obj is not thread:
        # "Post 12 in 7" says little: name the thread.
        return f"{obj._meta.verbose_name.capitalize()} {obj.pk} in “{thread}”"
    return str(obj)


def describe(target):
    """(type, id, label, sensitive) for a model instance, or blanks for None."""
    if target is None:
        return "", "", "", False
    specific = getattr(target, "specific", None)  # a Wagtail page
    if specific is not None and hasattr(specific, "_meta"):
        target = specific
    return (
        target._meta.label_lower,
        str(target.pk),
        label_of(target),
        is_sensitive(target),
    )
