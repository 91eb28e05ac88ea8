"""Sending: instant emails and digests, each at most once.

Instant email: the notification row is locked and stamped `emailed_at` in the
same transaction as the send, so a redelivered task sends nothing.

Digest: for each member, `DigestLog(user, period)` is inserted first, under its
unique constraint, in the same transaction that decides to send and sends. A
re-run of the dispatch, or a batch retried after a crash midway, finds the log
rows of everyone already served and sends only to the rest. (The one window
left is a crash between the SMTP server accepting a message and the commit:
that member may get the digest twice, never none.)
"""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from cop.email import render_email

from . import selectors
from .digest import build_contexts, current_period, parse_period
from .emails import absolute, send_with_unsubscribe
from .models import Delivery, DigestLog, Kind, Notification, Preference
from .services import deliveries_for

logger = logging.getLogger(__name__)

DIGEST_TEMPLATE = "notifications/email/digest"
NOTIFICATION_TEMPLATE = "notifications/email/notification"


# --- instant emails --------------------------------------------------------------


@transaction.atomic
def notification_email_send(*, notification_id, connection=None):
    """Email one notification now if its member still wants it. True if sent."""
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .filter(pk=notification_id)
        .select_related("recipient", "space")
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    user = notification.recipient
    if not user.is_active:
        return False
    # Preferences are honoured at once: read them again at send time.
    if deliveries_for([user.pk], notification.kind)[user.pk] != Delivery.INSTANT:
        return False
    send_with_unsubscribe(
        NOTIFICATION_TEMPLATE,
        user=user,
        kind=notification.kind,
        context={"notification": notification, "url": absolute(notification.url)},
        connection=connection,
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


# --- digests ------------------------------------------------------------------------


def due_member_ids(period):
    """Active members without a digest decided for `period` who want one."""
    parse_period(period)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk__in=DigestLog.objects.filter(period=period).values("user_id"))
        .exclude(
            pk__in=Preference.objects.filter(
                kind=Kind.DIGEST, delivery=Delivery.OFF
            ).values("user_id")
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_batches(*, period=None, batch_size=None):
    """Yield (user_ids, period) batches of the members due."""
    from django.conf import settings

    period = period or current_period()
    size = batch_size or settings.COP_DIGEST_BATCH_SIZE
    batch = []
    for uid in due_member_ids(period).iterator(chunk_size=2000):
        batch.append(uid)
        if len(batch) >= size:
            yield batch, period
            batch = []
    if batch:
        yield batch, period


def digest_send_batch(*, user_ids, period, connection=None):
    """Build and send the digests for a batch; safe to run again.

    Returns counts: sent, skipped (too little), already (decided earlier),
    refused (digest off), missing (deactivated or unknown: nothing sent).
    """
    parse_period(period)
    user_ids = list(dict.fromkeys(int(uid) for uid in user_ids))
    refusers = selectors.digest_refusers(user_ids)
    already = set(
        DigestLog.objects.filter(user_id__in=user_ids, period=period).values_list(
            "user_id", flat=True
        )
    )
    todo = [uid for uid in user_ids if uid not in refusers and uid not in already]
    digests = build_contexts(todo, period=period)
    counts = {
        "sent": 0,
        "skipped": 0,
        "already": len(already),
        "refused": len(refusers - already),
        "missing": len([uid for uid in todo if uid not in digests]),
    }
    if not digests:
        return counts
    connection = connection or get_connection()
    with connection:
        for uid in todo:
            digest = digests.get(uid)
            if digest is not None:
                counts[_digest_send_one(digest, connection)] += 1
    return counts


def _digest_send_one(digest, connection):
    """Insert the log row first, then send, in one transaction.

    The INSERT is the lock: a second worker with the same member blocks on
    the unique index until the first commits, then fails with IntegrityError
    and sends nothing. One INSERT and a COMMIT per member, no SELECT.
    """
    worth = digest.worth_sending()
    try:
        with transaction.atomic():
            DigestLog.objects.create(
                user_id=digest.user.pk,
                period=digest.period,
                status=DigestLog.Status.SENT if worth else DigestLog.Status.SKIPPED,
                item_count=digest.item_count,
            )
            if worth:
                # Sent inside the transaction: if sending fails the log row
                # goes too, and a retry sends it.
                digest_email_send(digest, connection=connection)
    except IntegrityError:
        return "already"
    return "sent" if worth else "skipped"


def digest_email_send(digest, *, connection=None):
    return send_with_unsubscribe(
        DIGEST_TEMPLATE,
        user=digest.user,
        kind=Kind.DIGEST,
        context=digest.context(),
        connection=connection,
    )


def digest_render(digest):
    """(subject, text, html) as the member would get them."""
    from .emails import footer_context

    context = {
        **digest.context(),
        **footer_context(digest.user.pk, Kind.DIGEST),
        "recipient": digest.user,
    }
    return render_email(DIGEST_TEMPLATE, context)
