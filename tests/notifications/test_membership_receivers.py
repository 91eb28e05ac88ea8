"""Requests to join and new members reach a space's facilitators, and nobody
else: a secret space's request never reaches its other members or outsiders."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.digest import build_contexts, current_period, preview_window
from notifications.models import Delivery, Kind, Notification
from notifications.services import preference_set, preferences_of
from spaces import services as spaces
from spaces.models import JoinRequest, Membership
from spaces.signals import join_requested
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db, organisation):
    return UserFactory(
        email="olu@dwp.gov.uk", first_name="Olu", last_name="Bello",
        organisation=organisation,
    )  # fmt: skip


@pytest.fixture
def team(owner, facilitator, member, closed_space, open_space, secret_space):
    """`owner` owns and `facilitator` facilitates every space; `member` is an
    ordinary member of each."""
    long_ago = timezone.now() - datetime.timedelta(days=60)
    for space in (closed_space, open_space, secret_space):
        for user, role in ((owner, "owner"), (facilitator, "facilitator")):
            add_member(space, user, role)
        add_member(space, member, "member")
    Membership.objects.update(joined_at=long_ago)  # not news this week


def notified(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__email", flat=True
        )
    )


def test_a_join_request_notifies_the_facilitators_only(
    team, owner, facilitator, member, other_member, closed_space,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        spaces.join_request_create(
            space=closed_space, user=other_member, message="PRIVATE-NOTE please"
        )
    assert notified(Kind.JOIN_REQUEST) == [facilitator.email, owner.email]
    notification = Notification.objects.filter(recipient=owner).get()
    assert notification.title == (
        "Tom Ashworth asked to join Troubled Families Evaluation"
    )
    assert notification.url == reverse("spaces:members", args=[closed_space.slug])
    assert notification.actor == other_member
    assert notification.space == closed_space
    assert "PRIVATE-NOTE" not in notification.title
    # The default is the site and the weekly digest: no email.
    assert mail.outbox == []


def test_a_facilitator_who_wants_email_gets_one(
    team, owner, facilitator, other_member, closed_space,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    preference_set(user=owner, kind=Kind.JOIN_REQUEST, delivery=Delivery.INSTANT)
    preference_set(user=facilitator, kind=Kind.JOIN_REQUEST, delivery=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        spaces.join_request_create(space=closed_space, user=other_member)
    assert notified(Kind.JOIN_REQUEST) == [owner.email]
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "Tom Ashworth asked to join" in mail.outbox[0].subject


def test_a_secret_space_request_reaches_only_its_facilitators(
    team, owner, facilitator, member, staff, other_member, secret_space
):
    # The service takes requests for closed spaces only; a request in a
    # secret space (made directly) must still stay among its facilitators.
    join_request = JoinRequest.objects.create(space=secret_space, user=other_member)
    join_requested.send(sender=JoinRequest, join_request=join_request)
    assert notified(Kind.JOIN_REQUEST) == [facilitator.email, owner.email]
    for outsider in (member, staff, other_member):
        assert not Notification.objects.filter(recipient=outsider).exists()


def test_a_deactivated_facilitator_hears_nothing(
    team, owner, facilitator, other_member, closed_space
):
    facilitator.is_active = False
    facilitator.save()
    join_request = JoinRequest.objects.create(space=closed_space, user=other_member)
    join_requested.send(sender=JoinRequest, join_request=join_request)
    assert notified(Kind.JOIN_REQUEST) == [owner.email]


def test_a_broken_signal_is_ignored(team):
    join_requested.send(sender=JoinRequest, join_request=None)
    join_requested.send(sender=JoinRequest)
    assert Notification.objects.count() == 0


def test_someone_joining_tells_the_facilitators_on_the_site_only(
    team, owner, facilitator, member, other_member, open_space,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        spaces.membership_join(space=open_space, user=other_member)
    assert notified(Kind.NEW_MEMBER) == [facilitator.email, owner.email]
    notification = Notification.objects.filter(recipient=owner).get()
    assert notification.title == "Tom Ashworth joined Data Sharing Community"
    assert notification.url == reverse("spaces:members", args=[open_space.slug])
    assert mail.outbox == []


def test_the_facilitator_who_approved_is_not_told_again(
    team, owner, facilitator, other_member, closed_space,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        request = spaces.join_request_create(space=closed_space, user=other_member)
    with django_capture_on_commit_callbacks(execute=True):
        spaces.join_request_approve(
            space=closed_space, by=facilitator, request_id=request.pk
        )
    assert notified(Kind.NEW_MEMBER) == [owner.email]


def test_new_members_are_listed_once_in_the_digest_join_requests_under_for_you(
    team, owner, other_member, third_member, closed_space, open_space,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        spaces.membership_join(space=open_space, user=other_member)
        spaces.join_request_create(space=closed_space, user=third_member)
    since, until = preview_window()
    digest = build_contexts(
        [owner.pk], period=current_period(), since=since, until=until
    )[owner.pk]
    found = {s.key: [item.title for item in s.items] for s in digest.sections}
    assert found["members"] == ["Tom Ashworth (LCC)"]
    assert found["notifications"] == [
        "Sam Patel asked to join Troubled Families Evaluation"
    ]


def test_the_preferences_page_offers_the_new_kinds(member_client, member):
    page = member_client.get(reverse("notifications:preferences")).content.decode()
    assert "Requests to join spaces I facilitate" in page
    assert "New members in spaces I facilitate" in page
    assert preferences_of(member)[Kind.JOIN_REQUEST] == Delivery.DIGEST
    assert preferences_of(member)[Kind.NEW_MEMBER] == Delivery.IN_APP
    # The digest lists new members anyway: "digest" is no choice for them.
    with pytest.raises(ValueError):
        preference_set(user=member, kind=Kind.NEW_MEMBER, delivery=Delivery.DIGEST)
    response = member_client.post(
        reverse("notifications:preferences"),
        {**preferences_of(member), "new_member": "digest"},
    )
    assert response.status_code == 200
    assert "Choose one of the options for: new members" in response.content.decode()
    assert preferences_of(member)[Kind.NEW_MEMBER] == Delivery.IN_APP
