"""Organisation admins: what they may change, leavers and key contacts."""

import pytest

from people.models import Contribution, OrganisationKeyContact, Profile
from people.services import contribution_record
from people.signals import member_left
from spaces.models import Membership
from tests.factories import UserFactory, add_member, give_totp
from tests.people.conftest import make_person

pytestmark = pytest.mark.django_db


def test_org_admin_changes_only_organisation_and_team(
    client, org_admin, member, other_organisation
):
    client.force_login(org_admin)
    response = client.post(
        f"/people/{member.profile.handle}/manage/",
        {
            "organisation": other_organisation.pk,
            "team": "Digital",
            "job_title": "Sneaky change",
            "grade": "Director",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.organisation == other_organisation
    assert profile.team == "Digital"
    assert profile.job_title == ""
    assert profile.grade == ""


def test_org_admin_outside_their_organisation_is_refused(
    client, org_admin, other_member
):
    client.force_login(org_admin)
    url = f"/people/{other_member.profile.handle}/manage/"
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"organisation": org_admin.profile.organisation_id, "team": "Taken"}
    )
    assert response.status_code == 404
    profile = Profile.objects.get(user=other_member)
    assert profile.team == ""
    assert profile.organisation.abbreviation == "LCC"
    # Nor can they mark someone else's member as a leaver.
    response = client.post(
        f"/people/{other_member.profile.handle}/leaver/",
        {"successor": org_admin.pk, "confirm": "on"},
    )
    assert response.status_code == 404
    other_member.refresh_from_db()
    assert other_member.is_active


def test_org_admin_form_errors_save_nothing(client, org_admin, member):
    client.force_login(org_admin)
    response = client.post(
        f"/people/{member.profile.handle}/manage/",
        {"organisation": 999_999, "team": "Digital"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Profile.objects.get(user=member).team == ""


def test_leaver_handover(client, org_admin, organisation, open_space, secret_space):
    leaver = make_person(
        "leaving@dwp.gov.uk", "Lee", "Leaving", organisation=organisation,
        expertise=["Data sharing"],
    )  # fmt: skip
    successor = make_person("next@dwp.gov.uk", "Nat", "Next", organisation=organisation)
    add_member(open_space, leaver, "owner")
    add_member(secret_space, leaver, "facilitator")
    add_member(secret_space, successor, "member")
    contact = contribution_record(
        user=leaver, kind="case_study_contact", target=open_space,
        title="A case study", topics=["Data sharing"],
    )  # fmt: skip
    authored = contribution_record(
        user=leaver, kind="case_study", target=open_space, title="A case study",
    )  # fmt: skip
    OrganisationKeyContact.objects.create(
        organisation=organisation, user=leaver, role="Data sharing"
    )
    received = []

    def receiver(sender, leaver, successor, **kwargs):
        received.append((leaver.pk, successor.pk))

    member_left.connect(receiver)
    try:
        client.force_login(org_admin)
        response = client.post(
            f"/people/{leaver.profile.handle}/leaver/",
            {"successor": successor.pk, "confirm": "on"},
        )
    finally:
        member_left.disconnect(receiver)
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver.profile.is_leaver
    assert leaver.profile.successor == successor
    roles = dict(
        Membership.objects.filter(user=successor).values_list("space_id", "role")
    )
    assert roles == {open_space.pk: "owner", secret_space.pk: "facilitator"}
    assert not Membership.objects.filter(user=leaver).exists()
    contact.refresh_from_db()
    assert contact.user == successor
    authored.refresh_from_db()
    assert authored.user == leaver  # their own work keeps their name
    assert OrganisationKeyContact.objects.get().user == successor
    assert received == [(leaver.pk, successor.pk)]

    client.force_login(successor)
    assert (
        client.get("/people/", {"q": "Lee Leaving"}).context["results"].paginator.count
        == 0
    )
    body = client.get(f"/people/{leaver.profile.handle}/").content.decode()
    assert "has left" in body
    assert "Nat Next" in body


def test_leaver_successor_must_be_someone_else_in_the_organisation(
    client, org_admin, member, other_member
):
    client.force_login(org_admin)
    url = f"/people/{member.profile.handle}/leaver/"
    for successor in (member, other_member):  # themselves; another organisation
        response = client.post(url, {"successor": successor.pk, "confirm": "on"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {"successor": org_admin.pk})  # not confirmed
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.is_active


def test_staff_can_mark_any_leaver_but_members_cannot(
    client, member, other_member, staff
):
    client.force_login(member)
    url = f"/people/{other_member.profile.handle}/leaver/"
    assert (
        client.post(url, {"successor": member.pk, "confirm": "on"}).status_code == 403
    )
    other_member.refresh_from_db()
    assert other_member.is_active
    client.force_login(give_totp(staff))
    response = client.post(url, {"successor": member.pk, "confirm": "on"})
    assert response.status_code == 302
    other_member.refresh_from_db()
    assert not other_member.is_active


def test_duplicate_contact_slots_merge_on_handover(organisation, open_space, staff):
    from people.services import member_mark_leaver

    leaver = UserFactory(email="l@dwp.gov.uk", organisation=organisation)
    successor = UserFactory(email="s@dwp.gov.uk", organisation=organisation)
    for user in (leaver, successor):
        contribution_record(
            user=user, kind="case_study_contact", target=open_space, title="CS"
        )
    member_mark_leaver(by=staff, leaver=leaver, successor=successor)
    assert list(Contribution.objects.values_list("user_id", flat=True)) == [
        successor.pk
    ]
    with pytest.raises(ValueError):
        member_mark_leaver(by=staff, leaver=leaver, successor=successor)


def test_key_contacts_named_by_org_admins_only(
    client, org_admin, member, other_member, organisation, other_organisation
):
    client.force_login(org_admin)
    url = f"/people/organisations/{organisation.slug}/key-contacts/"
    response = client.post(url, {"user": member.pk, "role": "Data sharing"})
    assert response.status_code == 302
    body = client.get(f"/people/organisations/{organisation.slug}/").content.decode()
    assert "Data sharing" in body and "Amara Okafor" in body
    # Someone from another organisation cannot be named.
    response = client.post(url, {"user": other_member.pk, "role": "X"})
    assert response.status_code == 200
    # Not their organisation: 404, nothing saved.
    other_url = f"/people/organisations/{other_organisation.slug}/key-contacts/"
    assert (
        client.post(other_url, {"user": other_member.pk, "role": "X"}).status_code
        == 404
    )
    # Plain members: 403.
    client.force_login(member)
    assert client.post(url, {"user": member.pk, "role": "Me"}).status_code == 403
    contact = OrganisationKeyContact.objects.get()
    assert contact.role == "Data sharing"
    remove = (
        f"/people/organisations/{organisation.slug}/key-contacts/{contact.pk}/remove/"
    )
    assert client.post(remove).status_code == 403
    client.force_login(org_admin)
    assert client.post(remove).status_code == 302
    assert not OrganisationKeyContact.objects.exists()
