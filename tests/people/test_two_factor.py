"""Two-factor authentication is required for staff and editors; the Wagtail
admin signs in through allauth."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    # A real sign-in (not force_login), so allauth knows how recently the
    # member authenticated, as it does before letting them add an authenticator.
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("kind", ["staff", "editor"])
def test_privileged_member_without_totp_must_set_it_up(client, organisation, kind):
    extra = {"is_staff": True} if kind == "staff" else {"groups": ["Editors"]}
    user = UserFactory(email=f"{kind}@dwp.gov.uk", organisation=organisation, **extra)
    sign_in(client, user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # The set-up page itself is reachable.
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_privileged_member_with_totp_goes_through(client, editor):
    client.force_login(editor)
    assert client.get("/").status_code == 200


def test_plain_member_is_not_asked_for_two_factor(member_client):
    assert member_client.get("/").status_code == 200


def test_totp_can_be_activated_with_a_valid_code(client, organisation):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal import auth as totp

    user = UserFactory(
        email="ed@dwp.gov.uk", organisation=organisation, groups=["Editors"]
    )
    sign_in(client, user)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    counter = next(totp.yield_hotp_counters_from_time())
    code = totp.format_hotp_value(totp.hotp_value(secret, counter))
    client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get("/").status_code == 200


def test_wagtail_admin_signs_in_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_plain_member_cannot_use_the_admin(member_client):
    response = member_client.get("/admin/pages/")
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_editor_reaches_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_editors_group_can_review_and_publish_pages():
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="access_admin").exists()
    codenames = set(
        GroupPagePermission.objects.filter(group=editors).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= codenames
    from wagtail.models import GroupApprovalTask

    assert GroupApprovalTask.objects.filter(groups=editors).exists()
    assert Permission.objects.filter(codename="publish_page").exists()
