"""Reads for forums. Every list goes through spaces.access.visible_items."""

from django.conf import settings
from django.db.models import Count, Q

from spaces import access

from .models import Flag, ModerationLog, Post, Reaction, Thread


def threads_for(user):
    """Threads `user` may read, with what a list row needs, newest activity first."""
    return access.visible_items(
        Thread.objects.select_related("space", "author__profile__organisation"), user
    ).order_by("-last_post_at", "-id")


def liveliest(threads):
    """Threads between the most organisations first, then the busiest."""
    return threads.order_by("-organisations_count", "-post_count", "-last_post_at")


def space_threads(user, space, *, unanswered=False):
    threads = threads_for(user).filter(space=space)
    if unanswered:
        threads = threads.filter(
            kind=Thread.Kind.QUESTION, accepted_answer__isnull=True
        ).order_by("created_at", "id")
    return threads


def unanswered_count(user, space):
    return space_threads(user, space, unanswered=True).count()


def thread_posts(thread):
    return (
        Post.objects.filter(thread=thread)
        .select_related("author__profile__organisation", "thread")
        .order_by("id")
    )


def post_page_number(post, per_page=None):
    per_page = per_page or settings.COP_POSTS_PER_PAGE
    before = Post.objects.filter(thread_id=post.thread_id, id__lt=post.pk).count()
    return before // per_page + 1


def posts_after(thread, after_id, limit=50):
    return list(thread_posts(thread).filter(id__gt=after_id)[:limit])


def reaction_summary(posts, user):
    """{post_id: [(kind, label, count, mine), ...]} for a page of posts: two queries."""
    ids = [post.pk for post in posts]
    counts = {}
    for row in (
        Reaction.objects.filter(post_id__in=ids)
        .values("post_id", "kind")
        .annotate(n=Count("id"))
    ):
        counts[(row["post_id"], row["kind"])] = row["n"]
    mine = set()
    if user.is_authenticated and ids:
        mine = set(
            Reaction.objects.filter(post_id__in=ids, user=user).values_list(
                "post_id", "kind"
            )
        )
    return {
        post_id: [
            (kind, label, counts.get((post_id, kind), 0), (post_id, kind) in mine)
            for kind, label in Reaction.Kind.choices
        ]
        for post_id in ids
    }


def _readable_threads(space, viewer):
    """Ids of the space's threads `viewer` may read (a subquery): a moderator
    who is not a member never sees OFFICIAL-SENSITIVE threads in the queue."""
    return access.visible_items(Thread.objects.filter(space=space), viewer).values("pk")


def open_flags(space, viewer):
    return (
        Flag.objects.filter(
            post__thread__space=space,
            post__thread__in=_readable_threads(space, viewer),
            status=Flag.Status.OPEN,
        )
        .select_related(
            "post__thread", "post__author__profile__organisation", "reporter"
        )
        .order_by("created_at")
    )


def moderation_log(space, viewer, limit=50):
    return (
        ModerationLog.objects.filter(space=space)
        .filter(Q(thread__isnull=True) | Q(thread__in=_readable_threads(space, viewer)))
        .select_related("actor", "thread", "post")
        .order_by("-created_at", "-id")[:limit]
    )


def hidden_posts(space, viewer):
    return (
        Post.objects.filter(
            thread__space=space,
            thread__in=_readable_threads(space, viewer),
            hidden=True,
        )
        .select_related("thread", "author", "hidden_by")
        .order_by("-hidden_at")
    )


def shared_spaces(user, other):
    """Spaces both members belong to and `user` can post in (for "Ask this person")."""
    from spaces.models import Membership, Space

    return (
        Space.objects.filter(archived=False, memberships__user=user)
        .filter(
            pk__in=Membership.objects.filter(user=other).values("space_id"),
        )
        .order_by("name")
        .distinct()
    )
