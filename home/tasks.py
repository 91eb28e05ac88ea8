"""Periodic housekeeping that proves the Celery worker and beat are alive."""

import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "cop:celery:heartbeat"


@shared_task(name="home.heartbeat", ignore_result=True)
def heartbeat():
    # Beat schedules this every minute; /healthz reports how long ago it ran.
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
