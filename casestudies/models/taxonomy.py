"""Controlled vocabularies, loaded from the shared reference files (migration 0002)."""

from django.db import models
from django.utils.text import slugify


class Theme(models.Model):
    """A theme of work. Two levels today (themes.csv), any depth allowed."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)

    @classmethod
    def with_descendants(cls, theme_ids):
        """Ids of the given themes and every theme beneath them (one query)."""
        children = {}
        for pk, parent_id in cls.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, todo = set(), list(theme_ids)
        while todo:
            pk = todo.pop()
            if pk in found:
                continue
            found.add(pk)
            todo.extend(children.get(pk, []))
        return found


class Factor(models.Model):
    """A success factor or barrier (success_factors_and_barriers.csv)."""

    class Kind(models.TextChoices):
        SUCCESS_FACTOR = "success_factor", "Success factor"
        BARRIER = "barrier", "Barrier"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=150)

    class Meta:
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "label"], name="unique_factor")
        ]

    def __str__(self):
        return self.label


class CompactPrinciple(models.Model):
    """A commitment or thing to avoid from the cross-government Compact."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", "Commitment"
        AVOID = "avoid", "Avoid"

    code = models.CharField(max_length=10, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=100)
    meaning = models.CharField(max_length=255)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.label} ({self.code})"
