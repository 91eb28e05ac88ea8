"""Every write in forums. HTTP views and the websocket consumer both call these.

Rules live here, not in views: who may post, length limits, locked threads,
rate limits, moderation. Side effects (signals, live broadcasts) run from
`transaction.on_commit`, so nothing is announced for a write that rolled back.
"""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from people import services as people_services
from people.models import Profile
from spaces import access
from spaces.models import Marking

from . import live, signals
from .models import Flag, ModerationLog, Post, PostRevision, Reaction, Thread

MAX_POST_LENGTH = 20_000
MAX_TITLE_LENGTH = 200
MAX_REASON_LENGTH = 500
MAX_MENTIONS = 20
MODERATORS_GROUP = "Moderators"
MENTION_RE = re.compile(r"(?<![\w@/.])@([a-z0-9][a-z0-9_-]{0,79})", re.IGNORECASE)


class ForumError(Exception):
    """A refusal with a message fit to show the member."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class RateLimited(ForumError):
    pass


# -- Who may do what ---------------------------------------------------------


def is_moderator(user, space):
    """Space owners and facilitators, the Moderators group, and staff."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_staff or user.is_superuser or access.can_facilitate(user, space):
        return True
    if not hasattr(user, "_forums_in_moderators"):
        user._forums_in_moderators = user.groups.filter(name=MODERATORS_GROUP).exists()
    return user._forums_in_moderators


def can_moderate(user, thread):
    return access.can_view(user, thread) and is_moderator(user, thread.space)


def can_reply(user, thread):
    return (
        not thread.locked
        and access.can_view(user, thread)
        and access.can_post(user, thread.space)
    )


def can_accept_answer(user, thread):
    if not thread.is_question or not access.can_view(user, thread):
        return False
    return (thread.author_id == user.pk and access.can_post(user, thread.space)) or (
        is_moderator(user, thread.space)
    )


# -- Rate limits --------------------------------------------------------------

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """ "10/m" -> (10, 60); "5/10m" -> (5, 600)."""
    count, _, period = str(rate).partition("/")
    unit = period[-1:] or "m"
    multiple = int(period[:-1] or 1)
    return int(count), PERIODS[unit] * multiple


def _rate_hit(scope, user, rate):
    """Count one use; True when `user` is over `rate` in the current window."""
    limit, seconds = parse_rate(rate)
    window = int(time.time() // seconds)
    key = f"forums:rate:{scope}:{user.pk}:{window}"
    if cache.add(key, 1, timeout=seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds + 5)
            count = 1
    return count > limit


def _check_post_rate(user):
    if _rate_hit("post", user, settings.COP_POST_RATE):
        raise RateLimited(
            "You are posting too quickly. Wait a minute, then try again.",
            field="body",
        )


# -- Live broadcasts ----------------------------------------------------------


def thread_group(thread_id):
    return live.thread_group(thread_id)


def broadcast(thread_id, event):
    """Send `event` (a dict with a "type") to everyone watching the thread."""
    live.publish(thread_id, event)


def render_post(post, *, request=None, new=False):
    """The HTML of one post as every viewer sees it (no per-viewer controls).

    `new`: just created, so it has no reactions to count."""
    if not hasattr(post, "reaction_list"):
        counts = reaction_counts(post) if post.pk and not new else {}
        post.reaction_list = [
            (kind, label, counts.get(kind, 0), False)
            for kind, label in Reaction.Kind.choices
        ]
    return render_to_string(
        "forums/_post.html",
        {"post": post, "thread": post.thread, "live": True},
        request=request,
    )


def _broadcast_post(event_type, post, *, new=False):
    """Render `post` once and send it to the thread's watchers.

    `new`: the post was just created by this process, with its thread and
    author already in hand and no reactions yet, so it is rendered from
    those instead of being read back. The re-read, the reaction count and
    rendering took about 10 of the 31 ms of posting in one process; rendering
    from what is in hand takes about 1.5 ms.
    """
    if not new:
        post = (
            Post.objects.select_related(
                "thread", "author__profile__organisation", "hidden_by"
            )
            .filter(pk=post.pk)
            .first()
        )
    if post is None:
        return
    author = post.author.display_name if post.author else "A former member"
    broadcast(
        post.thread_id,
        {
            "type": event_type,
            "post_id": post.pk,
            "author": author,
            "html": render_post(post, new=new),
        },
    )


# -- Threads and posts --------------------------------------------------------


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ForumError("Enter your post", field="body")
    if len(body) > MAX_POST_LENGTH:
        raise ForumError(
            f"Your post must be {MAX_POST_LENGTH:,} characters or fewer "
            f"(it is {len(body):,})",
            field="body",
        )
    return body


def _mentioned(body, thread, author):
    handles = MENTION_RE.findall(body)[:MAX_MENTIONS]
    if not handles:
        return []
    members = people_services.members_by_handle(handles)
    return [
        member
        for member in members
        if member.pk != author.pk and access.can_view(member, thread)
    ]


def _follow_unless_muted(user, thread):
    if people_services.follow_state(user, thread) is None:
        people_services.follow_set(user=user, target=thread)


def _brings_new_organisation(thread, post, author):
    """Is `post` the first in `thread` from its author's organisation?"""
    organisation_id = (
        Profile.objects.filter(user=author)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if organisation_id is None:
        return False
    return not (
        Post.objects.filter(
            thread=thread, author__profile__organisation_id=organisation_id
        )
        .exclude(pk=post.pk)
        .exists()
    )


@transaction.atomic
def post_create(*, thread, author, body, is_first_post=False):
    """Reply in `thread` (or write its opening post). Raises ForumError."""
    body = _clean_body(body)
    thread = (
        Thread.objects.select_for_update().select_related("space").get(pk=thread.pk)
    )
    if not access.can_view(author, thread) or not access.can_post(author, thread.space):
        raise ForumError(
            f"Only members of {thread.space.name} can post here. "
            "Join the space to take part.",
        )
    if thread.locked:
        raise ForumError("This thread is locked: no new posts can be added.")
    _check_post_rate(author)
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=author, body=body, created_at=now)
    # The thread row is locked (select_for_update above), so counting up is
    # exact, and costs the same at post 5 and post 5,000.
    thread.post_count = F("post_count") + 1
    thread.last_post_at = now
    if _brings_new_organisation(thread, post, author):
        thread.organisations_count = F("organisations_count") + 1
        fields = ["post_count", "last_post_at", "organisations_count"]
    else:
        fields = ["post_count", "last_post_at"]
    thread.save(update_fields=fields)
    thread.refresh_from_db(fields=["post_count", "organisations_count"])
    _follow_unless_muted(author, thread)
    mentioned = _mentioned(body, thread, author)

    def after_commit():
        # Watchers first: the live feed is what people are waiting for, and
        # the receivers (notifications, search, expertise) can take longer.
        _broadcast_post("post.created", post, new=True)
        signals.post_created.send(
            sender=Post,
            post=post,
            thread=thread,
            author=author,
            mentioned=mentioned,
            is_first_post=is_first_post,
        )

    transaction.on_commit(after_commit)
    return post


@transaction.atomic
def thread_create(
    *, space, author, title, body, kind=Thread.Kind.DISCUSSION, marking=Marking.OFFICIAL
):
    title = (title or "").strip()
    if not title:
        raise ForumError("Enter a title", field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise ForumError(
            f"The title must be {MAX_TITLE_LENGTH} characters or fewer", field="title"
        )
    if kind not in Thread.Kind.values:
        raise ForumError("Choose a discussion or a question", field="kind")
    if marking not in space.allowed_markings():
        raise ForumError(
            f"{space.name} holds nothing above {space.get_ceiling_display()}",
            field="marking",
        )
    if not access.can_post(author, space):
        raise ForumError(
            f"Only members of {space.name} can start threads. Join the space first."
        )
    thread = Thread.objects.create(
        space=space, author=author, title=title, kind=kind, marking=marking
    )
    post_create(thread=thread, author=author, body=body, is_first_post=True)
    thread.refresh_from_db()
    return thread


@transaction.atomic
def post_edit(*, post, user, body):
    body = _clean_body(body)
    post = Post.objects.select_related("thread__space").get(pk=post.pk)
    if post.author_id != user.pk:
        raise ForumError("You can only edit your own posts.")
    if post.hidden:
        raise ForumError("A moderator hid this post, so it cannot be edited.")
    if not can_reply(user, post.thread):
        raise ForumError("You can no longer edit posts in this thread.")
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=user)
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    transaction.on_commit(lambda: _broadcast_post("post.edited", post))
    return post


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ForumError("Say why, so the log explains the decision", field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ForumError(
            f"The reason must be {MAX_REASON_LENGTH} characters or fewer",
            field="reason",
        )
    return reason


def _require_moderator(user, thread):
    if not can_moderate(user, thread):
        raise ForumError("Only this space's facilitators and moderators can do that.")


@transaction.atomic
def post_hide(*, post, moderator, reason):
    reason = _reason(reason)
    post = Post.objects.select_related("thread__space").get(pk=post.pk)
    _require_moderator(moderator, post.thread)
    if post.hidden:
        raise ForumError("That post is already hidden.")
    now = timezone.now()
    post.hidden, post.hidden_by, post.hidden_reason, post.hidden_at = (
        True,
        moderator,
        reason,
        now,
    )
    post.save(update_fields=["hidden", "hidden_by", "hidden_reason", "hidden_at"])
    post.flags.filter(status=Flag.Status.OPEN).update(
        status=Flag.Status.ACTIONED, resolved_by=moderator, resolved_at=now
    )
    ModerationLog.objects.create(
        space=post.thread.space,
        thread=post.thread,
        post=post,
        actor=moderator,
        action=ModerationLog.Action.HIDE,
        reason=reason,
    )
    transaction.on_commit(lambda: _broadcast_post("post.hidden", post))
    return post


@transaction.atomic
def post_restore(*, post, moderator, reason):
    reason = _reason(reason)
    post = Post.objects.select_related("thread__space").get(pk=post.pk)
    _require_moderator(moderator, post.thread)
    if not post.hidden:
        raise ForumError("That post is not hidden.")
    post.hidden, post.hidden_by, post.hidden_reason, post.hidden_at = (
        False,
        None,
        "",
        None,
    )
    post.save(update_fields=["hidden", "hidden_by", "hidden_reason", "hidden_at"])
    ModerationLog.objects.create(
        space=post.thread.space,
        thread=post.thread,
        post=post,
        actor=moderator,
        action=ModerationLog.Action.RESTORE,
        reason=reason,
    )
    transaction.on_commit(lambda: _broadcast_post("post.edited", post))
    return post


@transaction.atomic
def thread_lock(*, thread, moderator, reason, locked=True):
    reason = _reason(reason)
    thread = Thread.objects.select_related("space").get(pk=thread.pk)
    _require_moderator(moderator, thread)
    if thread.locked == locked:
        raise ForumError(
            "The thread is already locked." if locked else "The thread is not locked."
        )
    thread.locked = locked
    thread.save(update_fields=["locked"])
    ModerationLog.objects.create(
        space=thread.space,
        thread=thread,
        actor=moderator,
        action=ModerationLog.Action.LOCK if locked else ModerationLog.Action.UNLOCK,
        reason=reason,
    )
    transaction.on_commit(
        lambda: broadcast(thread.pk, {"type": "thread.locked", "locked": locked})
    )
    return thread


def thread_unlock(*, thread, moderator, reason):
    return thread_lock(thread=thread, moderator=moderator, reason=reason, locked=False)


def move_targets(user, thread):
    """Spaces `user` may move `thread` into: ones they moderate, marking fits."""
    from spaces.models import Membership, Space

    spaces = Space.objects.exclude(pk=thread.space_id).filter(archived=False)
    if not (user.is_staff or user.is_superuser):
        spaces = spaces.filter(
            memberships__user=user,
            memberships__role__in=[
                Membership.Role.OWNER,
                Membership.Role.FACILITATOR,
            ],
        )
    if thread.marking == Marking.SENSITIVE:
        spaces = spaces.filter(ceiling=Marking.SENSITIVE)
    return spaces.order_by("name")


@transaction.atomic
def thread_move(*, thread, moderator, to_space, reason):
    reason = _reason(reason)
    thread = Thread.objects.select_related("space").get(pk=thread.pk)
    _require_moderator(moderator, thread)
    if not move_targets(moderator, thread).filter(pk=to_space.pk).exists():
        raise ForumError(
            "Choose a space you facilitate whose handling ceiling fits this thread.",
            field="to_space",
        )
    old_space = thread.space
    thread.space = to_space
    thread.save(update_fields=["space"])
    for space in (old_space, to_space):
        ModerationLog.objects.create(
            space=space,
            thread=thread,
            actor=moderator,
            action=ModerationLog.Action.MOVE,
            reason=f"{reason} (from {old_space.name} to {to_space.name})",
        )
    transaction.on_commit(
        lambda: broadcast(
            thread.pk, {"type": "thread.moved", "url": thread.get_absolute_url()}
        )
    )
    return thread


# -- Reactions, answers, reports ------------------------------------------------


def reaction_counts(post):
    counts = dict.fromkeys(Reaction.Kind.values, 0)
    for kind in post.reactions.values_list("kind", flat=True):
        counts[kind] += 1
    return counts


@transaction.atomic
def reaction_toggle(*, post, user, kind):
    """Add the reaction, or take it away if `user` already gave it."""
    if kind not in Reaction.Kind.values:
        raise ForumError("Choose one of the reactions offered.")
    post = Post.objects.select_related("thread__space").get(pk=post.pk)
    if not access.can_view(user, post.thread) or not access.can_post(
        user, post.thread.space
    ):
        raise ForumError("Only members of this space can react to posts.")
    if post.hidden:
        raise ForumError("You cannot react to a hidden post.")
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(post=post, user=user, kind=kind)
    counts = reaction_counts(post)
    transaction.on_commit(
        lambda: broadcast(
            post.thread_id,
            {"type": "reaction.updated", "post_id": post.pk, "counts": counts},
        )
    )
    return not deleted, counts


@transaction.atomic
def answer_accept(*, thread, post, user):
    thread = Thread.objects.select_related("space").get(pk=thread.pk)
    if not thread.is_question:
        raise ForumError("Only questions have accepted answers.")
    if post.thread_id != thread.pk or post.hidden:
        raise ForumError("Choose a visible reply in this thread.")
    first_id = thread.posts.order_by("id").values_list("id", flat=True).first()
    if post.pk == first_id:
        raise ForumError("The question itself cannot be its answer.")
    if not can_accept_answer(user, thread):
        raise ForumError(
            "Only the person who asked, or a facilitator, can accept an answer."
        )
    previous_id = thread.accepted_answer_id
    if previous_id == post.pk:
        return thread
    if previous_id:
        people_services.contribution_remove(
            target=Post(pk=previous_id), kind="accepted_answer"
        )
    thread.accepted_answer = post
    thread.save(update_fields=["accepted_answer"])
    if user.pk != thread.author_id:  # a moderator, deciding for the asker
        signals.moderator_acted.send(
            sender=Post,
            actor=user,
            action="forums.answer.accept",
            target=post,
            space=thread.space,
            detail={"thread_id": thread.pk, "previous_answer_id": previous_id},
        )
    if post.author_id:
        people_services.contribution_record(
            user=post.author,
            kind="accepted_answer",
            target=post,
            title=thread.title,
            url=post.get_absolute_url(),
            space=thread.space,
            marking=thread.marking,
        )
    transaction.on_commit(
        lambda: signals.answer_accepted.send(
            sender=Post,
            post=post,
            thread=thread,
            answered_by=post.author,
            accepted_by=user,
        )
    )
    transaction.on_commit(
        lambda: broadcast(thread.pk, {"type": "answer.accepted", "post_id": post.pk})
    )
    return thread


@transaction.atomic
def flag_create(*, post, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ForumError("Say what is wrong with this post", field="reason")
    if len(reason) > 1000:
        raise ForumError("Keep the reason to 1,000 characters or fewer", field="reason")
    if not access.can_view(user, post.thread):
        raise ForumError("You cannot report that post.")
    if Flag.objects.filter(post=post, reporter=user, status=Flag.Status.OPEN).exists():
        raise ForumError("You have already reported this post; moderators will look.")
    return Flag.objects.create(post=post, reporter=user, reason=reason)


@transaction.atomic
def flag_dismiss(*, flag, moderator, reason):
    reason = _reason(reason)
    flag = Flag.objects.select_related("post__thread__space").get(pk=flag.pk)
    _require_moderator(moderator, flag.post.thread)
    if flag.status != Flag.Status.OPEN:
        raise ForumError("That report has already been dealt with.")
    flag.status, flag.resolved_by, flag.resolved_at = (
        Flag.Status.DISMISSED,
        moderator,
        timezone.now(),
    )
    flag.save(update_fields=["status", "resolved_by", "resolved_at"])
    ModerationLog.objects.create(
        space=flag.post.thread.space,
        thread=flag.post.thread,
        post=flag.post,
        actor=moderator,
        action=ModerationLog.Action.DISMISS,
        reason=reason,
    )
    return flag


def thread_follow(*, thread, user, state):
    """state: "follow", "mute" or "forget"."""
    if state not in {"follow", "mute", "forget"}:
        raise ForumError("Choose follow, mute or stop following.")
    return people_services.follow_set(
        user=user,
        target=thread,
        following=state != "forget",
        muted=state == "mute",
    )


# -- Ask this person ----------------------------------------------------------


@transaction.atomic
def ask_create(*, asker, to_user, space, title, body):
    """Start a question in a space both share, mentioning `to_user`."""
    if to_user.pk == asker.pk:
        raise ForumError("Choose someone other than yourself to ask.")
    handle = getattr(getattr(to_user, "profile", None), "handle", None)
    if not handle:
        raise ForumError("That member has no handle yet, so cannot be asked.")
    if (
        not access.can_post(asker, space)
        or access.membership_of(to_user, space) is None
    ):
        raise ForumError("Choose a space you both belong to.", field="space")
    if _rate_hit("ask", asker, f"{settings.COP_ASK_PER_DAY}/d"):
        raise RateLimited(
            "You have asked as many people as you can today. Try again tomorrow."
        )
    body = (body or "").strip()
    if f"@{handle}".lower() not in body.lower():
        body = f"@{handle} {body}"
    return thread_create(
        space=space,
        author=asker,
        title=title,
        body=body,
        kind=Thread.Kind.QUESTION,
    )
