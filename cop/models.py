"""Project-wide models that belong to no one feature."""

from django.db import models


class QueuedTask(models.Model):
    """A Celery task waiting to reach the broker (the transactional outbox).

    Written in the same transaction as the change that needs the task, so a
    committed change always has its task on record; deleted once the broker
    has accepted it. See cop/outbox.py.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
