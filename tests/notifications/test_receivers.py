"""Signals from content apps become notifications for the right people only,
routed by each member's preferences."""

import pytest
from django.core import mail

from casestudies.signals import case_study_reviewed
from forums.signals import answer_accepted, post_created
from notifications.models import Delivery, Kind, Notification
from notifications.services import preference_set
from people.services import follow_set
from tests.factories import UserFactory, add_member

from .conftest import make_document, make_post, make_thread, send_document_uploaded

pytestmark = pytest.mark.django_db


def send_post(thread, author, mentioned=(), first=False, capture=None):
    post = make_post(thread, author)
    post_created.send(
        sender=type(post),
        post=post,
        thread=thread,
        author=author,
        mentioned=list(mentioned),
        is_first_post=first,
    )
    return post


def kinds_for(user):
    return sorted(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


def test_a_mention_notifies_the_mentioned_member_and_emails_them_at_once(
    thread, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_post(thread, other_member, mentioned=[member])
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == Kind.MENTION
    assert notification.actor == other_member
    assert "Tom Ashworth mentioned you" in notification.title
    # Mentions default to instant email; the reply to the thread author is
    # folded into the mention, never two notifications for one post.
    assert kinds_for(member) == [Kind.MENTION]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert Notification.objects.get(recipient=member).emailed_at is not None


def test_the_post_author_is_never_notified(thread, member):
    send_post(thread, member, mentioned=[member])
    follow_set(user=member, target=thread)
    send_post(thread, member)
    assert Notification.objects.count() == 0


def test_a_reply_notifies_the_thread_author_and_followers_but_not_muters(
    thread, member, other_member, third_member
):
    follower = UserFactory(email="follower@dwp.gov.uk")
    muter = UserFactory(email="muter@dwp.gov.uk")
    follow_set(user=follower, target=thread)
    follow_set(user=muter, target=thread, muted=True)
    send_post(thread, other_member)
    assert kinds_for(member) == [Kind.REPLY]
    assert kinds_for(follower) == [Kind.REPLY]
    assert kinds_for(muter) == []
    assert kinds_for(other_member) == []


def test_a_muted_thread_silences_mentions_too(thread, member, other_member):
    follow_set(user=member, target=thread, muted=True)
    send_post(thread, other_member, mentioned=[member])
    assert Notification.objects.count() == 0


def test_the_first_post_of_a_thread_notifies_mentions_only(
    open_space, member, other_member, third_member
):
    new = make_thread(open_space, other_member)
    follow_set(user=third_member, target=new)
    send_post(new, other_member, mentioned=[member], first=True)
    assert kinds_for(member) == [Kind.MENTION]
    assert kinds_for(third_member) == []


def test_reply_defaults_to_the_digest_so_no_email(
    thread, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_post(thread, other_member)
    assert kinds_for(member) == [Kind.REPLY]
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("delivery", "notified", "emailed"),
    [
        (Delivery.INSTANT, True, True),
        (Delivery.DIGEST, True, False),
        (Delivery.IN_APP, True, False),
        (Delivery.OFF, False, False),
    ],
)
def test_preferences_route_each_kind(
    thread,
    member,
    other_member,
    delivery,
    notified,
    emailed,
    django_capture_on_commit_callbacks,
):
    for kind in (Kind.MENTION, Kind.REPLY, Kind.ANSWER):
        preference_set(user=member, kind=kind, delivery=delivery)
    question = make_thread(thread.space, member, title="How do you share data?")
    with django_capture_on_commit_callbacks(execute=True):
        send_post(thread, other_member, mentioned=[member])  # mention
        send_post(question, other_member)  # reply to my thread
        answer = make_post(question, member)
        answer_accepted.send(
            sender=type(answer),
            post=answer,
            thread=question,
            answered_by=member,
            accepted_by=other_member,
        )
    expected = sorted([Kind.ANSWER, Kind.MENTION, Kind.REPLY]) if notified else []
    assert kinds_for(member) == expected
    assert len(mail.outbox) == (3 if emailed else 0)


def test_accepting_your_own_answer_notifies_nobody(thread, member):
    post = make_post(thread, member)
    answer_accepted.send(
        sender=type(post),
        post=post,
        thread=thread,
        answered_by=member,
        accepted_by=member,
    )
    assert Notification.objects.count() == 0


def test_a_new_document_notifies_followers_of_the_space_in_the_digest(
    open_space, member, other_member, third_member, django_capture_on_commit_callbacks
):
    add_member(open_space, member)
    follow_set(user=other_member, target=open_space)
    follow_set(user=third_member, target=open_space, muted=True)
    document = make_document(open_space, member, title="Evaluation plan")
    with django_capture_on_commit_callbacks(execute=True):
        send_document_uploaded(document, member)
    notification = Notification.objects.get()
    assert notification.recipient == other_member
    assert notification.kind == Kind.NEW_IN_FOLLOWED_SPACE
    assert "Evaluation plan" in notification.title
    assert mail.outbox == []  # in the digest by default


def test_a_sensitive_document_is_described_only_as_something_new(
    organisation, member, other_member, django_capture_on_commit_callbacks
):
    from tests.factories import SpaceFactory

    space = SpaceFactory(
        name="Benefit fraud pilots",
        visibility="open",
        ceiling="official-sensitive",
        lead_organisation=organisation,
    )
    add_member(space, member)
    follow_set(user=other_member, target=space)  # follows, not a member
    preference_set(
        user=other_member, kind=Kind.NEW_IN_FOLLOWED_SPACE, delivery=Delivery.INSTANT
    )
    document = make_document(
        space, member, title="CANARY-fraud-targets", marking="official-sensitive"
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_document_uploaded(document, member)
    notification = Notification.objects.get()
    assert notification.is_sensitive
    assert "CANARY" not in notification.title
    assert (
        notification.title == "New document in Benefit fraud pilots: sign in to read it"
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "CANARY" not in message.subject
    assert "CANARY" not in message.body
    assert "CANARY" not in message.alternatives[0][0]
    assert "sign in to read it" in message.body


def test_news_from_a_secret_space_never_reaches_non_members(
    secret_space, member, other_member
):
    add_member(secret_space, member)
    # A follow left over from when they were a member.
    follow_set(user=other_member, target=secret_space)
    document = make_document(secret_space, member, title="Options")
    send_document_uploaded(document, member)
    assert Notification.objects.count() == 0


def test_a_case_study_review_notifies_its_author(member, editor):
    class Page:  # the documented kwargs only: title and a URL
        pk = 7
        title = "Joining up debt advice"
        url = "/case-studies/joining-up-debt-advice/"

    case_study_reviewed.send(
        sender=Page, page=Page(), author=member, status="approved", comment="Well done"
    )
    notification = Notification.objects.get()
    assert notification.recipient == member
    assert notification.kind == Kind.CASE_STUDY_REVIEW
    assert notification.title == "Your case study “Joining up debt advice” was approved"
    assert notification.url == "/case-studies/joining-up-debt-advice/"


def test_a_deactivated_member_gets_nothing(thread, member, other_member):
    member.is_active = False
    member.save()
    send_post(thread, other_member, mentioned=[member])
    assert Notification.objects.count() == 0


def test_end_to_end_from_the_forums_service(
    open_space, member, other_member, django_capture_on_commit_callbacks
):
    """Through forums' own services: a reply that @mentions someone."""
    from forums.services import post_create, thread_create

    add_member(open_space, member)
    add_member(open_space, other_member)
    with django_capture_on_commit_callbacks(execute=True):
        thread = thread_create(
            space=open_space, author=member, title="Data sharing", body="Any tips?"
        )
    with django_capture_on_commit_callbacks(execute=True):
        post_create(
            thread=thread,
            author=other_member,
            body=f"Ask @{member.profile.handle} about it",
        )
    assert kinds_for(member) == [Kind.MENTION]
    assert kinds_for(other_member) == []
    assert [m.to for m in mail.outbox] == [[member.email]]
