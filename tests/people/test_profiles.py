"""Profiles: contact visibility, editing, photos, freshness and activity."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from people.models import Profile
from tests.factories import UserFactory, add_member
from tests.people.conftest import image_bytes, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(organisation):
    return make_person(
        "owner@dwp.gov.uk",
        "Olive",
        "Owner",
        organisation=organisation,
        phone="020 7946 0000",
    )


def set_visibility(user, email, phone):
    Profile.objects.filter(user=user).update(
        email_visibility=email, phone_visibility=phone
    )


def contact_shown(client, viewer, owner):
    client.force_login(viewer)
    body = client.get(f"/people/{owner.profile.handle}/").content.decode()
    return owner.email in body, "020 7946 0000" in body


@pytest.mark.parametrize(
    "email_visibility, phone_visibility, viewer_kind, expected",
    [
        ("members", "members", "member", (True, True)),
        ("members", "members", "space_mate", (True, True)),
        ("spaces", "spaces", "member", (False, False)),
        ("spaces", "spaces", "space_mate", (True, True)),
        ("spaces", "nobody", "space_mate", (True, False)),
        ("nobody", "members", "member", (False, True)),
        ("nobody", "nobody", "space_mate", (False, False)),
        ("nobody", "nobody", "self", (True, True)),
    ],
)
def test_each_contact_field_respects_its_visibility(
    client, owner, member, open_space, email_visibility, phone_visibility,
    viewer_kind, expected,
):  # fmt: skip
    set_visibility(owner, email_visibility, phone_visibility)
    add_member(open_space, owner)
    space_mate = UserFactory(email="mate@leics.gov.uk")
    add_member(open_space, space_mate)
    viewer = {"member": member, "space_mate": space_mate, "self": owner}[viewer_kind]
    assert contact_shown(client, viewer, owner) == expected


def test_anonymous_visitors_see_no_profile_or_contact(client, owner):
    response = client.get(f"/people/{owner.profile.handle}/")
    assert response.status_code == 302
    assert owner.email not in response.content.decode()


def test_member_edits_their_own_profile(member_client, member):
    response = member_client.post(
        "/people/me/edit/",
        {
            "first_name": "Amara",
            "last_name": "Okafor",
            "job_title": "Head of Data Sharing",
            "team": "Partnerships",
            "grade": "Grade 6",
            "profession": "Policy",
            "area_of_work": "Data sharing between DWP and councils.",
            "expertise": "Data sharing, shared services, Data Sharing",
            "happy_to_advise_on": "Writing a data sharing agreement",
            "region": "North West",
            "languages": "English, Yoruba",
            "email_visibility": "spaces",
            "phone": "+44 161 496 0000",
            "phone_visibility": "nobody",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.grade == "Grade 6"
    assert profile.email_visibility == "spaces"
    assert sorted(t.name for t in profile.expertise.all()) == [
        "Data sharing",
        "shared services",
    ]
    assert profile.last_confirmed_at is not None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("grade", "Emperor", "Select a valid choice"),
        ("email_visibility", "everyone", "Select a valid choice"),
        ("phone", "call me maybe", "Enter a phone number"),
        ("expertise", "x" * 61, "60 characters or fewer"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_saved(
    member_client, member, field, value, message
):
    data = {
        "first_name": "Amara",
        "last_name": "Changed",
        "email_visibility": "members",
        "phone_visibility": "members",
        field: value,
    }
    response = member_client.post("/people/me/edit/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    member.refresh_from_db()
    assert member.last_name == "Okafor"


def _photo_post(client, upload):
    return client.post(
        "/people/me/edit/",
        {
            "first_name": "Amara",
            "last_name": "Okafor",
            "email_visibility": "members",
            "phone_visibility": "members",
            "photo": upload,
        },
    )


def test_photo_is_resized_and_stored_as_jpeg(member_client, member):
    upload = SimpleUploadedFile(
        "me.png", image_bytes((1600, 1200)), content_type="image/png"
    )
    response = _photo_post(member_client, upload)
    assert response.status_code == 302
    from PIL import Image

    profile = Profile.objects.get(user=member)
    with profile.photo.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 400


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("cv.pdf", b"%PDF-1.4 not an image", "must be a JPG, PNG, GIF or WebP"),
        ("fake.png", b"\x89PNG\r\n\x1a\n broken", "must be a JPG, PNG, GIF or WebP"),
        ("page.jpg", b"<html><script>alert(1)</script></html>", "must be a JPG"),
    ],
)
def test_non_images_are_refused(member_client, member, name, content, message):
    response = _photo_post(member_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Profile.objects.get(user=member).photo


def test_oversized_photos_are_refused(member_client, member, settings):
    settings.COP_PROFILE_PHOTO_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.png", image_bytes((600, 600)) + b"\0" * 2048)
    response = _photo_post(member_client, upload)
    assert response.status_code == 200
    assert "The photo must be smaller than" in response.content.decode()
    assert not Profile.objects.get(user=member).photo


def test_a_member_cannot_edit_another_members_profile(client, member, other_member):
    # There is no URL for editing someone else's profile: /me/edit/ always
    # means the signed-in member, and the admin pages refuse non-admins.
    client.force_login(other_member)
    response = client.post(
        f"/people/{member.profile.handle}/manage/",
        {"organisation": other_member.profile.organisation_id, "team": "Hijacked"},
    )
    assert response.status_code == 403
    member.profile.refresh_from_db()
    assert member.profile.team == ""
    assert member.profile.organisation.abbreviation == "DWP"


def test_unconfirmed_profiles_are_marked_and_the_owner_can_confirm(
    client, member, other_member, settings
):
    settings.COP_PROFILE_CONFIRM_DAYS = 182
    old = timezone.now() - timedelta(days=200)
    Profile.objects.filter(user=member).update(last_confirmed_at=old)
    client.force_login(other_member)
    body = client.get(f"/people/{member.profile.handle}/").content.decode()
    assert "Details not confirmed since" in body
    assert "These are still right" not in body

    client.force_login(member)
    body = client.get(f"/people/{member.profile.handle}/").content.decode()
    assert "These are still right" in body
    response = client.post("/people/me/confirm/")
    assert response.status_code == 302
    body = client.get(f"/people/{member.profile.handle}/").content.decode()
    assert "Details not confirmed since" not in body
    assert client.get("/people/me/confirm/").status_code == 405


def test_last_active_is_written_on_sign_in_and_at_most_hourly(client, member):
    Profile.objects.filter(user=member).update(last_active_at=None)
    client.force_login(member)
    first = Profile.objects.get(user=member).last_active_at
    assert first is not None
    client.get("/people/")
    assert Profile.objects.get(user=member).last_active_at == first
    session = client.session
    session["cop_last_active"] = 0  # as if the last write were long ago
    session.save()
    client.get("/people/")
    assert Profile.objects.get(user=member).last_active_at > first


def test_follow_a_person(member_client, member, other_member):
    from people.services import follow_state

    handle = other_member.profile.handle
    response = member_client.post(f"/people/{handle}/follow/", {"following": "1"})
    assert response.status_code == 302
    assert follow_state(member, other_member) == "following"
    member_client.post(f"/people/{handle}/follow/", {"following": "0"})
    assert follow_state(member, other_member) is None
    assert member_client.get(f"/people/{handle}/follow/").status_code == 405


def test_unknown_and_deactivated_profiles_are_404(member_client, other_member):
    assert member_client.get("/people/no-such-person/").status_code == 404
    other_member.is_active = False
    other_member.save()
    response = member_client.get(f"/people/{other_member.profile.handle}/")
    assert response.status_code == 404


def test_reserved_words_never_become_handles(organisation):
    user = UserFactory(first_name="Organisations", last_name="", email="o@dwp.gov.uk")
    assert user.profile.handle == "organisations-2"


def test_profile_page_shows_visible_contributions_only(
    client, member, other_member, open_space, secret_space
):
    from people.services import contribution_record

    contribution_record(
        user=other_member, kind="document", target=open_space,
        title="Open guidance", topics=["Data sharing"], space=open_space,
    )  # fmt: skip
    contribution_record(
        user=other_member, kind="accepted_answer", target=secret_space,
        title="Secret answer", topics=["Spending"], space=secret_space,
    )  # fmt: skip
    client.force_login(member)
    body = client.get(f"/people/{other_member.profile.handle}/").content.decode()
    assert "Open guidance" in body
    assert "Secret answer" not in body
    assert "Spending" not in body
    add_member(secret_space, member)
    body = client.get(f"/people/{other_member.profile.handle}/").content.decode()
    assert "Secret answer" in body


def test_confirmation_due_tag_for_the_home_banner(member, settings):
    from django.template import Context, Template
    from django.test import RequestFactory

    template = Template(
        "{% load people_tags %}{% profile_confirmation_due as due %}"
        "{% if due %}due{% else %}fresh{% endif %}"
    )
    request = RequestFactory().get("/")
    request.user = member
    Profile.objects.filter(user=member).update(last_confirmed_at=timezone.now())
    member.profile.refresh_from_db()
    assert template.render(Context({"request": request})) == "fresh"
    Profile.objects.filter(user=member).update(
        last_confirmed_at=timezone.now() - timedelta(days=400)
    )
    member.profile.refresh_from_db()
    assert template.render(Context({"request": request})) == "due"
