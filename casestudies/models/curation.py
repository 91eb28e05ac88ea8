"""What editors curate and what members record about case studies.

Kept out of the page models on purpose: page fields are copied into every
revision, so state written outside the editing flow (reminders sent,
adoptions) would be overwritten when an editor publishes an older draft.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.models import Orderable

NOTE_MAX = 500


class CuratedCollection(ClusterableModel):
    """A named, ordered list of case studies and lessons for the home page."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)
    show_on_home_page = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers show first on the home page."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("show_on_home_page"),
        FieldPanel("sort_order"),
        InlinePanel("items", heading="Items", label="Item"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "collection"

    def __str__(self):
        return self.name


class CuratedCollectionItem(Orderable):
    collection = ParentalKey(
        CuratedCollection, on_delete=models.CASCADE, related_name="items"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )

    panels = [
        PageChooserPanel(
            "page", ["casestudies.CaseStudyPage", "casestudies.LessonPage"]
        )
    ]


class Adoption(models.Model):
    """ "My organisation reused this": one row per organisation per case study."""

    page = models.ForeignKey(
        "casestudies.CaseStudyPage", on_delete=models.CASCADE, related_name="adoptions"
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="adoptions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=NOTE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "organisation"], name="unique_adoption"
            )
        ]

    def __str__(self):
        return f"{self.organisation} reused {self.page_id}"


class ReviewReminder(models.Model):
    """The reminder sent for one review-by date: makes the task idempotent."""

    page = models.ForeignKey(
        "casestudies.CaseStudyPage", on_delete=models.CASCADE, related_name="+"
    )
    review_by = models.DateField()
    reminded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "review_by"], name="unique_review_reminder"
            )
        ]

    def __str__(self):
        return f"Reminder for {self.page_id} due {self.review_by}"
