"""Services: the rules behind the pages, and the refusals that change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from people.models import Contribution
from spaces import services, signals
from spaces.models import JoinRequest, Membership, SpaceInvitation
from tests.factories import add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(facilitator, closed_space):
    add_member(closed_space, facilitator, "owner")
    return facilitator


def test_space_create_records_facilitation(member, organisation):
    space = services.space_create(
        user=member,
        name="Place-based Working",
        purpose="Share what works in places.",
        kind="network",
        visibility="open",
        ceiling="official",
    )
    assert space.lead_organisation == organisation
    assert list(space.organisations.all()) == [organisation]
    contribution = Contribution.objects.get(user=member, kind="facilitation")
    assert contribution.title == "Place-based Working"


def test_a_facilitator_cannot_appoint_or_touch_owners(
    closed_space, owner, member, other_member
):
    helper = add_member(closed_space, member, "facilitator")
    target = add_member(closed_space, other_member)
    owner_membership = Membership.objects.get(space=closed_space, user=owner)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(
            space=closed_space, by=member, membership_id=target.pk, role="owner"
        )
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            space=closed_space, by=member, membership_id=owner_membership.pk
        )
    with pytest.raises(PermissionDenied):
        services.space_invite(
            space=closed_space, by=member, email="x@dwp.gov.uk", role="owner"
        )
    assert helper.role == "facilitator"
    target.refresh_from_db()
    assert target.role == "member"
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


def test_the_last_owner_cannot_be_demoted_or_removed(closed_space, owner):
    membership = Membership.objects.get(space=closed_space, user=owner)
    with pytest.raises(ValidationError, match="only owner"):
        services.membership_set_role(
            space=closed_space, by=owner, membership_id=membership.pk, role="member"
        )
    with pytest.raises(ValidationError):
        services.membership_remove(
            space=closed_space, by=owner, membership_id=membership.pk
        )
    membership.refresh_from_db()
    assert membership.role == "owner"


def test_with_two_owners_one_may_leave(closed_space, owner, member):
    add_member(closed_space, member, "owner")
    services.membership_leave(space=closed_space, user=owner)
    assert not Membership.objects.filter(space=closed_space, user=owner).exists()


def test_promotion_records_and_demotion_removes_facilitation(
    closed_space, owner, member
):
    membership = add_member(closed_space, member)
    services.membership_set_role(
        space=closed_space, by=owner, membership_id=membership.pk, role="facilitator"
    )
    assert Contribution.objects.filter(user=member, kind="facilitation").exists()
    services.membership_set_role(
        space=closed_space, by=owner, membership_id=membership.pk, role="member"
    )
    assert not Contribution.objects.filter(user=member, kind="facilitation").exists()


def test_an_invalid_role_is_refused(closed_space, owner, member):
    membership = add_member(closed_space, member)
    with pytest.raises(ValidationError):
        services.membership_set_role(
            space=closed_space, by=owner, membership_id=membership.pk, role="king"
        )


def test_join_requests_only_for_closed_spaces(open_space, secret_space, outsider):
    with pytest.raises(ValidationError, match="Only closed spaces"):
        services.join_request_create(space=open_space, user=outsider)
    with pytest.raises(PermissionDenied):
        services.join_request_create(space=secret_space, user=outsider)
    assert not JoinRequest.objects.exists()


def test_a_decided_request_cannot_be_decided_again(closed_space, owner, outsider):
    join_request = services.join_request_create(space=closed_space, user=outsider)
    services.join_request_decline(
        space=closed_space, by=owner, request_id=join_request.pk
    )
    with pytest.raises(ValidationError, match="already been decided"):
        services.join_request_approve(
            space=closed_space, by=owner, request_id=join_request.pk
        )
    assert not Membership.objects.filter(space=closed_space, user=outsider).exists()


def test_signals_are_sent_on_commit(
    closed_space, owner, outsider, django_capture_on_commit_callbacks
):
    seen = []

    def listener(signal, **kwargs):
        seen.append(signal)

    for signal in (
        signals.join_requested,
        signals.member_joined,
        signals.member_invited,
    ):
        signal.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            join_request = services.join_request_create(
                space=closed_space, user=outsider
            )
            services.join_request_approve(
                space=closed_space, by=owner, request_id=join_request.pk
            )
            services.space_invite(space=closed_space, by=owner, email="a@dwp.gov.uk")
        assert seen == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        for signal in (
            signals.join_requested,
            signals.member_joined,
            signals.member_invited,
        ):
            signal.disconnect(listener)
    assert seen == [
        signals.join_requested,
        signals.member_joined,
        signals.member_invited,
    ]


def test_inviting_a_member_again_is_refused(closed_space, owner, member):
    add_member(closed_space, member)
    with pytest.raises(ValidationError, match="already a member"):
        services.space_invite(space=closed_space, by=owner, email=member.email)
    assert not SpaceInvitation.objects.exists()


def test_a_new_invitation_replaces_the_pending_one(closed_space, owner):
    first = services.space_invite(space=closed_space, by=owner, email="a@dwp.gov.uk")
    second = services.space_invite(space=closed_space, by=owner, email="a@dwp.gov.uk")
    first.refresh_from_db()
    assert first.is_expired
    assert not second.is_expired


def test_an_invitation_as_facilitator_promotes_an_existing_member(
    closed_space, owner, other_member
):
    invitation = services.space_invite(
        space=closed_space, by=owner, email=other_member.email, role="facilitator"
    )
    services.invitation_accept(token=invitation.token, user=other_member)
    membership = Membership.objects.get(space=closed_space, user=other_member)
    assert membership.role == "facilitator"
    # Their organisation now takes part in the space.
    assert closed_space.participations.filter(
        organisation=other_member.profile.organisation
    ).exists()


def test_archived_spaces_take_nothing_new(open_space, member, upload):
    add_member(open_space, member, "owner")
    services.space_update(space=open_space, by=member, archived=True)
    with pytest.raises(PermissionDenied, match="archived"):
        upload(open_space, member)
    with pytest.raises(ValidationError, match="archived"):
        services.space_invite(space=open_space, by=member, email="a@dwp.gov.uk")


def test_spaces_are_listed_in_the_wagtail_admin_for_superusers(client, open_space):
    from tests.factories import UserFactory, give_totp

    admin = give_totp(
        UserFactory(email="root@dwp.gov.uk", is_staff=True, is_superuser=True)
    )
    client.force_login(admin)
    response = client.get("/admin/snippets/spaces/space/")
    assert response.status_code == 200
    assert open_space.name in response.content.decode()
    edit = client.get(f"/admin/snippets/spaces/space/edit/{open_space.pk}/")
    assert edit.status_code == 200


def test_the_model_refuses_a_ceiling_below_its_documents(sensitive_space):
    from spaces.models import Document

    Document.objects.create(
        space=sensitive_space, title="Fraud patterns", marking="official-sensitive"
    )
    sensitive_space.ceiling = "official"
    with pytest.raises(ValidationError, match="OFFICIAL-SENSITIVE"):
        sensitive_space.full_clean()


def test_accepting_an_invitation_settles_a_waiting_join_request(
    closed_space, owner, other_member
):
    join_request = services.join_request_create(space=closed_space, user=other_member)
    invitation = services.space_invite(
        space=closed_space, by=owner, email=other_member.email
    )
    services.invitation_accept(token=invitation.token, user=other_member)
    join_request.refresh_from_db()
    assert join_request.status == "approved"
    assert not closed_space.join_requests.filter(status="pending").exists()
