"""What search records: members opening a "similar work" suggestion."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SimilarOpened(models.Model):
    """A member writing something new opened an existing item we suggested.

    Each row is a likely duplicate avoided; staff see the count.
    """

    class Kind(models.TextChoices):
        THREAD = "thread", "Discussion"
        CASE_STUDY = "case_study", "Case study"
        SPACE = "space", "Space"
        OTHER = "other", "Other"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # What the member was creating when they opened the suggestion.
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    target_url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "similar work opened"
        verbose_name_plural = "similar work opened"

    def __str__(self):
        return f"{self.user} opened {self.target_url} while writing a {self.kind}"
