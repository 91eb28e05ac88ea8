"""In-app notifications, what each member wants to hear about, and digest records.

Follows live in `people.Follow` (the base app) so content apps can record them;
this app only reads them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    """Kinds of event a member can choose how to hear about."""

    MENTION = "mention", "Someone mentions me"
    REPLY = "reply", "Replies in threads I started or follow"
    ANSWER = "answer", "My answer is accepted"
    NEW_IN_FOLLOWED_SPACE = (
        "new_in_followed_space",
        "New documents in spaces I follow",
    )
    CASE_STUDY_REVIEW = "case_study_review", "Reviews of my case studies"
    JOIN_REQUEST = "join_request", "Requests to join spaces I facilitate"
    NEW_MEMBER = "new_member", "New members in spaces I facilitate"
    DIGEST = "digest", "The weekly digest"


class Delivery(models.TextChoices):
    INSTANT = "instant", "Email me straight away"
    DIGEST = "digest", "Put it in my weekly digest"
    IN_APP = "in_app", "Only show it on Joined Up"
    OFF = "off", "Do not tell me"


# Mentions and accepted answers matter now; everything else can wait a week.
DEFAULT_DELIVERY = {
    Kind.MENTION: Delivery.INSTANT,
    Kind.ANSWER: Delivery.INSTANT,
    Kind.REPLY: Delivery.DIGEST,
    Kind.NEW_IN_FOLLOWED_SPACE: Delivery.DIGEST,
    Kind.CASE_STUDY_REVIEW: Delivery.DIGEST,
    # Someone is waiting for an answer, but a week is not too long.
    Kind.JOIN_REQUEST: Delivery.DIGEST,
    # Worth seeing on the site; the digest lists every space's new members
    # anyway ("New members in your spaces"), so no email by default.
    Kind.NEW_MEMBER: Delivery.IN_APP,
    # For the digest itself "digest" means "send it" and "off" means do not.
    Kind.DIGEST: Delivery.DIGEST,
}

# What each kind may be set to: the digest is either sent or not. New members
# have no "digest" choice: the digest's "New members in your spaces" section
# lists them for every member of the space whatever this preference says, so
# the choice would change nothing.
ALLOWED_DELIVERY = {
    kind: [Delivery.INSTANT, Delivery.DIGEST, Delivery.IN_APP, Delivery.OFF]
    for kind in Kind
}
ALLOWED_DELIVERY[Kind.DIGEST] = [Delivery.DIGEST, Delivery.OFF]
ALLOWED_DELIVERY[Kind.NEW_MEMBER] = [Delivery.INSTANT, Delivery.IN_APP, Delivery.OFF]


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One event for one member, shown on the notifications page and the bell.

    `title` is written for its recipient: when the item is OFFICIAL-SENSITIVE
    or the recipient may not read it, it says only that there is something new
    (see `spaces.access.redacted_for`), and `is_sensitive` is set so emails
    never describe it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    space = models.ForeignKey(
        "spaces.Space",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    is_sensitive = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell's unread count and the page's "unread first" order.
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(
                fields=["recipient", "-created_at"], name="notif_recipient_created"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient_id}: {self.title}"

    @property
    def is_read(self):
        return self.read_at is not None


class Preference(models.Model):
    """How a member wants to hear about one kind of event. No row: the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="unique_notification_preference"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"


class DigestLog(models.Model):
    """A member's digest for one period (ISO week, "2026-W47") was decided.

    Written in the same transaction as the decision to send, under the unique
    constraint, so re-running the dispatch or retrying a batch never sends a
    member's digest twice. Skipped digests are logged too, so a re-run does not
    build them again.
    """

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped: not enough worth sending"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_logs"
    )
    period = models.CharField(max_length=10)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SENT
    )
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period"], name="unique_digest_per_period"
            )
        ]
        indexes = [models.Index(fields=["period", "user"], name="digestlog_period")]

    def __str__(self):
        return f"Digest {self.period} for {self.user_id}: {self.status}"
