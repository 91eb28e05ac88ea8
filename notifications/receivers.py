"""Turn content apps' signals into notifications (connected in apps.ready).

Receivers read only the documented kwargs (forums/signals.py, spaces/signals.py,
casestudies/signals.py), and defensively: a missing attribute means less
detail, never a failed post or upload. They run after the sender's commit.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from people.models import Follow

from .models import Kind
from .services import Event, notify

logger = logging.getLogger(__name__)


def _url(obj):
    for name in ("get_absolute_url", "get_url"):
        method = getattr(obj, name, None)
        if callable(method):
            try:
                return method() or ""
            except Exception:  # a URL not routed yet must not lose the news
                logger.debug("no URL for %r", obj, exc_info=True)
    return getattr(obj, "url", "") or ""


def _name(user):
    if user is None:
        return "Someone"
    return getattr(user, "display_name", None) or str(user)


def _follow_states(target):
    """(following ids, muted ids) for `target`, one query."""
    rows = Follow.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).values_list("user_id", "muted")
    following = {uid for uid, muted in rows if not muted}
    muted = {uid for uid, muted in rows if muted}
    return following, muted


def _active_users(ids):
    if not ids:
        return []
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def _safely(receiver):
    """A broken receiver logs and moves on: the post is already saved."""

    def wrapper(sender, **kwargs):
        try:
            receiver(sender, **kwargs)
        except Exception:
            logger.exception("notifications: %s failed", receiver.__name__)

    wrapper.__name__ = receiver.__name__
    return wrapper


@_safely
def on_post_created(sender, **kwargs):
    post = kwargs.get("post")
    thread = kwargs.get("thread") or getattr(post, "thread", None)
    author = kwargs.get("author") or getattr(post, "author", None)
    mentioned = [u for u in kwargs.get("mentioned") or [] if u is not None]
    if thread is None:
        return
    space = getattr(thread, "space", None)
    title = getattr(thread, "title", "a discussion")
    url = _url(post) or _url(thread)
    following, muted = _follow_states(thread)
    # Muting a thread silences mentions in it too.
    mentioned = [u for u in mentioned if u.pk not in muted]
    mentioned_ids = {u.pk for u in mentioned}
    notify(
        event=Event(
            kind=Kind.MENTION,
            title=f"{_name(author)} mentioned you in “{title}”",
            url=url,
            actor=author,
            target=thread,
            space=space,
        ),
        recipients=mentioned,
    )
    if kwargs.get("is_first_post"):
        return
    reply_ids = set(following)
    thread_author_id = getattr(thread, "author_id", None)
    if thread_author_id:
        reply_ids.add(thread_author_id)
    reply_ids -= muted | mentioned_ids
    if author is not None:
        reply_ids.discard(author.pk)
    notify(
        event=Event(
            kind=Kind.REPLY,
            title=f"{_name(author)} replied in “{title}”",
            url=url,
            actor=author,
            target=thread,
            space=space,
        ),
        recipients=_active_users(reply_ids),
    )


@_safely
def on_answer_accepted(sender, **kwargs):
    post = kwargs.get("post")
    thread = kwargs.get("thread") or getattr(post, "thread", None)
    answered_by = kwargs.get("answered_by") or getattr(post, "author", None)
    accepted_by = kwargs.get("accepted_by")
    if thread is None or answered_by is None:
        return
    notify(
        event=Event(
            kind=Kind.ANSWER,
            title=f"Your answer to “{getattr(thread, 'title', 'a question')}” "
            "was accepted",
            url=_url(post) or _url(thread),
            actor=accepted_by,
            target=thread,
            space=getattr(thread, "space", None),
        ),
        recipients=[answered_by],
    )


@_safely
def on_document_uploaded(sender, **kwargs):
    document = kwargs.get("document")
    uploaded_by = kwargs.get("uploaded_by")
    space = getattr(document, "space", None)
    if document is None or space is None:
        return
    following, muted = _follow_states(space)
    ids = following - muted
    if uploaded_by is not None:
        ids.discard(uploaded_by.pk)
    what = "New document" if kwargs.get("is_new_document", True) else "New version"
    notify(
        event=Event(
            kind=Kind.NEW_IN_FOLLOWED_SPACE,
            title=f"{what} in {space.name}: “{getattr(document, 'title', '')}”",
            url=_url(document),
            actor=uploaded_by,
            target=document,
            space=space,
            redacted_title=f"{what} in {space.name}: sign in to read it",
        ),
        recipients=_active_users(ids),
    )


REVIEW_TITLES = {
    "approved": "Your case study “{title}” was approved",
    "changes_requested": "Changes were requested to your case study “{title}”",
    "submitted": "Your case study “{title}” was submitted for review",
}


@_safely
def on_case_study_reviewed(sender, **kwargs):
    page = kwargs.get("page")
    author = kwargs.get("author")
    if page is None or author is None:
        return
    status = kwargs.get("status") or ""
    template = REVIEW_TITLES.get(status, "Your case study “{title}” was reviewed")
    notify(
        event=Event(
            kind=Kind.CASE_STUDY_REVIEW,
            title=template.format(title=getattr(page, "title", "")),
            url=_url(page),
            target=page,
            space=getattr(page, "space", None),
        ),
        recipients=[author],
    )


def _facilitators(space):
    """Active owners and facilitators of `space`, one query."""
    from spaces.selectors import space_facilitators

    return list(space_facilitators(space))


def _members_page(space):
    """Where facilitators decide requests and see who joined."""
    try:
        return reverse("spaces:members", args=[space.slug])
    except NoReverseMatch:
        return _url(space)


def _notify_facilitators(space, *, kind, title, actor, target, except_id=None):
    """Tell `space`'s facilitators (but not the user `except_id`) about a
    membership matter; the link goes to the members page, where it is decided."""
    notify(
        event=Event(
            kind=kind,
            title=title,
            url=_members_page(space),
            actor=actor,
            target=target,
            space=space,
        ),
        recipients=[f for f in _facilitators(space) if f.pk != except_id],
    )


@_safely
def on_join_requested(sender, **kwargs):
    """Tell the space's facilitators someone is waiting for an answer.

    Only facilitators hear of it: a secret space's request (made directly,
    since the service takes requests for closed spaces only) must not reach
    anyone else, and `notify` also drops anyone who may not see the space.
    The applicant's message is not copied: it is read on the members page.
    """
    join_request = kwargs.get("join_request")
    space = getattr(join_request, "space", None)
    applicant = getattr(join_request, "user", None)
    if space is None or applicant is None:
        return
    _notify_facilitators(
        space,
        kind=Kind.JOIN_REQUEST,
        title=f"{_name(applicant)} asked to join {space.name}",
        actor=applicant,
        target=join_request,
    )


def _approver_id(membership):
    """The facilitator whose approval made this membership, if any: they
    know already. (An approval stamps `decided_at` just before the
    membership's `joined_at`.)"""
    from spaces.models import JoinRequest

    joined_at = getattr(membership, "joined_at", None)
    if joined_at is None:
        return None
    return (
        JoinRequest.objects.filter(
            space_id=membership.space_id,
            user_id=membership.user_id,
            status=JoinRequest.Status.APPROVED,
            decided_by__isnull=False,
            decided_at__gte=joined_at - datetime.timedelta(minutes=1),
            decided_at__lte=joined_at,
        )
        .order_by("-decided_at")
        .values_list("decided_by_id", flat=True)
        .first()
    )


@_safely
def on_member_joined(sender, **kwargs):
    """Tell the space's facilitators who joined (in-app by default; the
    weekly digest lists new members from the memberships themselves)."""
    membership = kwargs.get("membership")
    space = kwargs.get("space") or getattr(membership, "space", None)
    user = kwargs.get("user") or getattr(membership, "user", None)
    if space is None or user is None:
        return
    _notify_facilitators(
        space,
        kind=Kind.NEW_MEMBER,
        title=f"{_name(user)} joined {space.name}",
        actor=user,
        target=membership,
        except_id=_approver_id(membership) if membership is not None else None,
    )


def connect():
    from casestudies.signals import case_study_reviewed
    from forums.signals import answer_accepted, post_created
    from spaces.signals import document_uploaded, join_requested, member_joined

    post_created.connect(on_post_created, dispatch_uid="notifications.post_created")
    answer_accepted.connect(
        on_answer_accepted, dispatch_uid="notifications.answer_accepted"
    )
    document_uploaded.connect(
        on_document_uploaded, dispatch_uid="notifications.document_uploaded"
    )
    case_study_reviewed.connect(
        on_case_study_reviewed, dispatch_uid="notifications.case_study_reviewed"
    )
    join_requested.connect(
        on_join_requested, dispatch_uid="notifications.join_requested"
    )
    member_joined.connect(on_member_joined, dispatch_uid="notifications.member_joined")
