"""Fixtures and builders for case study tests."""

import datetime

import pytest
from django.utils.text import slugify

from casestudies.models import (
    CaseStudyContact,
    CaseStudyOrganisation,
    CaseStudyPage,
    LessonPage,
    OutcomeMeasure,
    Theme,
)
from casestudies.services import ensure_index_pages

# The browser journey (test_e2e_journey.py) uses the e2e fixtures.
from tests.e2e.conftest import (  # noqa: F401
    browser,
    chromium_path,
    live_url,
    new_browser_page,
)


@pytest.fixture
def index_pages(db):
    return ensure_index_pages()


@pytest.fixture
def case_study_index(index_pages):
    return index_pages[0]


@pytest.fixture
def lesson_index(index_pages):
    return index_pages[1]


@pytest.fixture
def data_sharing():
    return Theme.objects.get(name="Data sharing")


@pytest.fixture
def cross_government():
    return Theme.objects.get(name="Cross-government working")


def make_case_study(
    index,
    title,
    *,
    owner=None,
    publish=True,
    revision=False,
    themes=(),
    organisations=(),
    outcomes=(),
    contacts=(),
    **fields,
):
    """A case study under `index`; published straight away unless told not to.

    `revision=True` publishes through a revision, as editors do (signals fire).
    """
    fields.setdefault("summary", f"What {title} did and what changed.")
    fields.setdefault("as_at", datetime.date(2024, 3, 31))
    page = CaseStudyPage(
        title=title,
        slug=slugify(title)[:70],
        owner=owner,
        live=publish and not revision,
        **fields,
    )
    page.themes = list(themes)
    page.organisation_roles = [
        CaseStudyOrganisation(organisation=organisation, role=role)
        for organisation, role in organisations
    ]
    page.outcomes = [OutcomeMeasure(**row) for row in outcomes]
    page.contacts = [
        CaseStudyContact(user=user, consented=consented) for user, consented in contacts
    ]
    index.add_child(instance=page)
    if revision:
        page.save_revision(user=owner).publish(user=owner)
        page.refresh_from_db()
    return page


def make_lesson(index, title, *, source=None, publish=True, **fields):
    fields.setdefault("lesson", f"{title}: agree who owns the data before you start.")
    fields.setdefault("what_happened", "Two teams waited months for sign-off.")
    page = LessonPage(
        title=title,
        slug=slugify(title)[:70],
        source_case_study=source,
        live=publish,
        **fields,
    )
    index.add_child(instance=page)
    return page
