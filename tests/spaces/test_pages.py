"""Spaces' pages as members see them: directory, overview, members, actions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from people.models import Invitation
from spaces.models import Action, JoinRequest, Membership, Space, SpaceInvitation
from tests.factories import SpaceFactory, UserFactory, add_member
from tests.spaces.conftest import queries_for

pytestmark = pytest.mark.django_db


def test_directory_lists_open_and_closed_spaces_but_not_secret_ones(
    client, outsider, open_space, closed_space, secret_space
):
    client.force_login(outsider)
    response = client.get("/spaces/")
    assert response.status_code == 200
    body = response.content.decode()
    assert open_space.name in body
    assert closed_space.name in body
    assert secret_space.name not in body
    assert "2 spaces" in body


def test_directory_shows_secret_spaces_to_their_members(
    client, space_member, secret_space
):
    client.force_login(space_member)
    body = client.get("/spaces/").content.decode()
    assert secret_space.name in body
    assert "3 spaces" in body


def test_directory_filters(client, member, organisation, other_organisation):
    SpaceFactory(name="Data Sharing Network", kind="network", visibility="open")
    project = SpaceFactory(
        name="Benefit Take-up Pilot",
        kind="project",
        visibility="closed",
        lead_organisation=other_organisation,
    )
    mine = SpaceFactory(name="Digital Inclusion Council", kind="council")
    add_member(mine, member)
    client.force_login(member)

    def names(**params):
        response = client.get("/spaces/", params)
        assert response.status_code == 200
        return [space.name for space in response.context["page"]]

    assert names(kind="project") == ["Benefit Take-up Pilot"]
    assert names(visibility="open") == [
        "Data Sharing Network",
        "Digital Inclusion Council",
    ]
    assert names(organisation=project.lead_organisation.slug) == [
        "Benefit Take-up Pilot"
    ]
    assert names(mine="on") == ["Digital Inclusion Council"]
    assert names(q="take-up") == ["Benefit Take-up Pilot"]
    empty = client.get("/spaces/", {"q": "nothing like this"})
    assert "No spaces match those filters" in empty.content.decode()


def test_directory_pages_twenty_at_a_time(client, member):
    for n in range(25):
        SpaceFactory(name=f"Space {n:02d}")
    client.force_login(member)
    first = client.get("/spaces/")
    assert len(first.context["page"]) == 20
    second = client.get("/spaces/", {"page": 2})
    assert len(second.context["page"]) == 5
    assert 'rel="prev"' in second.content.decode()


def _spaces(n, organisation, user):
    for i in range(n):
        visibility = ["open", "closed", "secret"][i % 3]
        space = SpaceFactory(
            name=f"Budget space {n}-{i}",
            visibility=visibility,
            lead_organisation=organisation,
        )
        add_member(space, user)
        add_member(space, UserFactory())


def test_directory_query_count_does_not_grow_with_spaces(
    client, member, organisation, django_assert_max_num_queries
):
    client.force_login(member)
    _spaces(3, organisation, member)
    client.get("/spaces/")  # warm: session, site
    small = queries_for(client, "/spaces/")
    _spaces(18, organisation, member)
    with django_assert_max_num_queries(small):
        response = client.get("/spaces/")
    assert len(response.context["page"]) == 20


def test_anonymous_visitors_are_sent_to_sign_in(client, open_space):
    for url in ("/spaces/", f"/spaces/{open_space.slug}/", "/spaces/new/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_space_page_shows_charter_and_organisations(
    client, outsider, organisation, other_organisation
):
    from spaces.models import SpaceOrganisation

    space = SpaceFactory(
        name="Benefit Take-up Pilot",
        kind="project",
        visibility="closed",
        lead_organisation=organisation,
        charter_outputs="A shared referral route.",
        charter_timescale="April 2026 to March 2027",
        charter_benefits="Fewer missed claims.",
    )
    SpaceOrganisation.objects.create(
        space=space,
        organisation=other_organisation,
        role="Runs the pilot in two districts",
        benefits="Evidence for its anti-poverty strategy",
    )
    client.force_login(outsider)
    body = client.get(f"/spaces/{space.slug}/").content.decode()
    assert "A shared referral route." in body
    assert "April 2026 to March 2027" in body
    assert "Runs the pilot in two districts" in body
    assert "Evidence for its anti-poverty strategy" in body
    assert "Ask to join" in body
    assert "Only members can see" in body


def test_create_space_makes_the_creator_owner_and_their_organisation_lead(
    client, member, organisation
):
    client.force_login(member)
    response = client.post(
        "/spaces/new/",
        {
            "name": "Youth Justice Data",
            "purpose": "Join up data on young people in the justice system.",
            "kind": "community",
            "visibility": "closed",
            "ceiling": "official",
        },
    )
    space = Space.objects.get(name="Youth Justice Data")
    assert response.status_code == 302
    assert response["Location"] == f"/spaces/{space.slug}/"
    assert space.lead_organisation == organisation
    assert Membership.objects.get(space=space, user=member).role == "owner"
    assert member.contributions.filter(kind="facilitation").exists()


def test_create_space_refuses_missing_fields(client, member):
    client.force_login(member)
    response = client.post("/spaces/new/", {"name": "", "purpose": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a name for the space." in body
    assert "There is a problem" in body
    assert not Space.objects.exists()


def test_create_space_refuses_a_member_without_an_organisation(client):
    loner = UserFactory(email="loner@example.org")
    client.force_login(loner)
    response = client.post(
        "/spaces/new/",
        {
            "name": "Orphan",
            "purpose": "x",
            "kind": "community",
            "visibility": "open",
            "ceiling": "official",
        },
    )
    assert "Your profile has no organisation" in response.content.decode()
    assert not Space.objects.exists()


def test_a_space_named_like_a_page_gets_another_slug(client, member):
    client.force_login(member)
    client.post(
        "/spaces/new/",
        {
            "name": "New",
            "purpose": "x",
            "kind": "community",
            "visibility": "open",
            "ceiling": "official",
        },
    )
    assert Space.objects.get(name="New").slug == "new-space"


def test_only_facilitators_edit_a_space(client, member, facilitator, open_space):
    add_member(open_space, member)
    add_member(open_space, facilitator, "facilitator")
    client.force_login(member)
    assert client.get(f"/spaces/{open_space.slug}/edit/").status_code == 403
    client.force_login(facilitator)
    response = client.post(
        f"/spaces/{open_space.slug}/edit/",
        {
            "name": "Data Sharing Community",
            "purpose": "New purpose.",
            "kind": "community",
            "visibility": "open",
            "ceiling": "official",
            "charter_timescale": "Ongoing",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    open_space.refresh_from_db()
    assert open_space.purpose == "New purpose."


def test_facilitator_adds_a_participating_organisation(
    client, facilitator, open_space, other_organisation
):
    add_member(open_space, facilitator, "owner")
    client.force_login(facilitator)
    response = client.post(
        f"/spaces/{open_space.slug}/organisations/",
        {
            "organisation": other_organisation.pk,
            "role": "Hosts workshops",
            "benefits": "Learns from others",
        },
    )
    assert response.status_code == 302
    assert open_space.participations.get(organisation=other_organisation).role == (
        "Hosts workshops"
    )
    client.post(
        f"/spaces/{open_space.slug}/organisations/{other_organisation.pk}/remove/"
    )
    assert not open_space.participations.filter(
        organisation=other_organisation
    ).exists()


def test_join_an_open_space_and_leave_it(client, outsider, open_space):
    client.force_login(outsider)
    response = client.post(f"/spaces/{open_space.slug}/join/")
    assert response.status_code == 302
    assert Membership.objects.filter(space=open_space, user=outsider).exists()
    response = client.post(f"/spaces/{open_space.slug}/leave/")
    assert response.status_code == 302
    assert not Membership.objects.filter(space=open_space, user=outsider).exists()


def test_joining_a_closed_space_straight_away_is_refused(
    client, outsider, closed_space
):
    client.force_login(outsider)
    response = client.post(f"/spaces/{closed_space.slug}/join/", follow=True)
    assert "ask to join" in response.content.decode()
    assert not Membership.objects.filter(space=closed_space, user=outsider).exists()


def test_ask_to_join_a_closed_space_then_a_facilitator_approves(
    client, outsider, facilitator, closed_space
):
    add_member(closed_space, facilitator, "facilitator")
    client.force_login(outsider)
    response = client.post(
        f"/spaces/{closed_space.slug}/ask-to-join/",
        {"message": "I lead on this in Leicestershire."},
    )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(space=closed_space, user=outsider)
    again = client.post(f"/spaces/{closed_space.slug}/ask-to-join/", {"message": ""})
    assert again.status_code == 400
    assert "already asked to join" in again.content.decode()
    assert JoinRequest.objects.filter(space=closed_space, user=outsider).count() == 1

    # A member who is not a facilitator cannot decide.
    client.force_login(outsider)
    assert (
        client.post(
            f"/spaces/{closed_space.slug}/requests/{join_request.pk}/approve/"
        ).status_code
        == 403
    )

    client.force_login(facilitator)
    page = client.get(f"/spaces/{closed_space.slug}/members/").content.decode()
    assert "I lead on this in Leicestershire." in page
    client.post(f"/spaces/{closed_space.slug}/requests/{join_request.pk}/approve/")
    join_request.refresh_from_db()
    assert join_request.status == "approved"
    assert join_request.decided_by == facilitator
    assert Membership.objects.filter(space=closed_space, user=outsider).exists()


def test_facilitator_declines_a_request(client, outsider, facilitator, closed_space):
    add_member(closed_space, facilitator, "facilitator")
    join_request = JoinRequest.objects.create(space=closed_space, user=outsider)
    client.force_login(facilitator)
    client.post(f"/spaces/{closed_space.slug}/requests/{join_request.pk}/decline/")
    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert not Membership.objects.filter(space=closed_space, user=outsider).exists()


def test_the_last_owner_cannot_leave(client, facilitator, open_space):
    add_member(open_space, facilitator, "owner")
    client.force_login(facilitator)
    response = client.post(f"/spaces/{open_space.slug}/leave/")
    assert response.status_code == 400
    assert "only owner" in response.content.decode()
    assert Membership.objects.filter(space=open_space, user=facilitator).exists()


def test_facilitator_changes_roles_and_removes_members(
    client, facilitator, member, other_member, open_space
):
    add_member(open_space, facilitator, "owner")
    target = add_member(open_space, member)
    add_member(open_space, other_member)
    client.force_login(facilitator)
    client.post(
        f"/spaces/{open_space.slug}/members/{target.pk}/role/", {"role": "facilitator"}
    )
    target.refresh_from_db()
    assert target.role == "facilitator"
    confirm = client.get(f"/spaces/{open_space.slug}/members/{target.pk}/remove/")
    assert "Remove Amara Okafor from the space?" in confirm.content.decode()
    assert Membership.objects.filter(pk=target.pk).exists()
    client.post(f"/spaces/{open_space.slug}/members/{target.pk}/remove/")
    assert not Membership.objects.filter(pk=target.pk).exists()

    # A plain member can do neither.
    client.force_login(other_member)
    owner = Membership.objects.get(space=open_space, user=facilitator)
    remove = f"/spaces/{open_space.slug}/members/{owner.pk}/remove/"
    assert client.get(remove).status_code == 403
    assert client.post(remove).status_code == 403
    assert (
        client.post(
            f"/spaces/{open_space.slug}/members/{owner.pk}/role/", {"role": "member"}
        ).status_code
        == 403
    )
    assert Membership.objects.get(pk=owner.pk).role == "owner"


def test_invite_someone_with_an_account(
    client, facilitator, other_member, closed_space, django_capture_on_commit_callbacks
):
    add_member(closed_space, facilitator, "owner")
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/spaces/{closed_space.slug}/members/invite/",
            {"email": "TOM@leics.gov.uk", "role": "member"},
        )
    assert response.status_code == 302
    invitation = SpaceInvitation.objects.get(space=closed_space)
    assert invitation.email == "tom@leics.gov.uk"
    assert len(mail.outbox) == 1
    assert f"/spaces/invitations/{invitation.token}/" in mail.outbox[0].body
    assert not Invitation.objects.exists()  # they already have an account

    client.force_login(other_member)
    page = client.get(f"/spaces/invitations/{invitation.token}/")
    assert "Accept and join" in page.content.decode()
    response = client.post(
        f"/spaces/invitations/{invitation.token}/", {"decision": "accept"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(space=closed_space, user=other_member).role == (
        "member"
    )
    again = client.post(
        f"/spaces/invitations/{invitation.token}/", {"decision": "accept"}
    )
    assert again.status_code == 400
    assert "already been accepted" in again.content.decode()


def test_invite_someone_outside_the_allow_list_lets_them_sign_up(
    client, facilitator, closed_space, organisation, django_capture_on_commit_callbacks
):
    add_member(closed_space, facilitator, "owner")
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/spaces/{closed_space.slug}/members/invite/",
            {"email": "sam@charity.org.uk", "role": "member"},
        )
    signup = Invitation.objects.get(email="sam@charity.org.uk")
    assert signup.organisation == closed_space.lead_organisation
    body = mail.outbox[0].body
    assert f"/people/invitations/{signup.token}/" in body
    assert "/spaces/invitations/" in body

    client.logout()
    invitation = SpaceInvitation.objects.get(email="sam@charity.org.uk")
    page = client.get(f"/spaces/invitations/{invitation.token}/").content.decode()
    assert f"/people/invitations/{signup.token}/" in page
    assert "Sign in" in page


def test_invitation_for_someone_else_is_refused(
    client, facilitator, member, closed_space
):
    add_member(closed_space, facilitator, "owner")
    invitation = SpaceInvitation.objects.create(
        space=closed_space, email="someone@leics.gov.uk", invited_by=facilitator
    )
    client.force_login(member)
    page = client.get(f"/spaces/invitations/{invitation.token}/").content.decode()
    assert "this invitation is for someone@leics.gov.uk" in page
    response = client.post(
        f"/spaces/invitations/{invitation.token}/", {"decision": "accept"}
    )
    assert response.status_code == 400
    assert "Sign in with that address" in response.content.decode()
    assert not Membership.objects.filter(space=closed_space, user=member).exists()


def test_expired_and_forged_invitations_are_refused(
    client, facilitator, other_member, closed_space
):
    expired = SpaceInvitation.objects.create(
        space=closed_space,
        email=other_member.email,
        invited_by=facilitator,
        expires_at=timezone.now() - timedelta(days=1),
    )
    client.force_login(other_member)
    response = client.post(
        f"/spaces/invitations/{expired.token}/", {"decision": "accept"}
    )
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    forged = client.get("/spaces/invitations/not-a-real-token/")
    assert forged.status_code == 400
    assert closed_space.name not in forged.content.decode()
    assert not Membership.objects.filter(user=other_member).exists()


def test_decline_an_invitation(client, facilitator, other_member, closed_space):
    invitation = SpaceInvitation.objects.create(
        space=closed_space, email=other_member.email, invited_by=facilitator
    )
    client.force_login(other_member)
    client.post(f"/spaces/invitations/{invitation.token}/", {"decision": "decline"})
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert not Membership.objects.filter(user=other_member).exists()


def test_only_facilitators_invite(client, member, open_space):
    add_member(open_space, member)
    client.force_login(member)
    response = client.post(
        f"/spaces/{open_space.slug}/members/invite/",
        {"email": "x@dwp.gov.uk", "role": "member"},
    )
    assert response.status_code == 403
    assert not SpaceInvitation.objects.exists()
    assert not mail.outbox


def test_action_log_highlights_overdue_actions_with_a_tag(client, member, closed_space):
    add_member(closed_space, member)
    yesterday = timezone.localdate() - timedelta(days=1)
    Action.objects.create(
        space=closed_space, description="Agree the data sharing agreement",
        due_date=yesterday, owner=member,
    )  # fmt: skip
    Action.objects.create(
        space=closed_space, description="Publish the evaluation",
        due_date=yesterday, status="done",
    )  # fmt: skip
    client.force_login(member)
    response = client.get(f"/spaces/{closed_space.slug}/actions/")
    body = response.content.decode()
    assert body.count(">Overdue</strong>") == 1
    response = client.post(
        f"/spaces/{closed_space.slug}/actions/",
        {
            "description": "Book the workshop",
            "owner": member.pk,
            "due_date": "2030-01-15",
            "status": "open",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(description="Book the workshop")
    response = client.post(
        f"/spaces/{closed_space.slug}/actions/{action.pk}/edit/",
        {
            "description": "Book the workshop",
            "due_date": "2030-01-15",
            "status": "done",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_action_owner_must_be_a_member(client, member, other_member, closed_space):
    add_member(closed_space, member)
    client.force_login(member)
    response = client.post(
        f"/spaces/{closed_space.slug}/actions/",
        {"description": "Write up", "owner": other_member.pk, "status": "open"},
    )
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_non_members_cannot_read_a_closed_space_s_pages(client, outsider, closed_space):
    client.force_login(outsider)
    for tab in ("members", "actions", "documents", "documents/upload"):
        assert client.get(f"/spaces/{closed_space.slug}/{tab}/").status_code == 403
