"""The transactional outbox: background work is never lost while Redis is down.

`enqueue(task, *args)` records the task in the database inside the caller's
transaction, and hands it to Celery when that transaction commits. If the
broker refuses (Redis down, a network blip), the row stays and
`cop.outbox_flush`, which beat runs every 30 seconds and every worker runs
when it starts, sends it later. A process that dies between commit and send
leaves its row behind for the same sweep.

Delivery is at least once: a sweep may resend a task whose first send
succeeded just before its row was deleted. Every task sent this way takes
ids and is idempotent (notifications.tasks, search.tasks), so a repeat does
nothing twice.

With eager Celery (the embedded default, no broker) tasks run in-process on
commit and nothing can be lost in transit, so no row is written.
"""

import datetime
import logging

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

# A row younger than this is still being sent by the request that wrote it.
GRACE = datetime.timedelta(seconds=20)


def enqueue(task, *args):
    """Run Celery `task(*args)` after the current transaction commits, durably."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: task.delay(*args))
        return
    from .models import QueuedTask

    row = QueuedTask.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: _send(row.pk, task.name, list(args)))


def _send(pk, name, args):
    from .models import QueuedTask

    try:
        current_app.send_task(name, args=args, retry=False)
    except Exception as exc:  # noqa: BLE001 (any broker failure: keep the row)
        QueuedTask.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:300]
        )
        logger.warning("outbox: %s kept for retry (%s)", name, exc)
        return False
    QueuedTask.objects.filter(pk=pk).delete()
    return True


def flush(*, limit=500, grace=GRACE):
    """Send queued tasks older than `grace`; returns (sent, still queued)."""
    from .models import QueuedTask

    sent = 0
    cutoff = timezone.now() - grace
    with transaction.atomic():
        rows = list(
            QueuedTask.objects.select_for_update(skip_locked=True)
            .filter(created_at__lte=cutoff)
            .order_by("pk")[:limit]
        )
        for row in rows:
            if not _send(row.pk, row.task, row.args):
                break  # the broker is still away: try again next sweep
            sent += 1
    return sent, QueuedTask.objects.count()


def backlog():
    """What /healthz reports: how many tasks wait, and the oldest's age."""
    from .models import QueuedTask

    oldest = (
        QueuedTask.objects.order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if oldest is None:
        return {"status": "ok", "queued": 0}
    age = (timezone.now() - oldest).total_seconds()
    return {
        "status": "ok" if age < 120 else "backlog",
        "queued": QueuedTask.objects.count(),
        "oldest_seconds": round(age),
    }
