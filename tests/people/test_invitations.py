"""Invitations let a named address join from outside the allow-list."""

import pytest
from django.core import mail

from people.models import Invitation, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def signup(client, email):
    return client.post(
        "/accounts/signup/",
        {
            "first_name": "Pat",
            "last_name": "Guest",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.fixture
def org_admin(organisation):
    user = UserFactory(email="admin@dwp.gov.uk", organisation=organisation)
    user.profile.is_organisation_admin = True
    user.profile.save()
    return user


def test_org_admin_invites_a_partner_who_then_signs_up(client, org_admin, organisation):
    client.force_login(org_admin)
    response = client.post(
        "/people/invite/",
        {"email": "pat@charity.org.uk", "organisation": organisation.pk},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="pat@charity.org.uk")
    assert invitation.invited_by == org_admin
    assert len(mail.outbox) == 1
    assert f"/people/invitations/{invitation.token}/" in mail.outbox[0].body
    assert "/people/invitations/" in mail.outbox[0].alternatives[0][0]

    client.logout()
    response = client.get(f"/people/invitations/{invitation.token}/")
    assert response.status_code == 302
    assert "email=pat@charity.org.uk" in response["Location"]
    response = signup(client, "pat@charity.org.uk")
    assert response.status_code == 302
    guest = User.objects.get(email="pat@charity.org.uk")
    assert guest.profile.organisation == organisation
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_only_covers_the_address_it_was_sent_to(
    client, org_admin, organisation
):
    invitation = Invitation.objects.create(
        email="pat@charity.org.uk", organisation=organisation, invited_by=org_admin
    )
    client.get(f"/people/invitations/{invitation.token}/")
    response = signup(client, "someone.else@charity.org.uk")
    assert "cannot sign up on their own" in response.content.decode()
    assert not User.objects.filter(email="someone.else@charity.org.uk").exists()


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 64])
def test_tampered_invitation_token_is_refused_and_creates_nothing(client, token):
    response = client.get(f"/people/invitations/{token}/")
    assert response.status_code == 400
    assert "This invitation link is not valid" in response.content.decode()
    assert "cop_invitation_token" not in client.session
    response = signup(client, "pat@charity.org.uk")
    assert not User.objects.filter(email="pat@charity.org.uk").exists()


def test_expired_invitation_is_refused(client, org_admin, organisation):
    from datetime import timedelta

    from django.utils import timezone

    invitation = Invitation.objects.create(
        email="late@charity.org.uk",
        organisation=organisation,
        invited_by=org_admin,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    response = client.get(f"/people/invitations/{invitation.token}/")
    assert response.status_code == 400
    assert "This invitation has expired" in response.content.decode()


def test_used_invitation_cannot_be_used_again(client, org_admin, organisation):
    invitation = Invitation.objects.create(
        email="pat@charity.org.uk", organisation=organisation, invited_by=org_admin
    )
    client.get(f"/people/invitations/{invitation.token}/")
    signup(client, "pat@charity.org.uk")
    client.logout()
    response = client.get(f"/people/invitations/{invitation.token}/")
    assert "already been used" in response.content.decode()


def test_plain_member_cannot_invite(member_client):
    response = member_client.post(
        "/people/invite/", {"email": "pat@charity.org.uk", "organisation": 1}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_org_admin_cannot_invite_into_another_organisation(
    client, org_admin, other_organisation
):
    client.force_login(org_admin)
    response = client.post(
        "/people/invite/",
        {"email": "pat@charity.org.uk", "organisation": other_organisation.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_staff_can_invite_into_any_organisation(client, staff, other_organisation):
    client.force_login(staff)
    client.post(
        "/people/invite/",
        {"email": "pat@charity.org.uk", "organisation": other_organisation.pk},
    )
    assert Invitation.objects.get().organisation == other_organisation


def test_inviting_an_existing_member_is_refused(
    client, org_admin, organisation, member
):
    client.force_login(org_admin)
    response = client.post(
        "/people/invite/", {"email": member.email, "organisation": organisation.pk}
    )
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_sign_in_to_invite(client):
    response = client.get("/people/invite/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
