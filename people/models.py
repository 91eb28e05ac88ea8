"""Members, their organisations and invitations.

`people` is the base of the app graph: it imports no content app.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

from .reference import GRADE_CHOICES, PROFESSION_CHOICES, REGION_CHOICES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member. Email is the login; there is no username."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self):
        return self.get_full_name() or self.email.split("@")[0]


class OrganisationQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=on)).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=on)
        )


class Organisation(index.Indexed, ClusterableModel):
    class Type(models.TextChoices):
        MINISTERIAL = "ministerial department", "Ministerial department"
        NON_MINISTERIAL = "non-ministerial department", "Non-ministerial department"
        EXECUTIVE_AGENCY = "executive agency", "Executive agency"
        NDPB = "non-departmental public body", "Non-departmental public body"
        UNIT = "unit", "Unit within a department"
        PARLIAMENTARY = "parliamentary body", "Parliamentary body"
        NHS = "NHS body", "NHS body"
        DEVOLVED = "devolved administration", "Devolved administration"
        LOCAL = "local authority", "Local authority"
        MEMBERSHIP = "membership body", "Membership body"
        THIRD_SECTOR = "third sector", "Third sector"
        PRIVATE = "private sector", "Private sector"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    abbreviation = models.CharField(max_length=30, blank=True)
    type = models.CharField(max_length=40, choices=Type.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="The organisation this one replaced, if any.",
    )
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(
        null=True, blank=True, help_text="Leave blank while the organisation exists."
    )
    remit = models.TextField(blank=True)

    objects = OrganisationQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("abbreviation"), FieldPanel("type")],
            heading="Organisation",
        ),
        FieldPanel("remit"),
        MultiFieldPanel(
            [
                FieldPanel("parent"),
                FieldPanel("predecessor"),
                FieldPanel("active_from"),
                FieldPanel("active_to"),
            ],
            heading="Structure and history",
        ),
        InlinePanel(
            "domains",
            heading="Email domains",
            label="Email domain",
            help_text="People with an address at one of these domains may sign up "
            "and are placed in this organisation.",
        ),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("abbreviation", boost=2),
        index.SearchField("remit"),
        index.FilterField("type"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.abbreviation or self.name)[:200] or slugify(
                self.name
            )
            if Organisation.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
                self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    @property
    def short_name(self):
        return self.abbreviation or self.name


class OrganisationDomain(models.Model):
    """An email domain whose owners may sign up as members of `organisation`.

    A domain may be shared (justice.gov.uk serves both MoJ and HMCTS); see
    `people.services.organisation_for_email` for how sign-up chooses.
    """

    organisation = ParentalKey(
        Organisation, on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(max_length=253, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "domain"], name="unique_org_domain"
            )
        ]
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class Visibility(models.TextChoices):
    """Who may see one contact detail on a profile."""

    MEMBERS = "members", "All signed-in members"
    SPACES = "spaces", "Only people who share a space with me"
    NOBODY = "nobody", "Nobody"


class TaggedExpertise(TaggedItemBase):
    """Declared expertise tags: its own through table, so it never mixes with
    document tags (taggit's tag FK gets `people_taggedexpertise_items`)."""

    content_object = models.ForeignKey(
        "Profile", on_delete=models.CASCADE, related_name="expertise_items"
    )


def profile_photo_path(instance, filename):
    return f"profiles/{instance.user_id}/{secrets.token_hex(8)}.jpg"


class ProfileQuerySet(models.QuerySet):
    def listed(self):
        """Profiles the directory shows: active accounts that have not left."""
        return self.filter(user__is_active=True, is_leaver=False)


class Profile(index.Indexed, models.Model):
    """What other members see of a member. Grows with the directory."""

    Visibility = Visibility

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    job_title = models.CharField(max_length=150, blank=True)
    handle = models.SlugField(
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text="Used to @mention this member, e.g. @amara-okafor.",
    )
    is_organisation_admin = models.BooleanField(
        default=False,
        help_text="May invite people to this organisation and keep its members' details.",
    )
    team = models.CharField(max_length=150, blank=True)
    grade = models.CharField(max_length=40, blank=True, choices=GRADE_CHOICES)
    profession = models.CharField(max_length=60, blank=True, choices=PROFESSION_CHOICES)
    area_of_work = models.CharField(
        "area of work",
        max_length=300,
        blank=True,
        help_text="One sentence about what you work on.",
    )
    expertise = TaggableManager(
        "expertise",
        through=TaggedExpertise,
        blank=True,
        related_name="expert_profiles",
        help_text="Topics you know well, separated by commas.",
    )
    happy_to_advise_on = models.CharField(
        "happy to advise on", max_length=300, blank=True
    )
    region = models.CharField(max_length=40, blank=True, choices=REGION_CHOICES)
    languages = models.CharField(
        max_length=200, blank=True, help_text="For example, English, Welsh."
    )
    phone = models.CharField(max_length=40, blank=True)
    email_visibility = models.CharField(
        "who can see your email address",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    phone_visibility = models.CharField(
        "who can see your phone number",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.SPACES,
    )
    photo = models.ImageField(upload_to=profile_photo_path, blank=True)
    last_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Written at most once an hour (people.middleware.LastActiveMiddleware).
    last_active_at = models.DateTimeField(null=True, blank=True)
    is_leaver = models.BooleanField(default=False)
    left_at = models.DateTimeField(null=True, blank=True)
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who took over this member's work when they left.",
    )

    # Everything the directory matches a query against, lowercased and kept
    # in step by save() and people.signals (tags, name, organisation), so a
    # search's WHERE is one LIKE per profile instead of a dozen.
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = ProfileQuerySet.as_manager()

    panels = [
        FieldPanel("user", read_only=True),
        FieldPanel("organisation"),
        FieldPanel("job_title"),
        FieldPanel("team"),
        FieldPanel("grade"),
        FieldPanel("profession"),
        FieldPanel("region"),
        FieldPanel("is_organisation_admin"),
    ]

    # Found by search (docs/search.md); a name change re-indexes the profile
    # (search.receivers.user_saved).
    search_fields = [
        index.RelatedFields(
            "user",
            [
                index.SearchField("first_name"),
                index.SearchField("last_name"),
                index.AutocompleteField("first_name"),
                index.AutocompleteField("last_name"),
            ],
        ),
        index.SearchField("job_title"),
        index.SearchField("team"),
        index.SearchField("area_of_work"),
        index.SearchField("happy_to_advise_on"),
        index.RelatedFields(
            "organisation",
            [index.SearchField("name"), index.SearchField("abbreviation")],
        ),
        index.RelatedFields("expertise", [index.SearchField("name")]),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        indexes = [
            models.Index(fields=["is_leaver", "last_active_at"], name="profile_listed")
        ]

    def __str__(self):
        return str(self.user)

    def save(self, *args, **kwargs):
        if not self.handle and self.user_id:
            self.handle = unique_handle(
                self.user.get_full_name() or self.user.email.split("@")[0]
            )
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:profile", args=[self.handle])

    @property
    def confirmed_on(self):
        """When the details were last confirmed (joining counts as confirming)."""
        return self.last_confirmed_at or self.user.date_joined

    @property
    def needs_confirmation(self):
        days = getattr(settings, "COP_PROFILE_CONFIRM_DAYS", 182)
        return self.confirmed_on < timezone.now() - timedelta(days=days)

    def build_search_text(self, tag_names=None):
        """The lowercased text the directory's WHERE matches (see search_text)."""
        if tag_names is None:
            tag_names = (
                list(self.expertise.values_list("name", flat=True)) if self.pk else []
            )
        organisation = self.organisation
        parts = [
            self.user.get_full_name() if self.user_id else "",
            self.job_title,
            self.team,
            self.area_of_work,
            self.happy_to_advise_on,
            organisation.name if organisation else "",
            organisation.abbreviation if organisation else "",
            self.profession,
            self.grade,
            self.region,
            *tag_names,
        ]
        return " | ".join(" ".join(str(part).lower().split()) for part in parts)


# Paths under /people/ that a handle must never shadow.
RESERVED_HANDLES = {
    "join",
    "invite",
    "invitations",
    "organisations",
    "introductions",
    "me",
    "edit",
    "search",
}


def unique_handle(name):
    base = slugify(name)[:70] or "member"
    handle, n = base, 1
    if handle in RESERVED_HANDLES:
        n, handle = 2, f"{base}-2"
    while Profile.objects.filter(handle=handle).exists():
        n += 1
        handle = f"{base}-{n}"
    return handle


class Follow(models.Model):
    """A member following (or muting) anything: a space, thread, theme,
    organisation or person.

    It lives in `people`, the base app, so that every content app can record
    follows without importing `notifications`, which reads them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    muted = models.BooleanField(
        default=False, help_text="Muted: never notify about this, even if followed."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="unique_follow"
            )
        ]
        # "Who follows this thread?" (notifications fan-out) reads by target.
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="follow_target")
        ]

    def __str__(self):
        return f"{self.user} {'mutes' if self.muted else 'follows'} {self.content_type} {self.object_id}"


class Contribution(models.Model):
    """Something a member did on the platform, for inferred expertise.

    Content apps record these through `people.services.contribution_record`
    (people imports no content app). `space` and `marking` let the access
    policy hide contributions the viewer may not see.
    """

    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", "Wrote a case study"
        CASE_STUDY_CONTACT = "case_study_contact", "Named contact on a case study"
        ACCEPTED_ANSWER = "accepted_answer", "Gave an accepted answer"
        DOCUMENT = "document", "Contributed a document"
        FACILITATION = "facilitation", "Facilitates a space"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributions"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    topics = models.JSONField(
        default=list,
        blank=True,
        help_text="Theme or tag names this shows expertise in.",
    )
    # "|data sharing|shared services|": the topics lowercased, so the
    # directory matches a topic with a plain LIKE instead of casting JSON to
    # text for every row. Kept in step by save().
    topics_key = models.TextField(blank=True, default="", editable=False)
    space = models.ForeignKey(
        "spaces.Space",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    marking = models.CharField(max_length=20, default="official")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "content_type", "object_id"],
                name="unique_contribution",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}: {self.title}"

    def save(self, *args, **kwargs):
        self.topics_key = topics_key(self.topics)
        if (
            kwargs.get("update_fields") is not None
            and "topics" in kwargs["update_fields"]
        ):
            kwargs["update_fields"] = {*kwargs["update_fields"], "topics_key"}
        super().save(*args, **kwargs)


def topics_key(topics):
    """The searchable form of a topic list: "|a|b|", lowercased."""
    names = sorted({" ".join(str(topic).lower().split()) for topic in topics or ()})
    return f"|{'|'.join(names)}|" if names else ""


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.COP_INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A named address invited to join, whatever its domain."""

    email = models.EmailField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations_sent",
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    def get_absolute_url(self):
        return reverse("people:invitation_accept", args=[self.token])

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at


class IntroductionRequest(models.Model):
    """One member asking to be introduced to another, who accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="introductions_sent",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="introductions_received",
    )
    message = models.TextField(max_length=1000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # The daily limit counts by asker and time.
        indexes = [models.Index(fields=["from_user", "created_at"])]

    def __str__(self):
        return f"{self.from_user} asks to meet {self.to_user}"


class OrganisationKeyContact(models.Model):
    """A member named by their organisation's admins as a person to ask."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="key_contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="key_contact_for",
    )
    role = models.CharField(
        "what to contact them about",
        max_length=150,
        help_text="For example, Data sharing agreements, Press enquiries.",
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="unique_key_contact"
            )
        ]

    def __str__(self):
        return f"{self.user} for {self.organisation}: {self.role}"
