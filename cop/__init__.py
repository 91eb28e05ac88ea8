"""Joined Up: a community-of-practice platform for people who work across government."""

from .celery import app as celery_app

__all__ = ("celery_app",)
