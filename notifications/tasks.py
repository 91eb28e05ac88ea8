"""Celery tasks: instant emails and the weekly digest. Thin: the work is in
`delivery`. Tasks take ids, never model instances, and are idempotent, so
`acks_late` redelivery after a worker dies sends nothing twice."""

from celery import shared_task
from django.conf import settings

from . import delivery


@shared_task(
    name="notifications.tasks.send_notification_email",
    acks_late=True,
    ignore_result=True,
)
def send_notification_email(notification_id):
    delivery.notification_email_send(notification_id=notification_id)


@shared_task(
    name="notifications.tasks.digest_dispatch",
    acks_late=True,
    ignore_result=True,
    time_limit=settings.COP_DIGEST_TASK_TIME_LIMIT,
)
def digest_dispatch(period=None):
    """Beat: enqueue batches of the members due a digest this period."""
    for user_ids, batch_period in delivery.digest_batches(period=period):
        digest_send_batch.delay(user_ids, batch_period)


@shared_task(
    name="notifications.tasks.digest_send_batch",
    acks_late=True,
    ignore_result=True,
    time_limit=settings.COP_DIGEST_TASK_TIME_LIMIT,
)
def digest_send_batch(user_ids, period):
    return delivery.digest_send_batch(user_ids=list(user_ids), period=period)
