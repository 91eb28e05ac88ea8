"""Spaces: where a community, project or council keeps its members and material.

Who may see what is answered only by `spaces.access`; models here hold data.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index


class Marking(models.TextChoices):
    """Government Security Classifications handling markings we allow."""

    OFFICIAL = "official", "OFFICIAL"
    SENSITIVE = "official-sensitive", "OFFICIAL-SENSITIVE"

    @classmethod
    def rank(cls, value):
        return [cls.OFFICIAL, cls.SENSITIVE].index(value)


class Space(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", "Community of practice"
        PROJECT = "project", "Project"
        COUNCIL = "council", "Council"
        NETWORK = "network", "Network"

    class Visibility(models.TextChoices):
        OPEN = "open", "Open: any member can see it and join"
        CLOSED = "closed", "Closed: anyone can see it; people ask to join"
        SECRET = "secret", "Secret: only its members know it exists"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True, blank=True)
    purpose = models.TextField(
        max_length=2000, help_text="What this space is for, in a sentence or two."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMUNITY)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.OPEN
    )
    ceiling = models.CharField(
        "handling ceiling",
        max_length=20,
        choices=Marking.choices,
        default=Marking.OFFICIAL,
        help_text="The highest marking anything in this space may carry.",
    )
    lead_organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.PROTECT,
        related_name="spaces_led",
    )
    organisations = models.ManyToManyField(
        "people.Organisation",
        through="SpaceOrganisation",
        related_name="spaces",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="spaces_created",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    archived = models.BooleanField(default=False)

    # Project charter (shown for every kind, asked for on projects).
    charter_outputs = models.TextField("outputs", blank=True)
    charter_timescale = models.CharField("timescale", max_length=200, blank=True)
    charter_benefits = models.TextField("benefits", blank=True)

    # Found by search (docs/search.md); who sees it is spaces.access's answer.
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("purpose"),
        index.SearchField("charter_outputs"),
        index.SearchField("charter_benefits"),
        index.FilterField("id"),
        index.FilterField("visibility"),
        index.FilterField("archived"),
    ]

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["visibility", "kind"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name)[:140] or "space"
            slug, n = base, 1
            while Space.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("spaces:detail", args=[self.slug])

    def clean(self):
        # Lowering the ceiling must not leave items marked above it: any
        # model with a `space` key and a `marking` (documents, and threads or
        # whatever else plugs into the access policy). Here rather than in a
        # service so the Wagtail admin's form checks it too.
        if not self.pk or self.ceiling != Marking.OFFICIAL:
            return
        found = []
        for relation in self._meta.related_objects:
            model = relation.related_model
            if relation.field.name != "space" or not any(
                field.name == "marking" for field in model._meta.fields
            ):
                continue
            count = model._default_manager.filter(
                space=self, marking=Marking.SENSITIVE
            ).count()
            if count:
                name = model._meta.verbose_name
                found.append(
                    (count, name if count == 1 else model._meta.verbose_name_plural)
                )
        if found:
            total = sum(count for count, _ in found)
            items = " and ".join(f"{count} {name}" for count, name in found)
            raise ValidationError(
                {
                    "ceiling": f"{items} in this space {'is' if total == 1 else 'are'} "
                    "marked OFFICIAL-SENSITIVE. Change or remove them before "
                    "lowering the ceiling."
                }
            )

    @property
    def is_sensitive(self):
        return self.ceiling == Marking.SENSITIVE

    def allowed_markings(self):
        top = Marking.rank(self.ceiling)
        return [m for m in Marking if Marking.rank(m) <= top]


class SpaceOrganisation(models.Model):
    """An organisation taking part in a space, with its charter role."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(
        max_length=300, blank=True, help_text="What this organisation brings."
    )
    benefits = models.CharField(
        max_length=300, blank=True, help_text="What this organisation gets from it."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "organisation"], name="unique_space_organisation"
            )
        ]
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.organisation} in {self.space}"


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        FACILITATOR = "facilitator", "Facilitator"
        MEMBER = "member", "Member"

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="unique_membership")
        ]
        indexes = [models.Index(fields=["user", "space"])]
        ordering = ["joined_at"]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.space}"

    @property
    def can_facilitate(self):
        return self.role in (self.Role.OWNER, self.Role.FACILITATOR)


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a facilitator"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.user} asks to join {self.space}"


def _token():
    return secrets.token_urlsafe(32)


def _space_invitation_expiry():
    return timezone.now() + timedelta(days=settings.COP_INVITATION_DAYS)


class SpaceInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        )


class SpaceInvitation(models.Model):
    """An email address invited into a space, member or not yet."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_space_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    objects = SpaceInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} invited to {self.space}"

    def get_absolute_url(self):
        return reverse("spaces:invitation", args=[self.token])

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at


class Action(models.Model):
    """A line in a space's action log."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in-progress", "In progress"
        DONE = "done", "Done"

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_owned",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]

    def __str__(self):
        return self.description

    @property
    def is_overdue(self):
        return bool(
            self.due_date
            and self.status != self.Status.DONE
            and self.due_date < timezone.localdate()
        )


class Folder(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="folders")
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "parent", "name"], name="unique_folder_name"
            )
        ]

    def __str__(self):
        return self.name


class TaggedDocument(TaggedItemBase):
    content_object = models.ForeignKey(
        "Document", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Document(index.Indexed, models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="documents")
    folder = models.ForeignKey(
        Folder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)
    marking = models.CharField(
        max_length=20, choices=Marking.choices, default=Marking.OFFICIAL
    )
    tags = TaggableManager(
        through=TaggedDocument, blank=True, related_name="space_documents"
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="documents_created",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Text pulled from the current file, for search.
    extracted_text = models.TextField(blank=True, editable=False)

    # Found by search, with the text of the file (search/extract.py).
    search_fields = [
        index.SearchField("title"),
        index.SearchField("description"),
        index.SearchField("extracted_text"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("id"),
        index.FilterField("space"),
        index.FilterField("marking"),
    ]

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["space", "-updated_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("spaces:document", args=[self.space.slug, self.pk])

    @property
    def is_sensitive(self):
        return self.marking == Marking.SENSITIVE


def version_upload_to(instance, filename):
    # Random, unguessable names; the original name is kept on the row.
    return f"documents/{instance.document.space_id}/{uuid.uuid4().hex}"


def private_storage():
    """Files here are never served directly: only through access-checked views."""
    return storages["private"]


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_upload_to, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="document_versions",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="unique_document_version"
            )
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def get_download_url(self):
        return reverse(
            "spaces:download",
            args=[self.document.space.slug, self.document_id, self.number],
        )


class DocumentAccess(models.Model):
    """Every download, for the space's facilitators to read."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="accesses"
    )
    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["document", "-at"])]

    def __str__(self):
        return f"{self.user} downloaded {self.version}"


class DocumentComment(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=5000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment by {self.author} on {self.document}"
