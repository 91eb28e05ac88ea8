"""Threads and posts inside spaces: where departments meet.

A thread belongs to a space and carries a handling marking no higher than the
space's ceiling; `spaces.access.visible_items` / `can_view` decide who reads
it. Post bodies are Markdown, rendered once (sanitised) when saved.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.search import index

from cop.text import render_markdown
from spaces.models import Marking


class Thread(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Discussion"
        QUESTION = "question", "Question"

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.DISCUSSION
    )
    marking = models.CharField(
        max_length=20, choices=Marking.choices, default=Marking.OFFICIAL
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    post_count = models.PositiveIntegerField(default=0)
    # How many organisations have posted: "liveliest" means between departments.
    organisations_count = models.PositiveIntegerField(default=0)
    locked = models.BooleanField(default=False)
    accepted_answer = models.ForeignKey(
        "Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("id"),
        index.FilterField("space"),
        index.FilterField("marking"),
    ]

    class Meta:
        ordering = ["-last_post_at"]
        indexes = [
            models.Index(fields=["space", "-last_post_at"]),
            models.Index(fields=["space", "kind", "accepted_answer"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:thread", args=[self.pk])

    @property
    def is_question(self):
        return self.kind == self.Kind.QUESTION

    @property
    def is_answered(self):
        return self.accepted_answer_id is not None

    @property
    def is_sensitive(self):
        return self.marking == Marking.SENSITIVE


class Post(index.Indexed, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    # Hidden posts stay indexed; search filters them out (search.kinds).
    search_fields = [
        index.SearchField("body"),
        index.FilterField("id"),
        index.FilterField("thread"),
        index.FilterField("hidden"),
    ]

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["thread", "id"])]

    def __str__(self):
        return f"Post {self.pk} in {self.thread_id}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.body_html = render_markdown(self.body)
        elif "body" in update_fields:
            self.body_html = render_markdown(self.body)
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("forums:post", args=[self.pk])

    # Let spaces.access.can_view(user, post) work on a post directly.
    @property
    def space(self):
        return self.thread.space

    @property
    def marking(self):
        return self.thread.marking


class PostRevision(models.Model):
    """A post's earlier text, kept on every edit; moderators can read them."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Revision of post {self.post_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THUMBS_UP = "thumbs-up", "Thumbs up"
        THANKS = "thanks", "Thanks"
        INSIGHTFUL = "insightful", "Insightful"
        AGREE = "agree", "Agree"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user", "kind"], name="unique_forum_reaction"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on post {self.post_id}"


class Flag(models.Model):
    """A member's report of a post, for the space's moderators."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACTIONED = "actioned", "Post hidden"
        DISMISSED = "dismissed", "Dismissed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"Report on post {self.post_id} ({self.status})"


class ModerationLog(models.Model):
    """Every moderation action: who did what, to what, and why."""

    class Action(models.TextChoices):
        HIDE = "hide", "Hid a post"
        RESTORE = "restore", "Restored a post"
        LOCK = "lock", "Locked a thread"
        UNLOCK = "unlock", "Unlocked a thread"
        MOVE = "move", "Moved a thread"
        DISMISS = "dismiss", "Dismissed a report"

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="forum_moderation"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor_id}"
