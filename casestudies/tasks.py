"""Celery tasks for case studies. Treat each task as an API: arguments are
plain values and reruns are safe."""

from celery import shared_task
from django.conf import settings


@shared_task(name="casestudies.send_review_reminders")
def send_review_reminders():
    """Email owners whose case studies passed their review-by date (once per date)."""
    from .services import review_reminders_send

    return review_reminders_send(base_url=settings.WAGTAILADMIN_BASE_URL)
