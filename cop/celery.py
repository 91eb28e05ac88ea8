"""Celery app. Eager (in-process) when REDIS_URL is unset; Redis broker otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop.settings.dev")

app = Celery("cop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
