"""Fixtures for the people directory tests."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from people.models import Profile
from tests.e2e.conftest import (  # noqa: F401 (the browser journey's fixtures)
    browser,
    browser_page,
    chromium_path,
    live_url,
    new_browser_page,
)
from tests.factories import UserFactory


def make_person(
    email,
    first,
    last,
    *,
    organisation=None,
    expertise=(),
    active_days_ago=1,
    **fields,
):
    """A member with profile details; last active `active_days_ago` days ago."""
    user = UserFactory(
        email=email, first_name=first, last_name=last, organisation=organisation
    )
    profile = user.profile
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.last_active_at = (
        None
        if active_days_ago is None
        else timezone.now() - timedelta(days=active_days_ago)
    )
    profile.save()
    if expertise:
        profile.expertise.set(list(expertise))
    return user


@pytest.fixture
def person():
    return make_person


@pytest.fixture
def org_admin(organisation):
    user = UserFactory(
        email="orgadmin@dwp.gov.uk",
        first_name="Olu",
        last_name="Admin",
        organisation=organisation,
    )
    Profile.objects.filter(user=user).update(is_organisation_admin=True)
    user.profile.refresh_from_db()
    return user


def image_bytes(size=(800, 600), fmt="PNG", color=(200, 30, 30)):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()
