"""Writes for notifications: create them, mark them read, change preferences.

Side effects (the live bell, instant emails) run on commit, so nothing is
pushed or sent for a notification that was rolled back.
"""

import logging
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cop import outbox
from spaces import access

from .consumers import user_group
from .models import (
    ALLOWED_DELIVERY,
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    Notification,
    Preference,
)

logger = logging.getLogger(__name__)


# --- preferences ---------------------------------------------------------------


def deliveries_for(user_ids, kind):
    """{user_id: delivery} for `kind`, defaults filled in. One query."""
    user_ids = list(user_ids)
    chosen = dict(
        Preference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    default = DEFAULT_DELIVERY[kind]
    return {uid: chosen.get(uid, default) for uid in user_ids}


def preferences_of(user):
    """{kind: delivery} for every kind, defaults filled in. One query."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind}


@transaction.atomic
def preference_set(*, user, kind, delivery):
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of notification: {kind!r}.")
    if delivery not in ALLOWED_DELIVERY[kind]:
        raise ValueError(f"{delivery!r} is not a choice for {kind!r}.")
    Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )


@transaction.atomic
def preferences_update(*, user, choices):
    """Set several kinds at once; refuses the lot if any choice is invalid."""
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in ALLOWED_DELIVERY[kind]:
            raise ValueError(f"{delivery!r} is not a choice for {kind!r}.")
    for kind, delivery in choices.items():
        preference_set(user=user, kind=kind, delivery=delivery)


# --- creating notifications -------------------------------------------------------


@dataclass
class Event:
    """What happened, described once; `notify` writes it for each recipient."""

    kind: str
    title: str
    url: str = ""
    actor: object = None
    target: object = None  # anything with optional `space` and `marking`
    space: object = None
    redacted_title: str = ""  # what recipients who may not read it see


def _sensitive(obj):
    return getattr(obj, "marking", None) == access.Marking.SENSITIVE


def _redacted_title(event):
    if event.redacted_title:
        return event.redacted_title
    if event.space is not None:
        return f"Something new in {event.space.name}: sign in to read it"
    return "Something new on Joined Up: sign in to read it"


@transaction.atomic
def notify(*, event, recipients):
    """Write `event` for each recipient whose preference is not "off".

    Recipients who may not know the space exists get nothing; those who may
    not read the item get a title that says only that there is something new.
    Returns the notifications created.
    """
    recipients = {user.pk: user for user in recipients if user and user.is_active}
    if event.actor is not None:
        recipients.pop(event.actor.pk, None)
    if not recipients:
        return []
    deliveries = deliveries_for(recipients, event.kind)
    # Only saved model instances can be a generic target; anything else is
    # described by its title and URL alone.
    has_row = event.target is not None and hasattr(event.target, "_meta")
    target_type = ContentType.objects.get_for_model(event.target) if has_row else None
    # One query answers every recipient's membership (can_view_space and
    # redacted_for below then cost nothing), however many followers there are.
    space = event.space
    if space is None and event.target is not None:
        space = getattr(event.target, "space", None)
    access.prime_memberships(recipients.values(), [space])
    rows = []
    now = timezone.now()
    for uid, user in recipients.items():
        if deliveries[uid] == Delivery.OFF:
            continue
        if event.space is not None and not access.can_view_space(user, event.space):
            continue  # a secret space's news never reaches non-members
        redacted = event.target is not None and access.redacted_for(user, event.target)
        rows.append(
            Notification(
                recipient=user,
                kind=event.kind,
                actor=event.actor,
                target_type=target_type,
                target_id=event.target.pk if has_row else None,
                space=event.space,
                title=(_redacted_title(event) if redacted else event.title)[:300],
                url=event.url[:500],
                is_sensitive=redacted or _sensitive(event.target),
                created_at=now,
            )
        )
    created = Notification.objects.bulk_create(rows)
    # SQLite and PostgreSQL both return primary keys from bulk_create.
    instant = [n.pk for n in created if deliveries[n.recipient_id] == Delivery.INSTANT]
    pushes = [(n.recipient_id, _item(n)) for n in created]
    transaction.on_commit(lambda: push_unread(pushes))
    if instant:
        _enqueue_instant(instant)  # through the outbox: sent on commit
    return created


def _enqueue_instant(ids):
    from .tasks import send_notification_email

    for pk in ids:
        outbox.enqueue(send_notification_email, pk)


def _item(notification):
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "url": notification.url,
    }


# --- the live bell --------------------------------------------------------------


def unread_counts(user_ids):
    """{user_id: unread count}, one query (index notif_recipient_read)."""
    counts = dict(
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )
    return {uid: counts.get(uid, 0) for uid in user_ids}


def push_unread(pushes):
    """Send each member their new unread count (and the newest item) live.

    `pushes` is a list of (user_id, item or None). A channel layer that is
    down must not break the request that caused the notification.
    """
    if not pushes:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    latest = {}
    for uid, item in pushes:
        latest[uid] = item
    counts = unread_counts(list(latest))
    for uid, item in latest.items():
        payload = {"unread": counts[uid]}
        if item:
            payload["item"] = item
        try:
            async_to_sync(layer.group_send)(
                user_group(uid), {"type": "notify", "payload": payload}
            )
        except Exception:  # the page still shows the right count on reload
            logger.warning("could not push the unread count to %s", uid, exc_info=True)


# --- reading ---------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification_id):
    """Mark one of `user`'s notifications read. DoesNotExist for anyone else's."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: push_unread([(user.pk, None)]))
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user):
    count = Notification.objects.for_user(user).unread().update(read_at=timezone.now())
    if count:
        transaction.on_commit(lambda: push_unread([(user.pk, None)]))
    return count
