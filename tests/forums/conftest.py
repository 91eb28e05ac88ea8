"""Fixtures for forums: a space with people in every role and a thread in it."""

import pytest

from forums import services
from tests.factories import UserFactory, add_member


@pytest.fixture
def space(open_space, member, other_member, facilitator):
    add_member(open_space, member)
    add_member(open_space, other_member)
    add_member(open_space, facilitator, "facilitator")
    return open_space


@pytest.fixture
def outsider(db):
    return UserFactory(
        email="olu@example.gov.uk", first_name="Olu", last_name="Bankole"
    )


@pytest.fixture
def thread(space, member):
    return services.thread_create(
        space=space,
        author=member,
        title="Sharing benefit data with councils",
        body="How are others handling the data sharing agreement?",
    )


@pytest.fixture
def question(space, member):
    return services.thread_create(
        space=space,
        author=member,
        title="Which legal gateway covers this?",
        body="We want to share address changes with councils.",
        kind="question",
    )


@pytest.fixture
def closed_thread(closed_space, member):
    add_member(closed_space, member)
    return services.thread_create(
        space=closed_space,
        author=member,
        title="Evaluation plans",
        body="Draft plan attached.",
    )


@pytest.fixture
def sensitive_thread(secret_space, member):
    add_member(secret_space, member)
    return services.thread_create(
        space=secret_space,
        author=member,
        title="Options under review",
        body="Do not share outside the space.",
        marking="official-sensitive",
    )


# The browser fixtures live with the e2e suite; the live-thread browser test
# sits here with the rest of forums' tests.
from tests.e2e.conftest import (  # noqa: E402, F401
    browser,
    browser_page,
    chromium_path,
    live_url,
    new_browser_page,
)
