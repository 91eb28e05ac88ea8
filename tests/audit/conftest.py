"""Fixtures for the audit log: a space with a facilitator, a member and a
thread, and the people who may (and may not) read the log."""

import pytest
from django.contrib.auth.models import Group

# Case-study fixtures, for the Wagtail workflow tests.
from tests.casestudies.conftest import (  # noqa: F401
    case_study_index,
    data_sharing,
    index_pages,
)
from tests.factories import UserFactory, add_member, give_totp


@pytest.fixture
def space(open_space, facilitator, member):
    add_member(open_space, facilitator, "facilitator")
    add_member(open_space, member, "member")
    return open_space


@pytest.fixture
def thread(space, member):
    from forums import services

    return services.thread_create(
        space=space,
        author=member,
        title="How do councils get benefit data?",
        body="We wait months for it.",
        kind="question",
    )


@pytest.fixture
def reply(thread, other_member, space):
    from forums import services

    add_member(space, other_member, "member")
    return services.post_create(
        thread=thread, author=other_member, body="=HYPERLINK(evil) ask DWP."
    )


@pytest.fixture
def auditor(db, organisation):
    """A member of staff in the Auditors group (migration audit 0002)."""
    user = give_totp(
        UserFactory(
            email="auditor@dwp.gov.uk",
            first_name="Ada",
            last_name="Auditor",
            organisation=organisation,
            is_staff=True,
        )
    )
    user.groups.add(Group.objects.get(name="Auditors"))
    return user


@pytest.fixture
def superuser(db, organisation):
    return give_totp(
        UserFactory(
            email="root@dwp.gov.uk",
            organisation=organisation,
            is_staff=True,
            is_superuser=True,
        )
    )
