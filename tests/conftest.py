"""Fixtures for the whole suite.

Real services: when DATABASE_URL / REDIS_URL are set (CI sets both) the suite
runs on PostgreSQL and Redis. Tests marked `services` need them; without them
they skip locally, naming what is missing, and fail in CI.
"""

import os
import shutil

import pytest
from django.conf import settings

from tests.factories import OrganisationFactory, UserFactory, give_totp

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(name, available):
    if available:
        return
    message = f"needs {name}: set it to run this test against the real service"
    if IN_CI:
        pytest.fail(f"CI must run against real services: {message}")
    pytest.skip(message)


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    require_service("REDIS_URL", bool(url))
    return url


@pytest.fixture
def postgres():
    require_service(
        "DATABASE_URL (PostgreSQL)",
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
    )


def _clear_this_runs_cache(settings):
    """Empty this run's cache keys only.

    RedisCache.clear() flushes the whole Redis database, which would wipe the
    rate-limit counters of a pytest-xdist worker running beside this one.
    """
    from django.core.cache import cache

    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        cache.clear()
        return
    client = cache._cache.get_client(None, write=True)
    keys = list(client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clean_cache_and_media(settings):
    # Rate limits live in the cache; each test starts with a clean slate.
    _clear_this_runs_cache(settings)
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        name="Department for Work and Pensions", abbreviation="DWP", domain="dwp.gov.uk"
    )


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(
        name="Leicestershire County Council",
        abbreviation="LCC",
        type="local authority",
        domain="leics.gov.uk",
    )


@pytest.fixture
def member(db, organisation):
    return UserFactory(
        email="amara@dwp.gov.uk",
        first_name="Amara",
        last_name="Okafor",
        organisation=organisation,
    )


@pytest.fixture
def other_member(db, other_organisation):
    return UserFactory(
        email="tom@leics.gov.uk",
        first_name="Tom",
        last_name="Ashworth",
        organisation=other_organisation,
    )


@pytest.fixture
def editor(db, organisation):
    return give_totp(
        UserFactory(
            email="editor@dwp.gov.uk", organisation=organisation, groups=["Editors"]
        )
    )


@pytest.fixture
def staff(db, organisation):
    return give_totp(
        UserFactory(email="staff@dwp.gov.uk", organisation=organisation, is_staff=True)
    )


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def open_space(db, organisation):
    from tests.factories import SpaceFactory

    return SpaceFactory(
        name="Data Sharing Community", visibility="open", lead_organisation=organisation
    )


@pytest.fixture
def closed_space(db, organisation):
    from tests.factories import SpaceFactory

    return SpaceFactory(
        name="Troubled Families Evaluation",
        visibility="closed",
        lead_organisation=organisation,
    )


@pytest.fixture
def secret_space(db, organisation):
    from tests.factories import SpaceFactory

    return SpaceFactory(
        name="Spending Review Options",
        visibility="secret",
        ceiling="official-sensitive",
        lead_organisation=organisation,
    )


@pytest.fixture
def facilitator(db, organisation):
    return UserFactory(
        email="fac@dwp.gov.uk",
        first_name="Fola",
        last_name="Adebayo",
        organisation=organisation,
    )
