"""Project-wide Celery tasks."""

from celery import shared_task
from celery.signals import worker_ready

from . import outbox


@shared_task(name="cop.outbox_flush", ignore_result=True)
def outbox_flush():
    sent, queued = outbox.flush()
    return {"sent": sent, "queued": queued}


@worker_ready.connect
def flush_on_start(sender=None, **kwargs):
    """A worker that starts (after an outage, a deploy) sends the backlog."""
    outbox_flush.delay()
