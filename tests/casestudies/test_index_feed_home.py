"""The index filters, its query budget, the feed and the home page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import CuratedCollection, CuratedCollectionItem, Theme
from people.models import Organisation
from tests.factories import OrganisationFactory

from .conftest import make_case_study, make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(case_study_index, organisation, other_organisation, data_sharing):
    digital = Theme.objects.get(name="Digital services")
    return {
        "data": make_case_study(
            case_study_index,
            "Benefit data for councils",
            themes=[data_sharing],
            organisations=[(organisation, "lead"), (other_organisation, "partner")],
            outcomes=[{"name": "Days", "baseline": "90", "actual": "5"}],
            as_at=datetime.date(2024, 5, 1),
        ),
        "digital": make_case_study(
            case_study_index,
            "Online payments",
            themes=[digital],
            organisations=[(organisation, "lead")],
            outcomes=[{"name": "Planned only", "target": "100"}],
            as_at=datetime.date(2023, 5, 1),
        ),
        "council": make_case_study(
            case_study_index,
            "Council shared services",
            themes=[Theme.objects.get(name="Shared services")],
            organisations=[(other_organisation, "lead")],
            as_at=datetime.date(2024, 1, 1),
        ),
    }


def titles(client, url, query):
    body = client.get(url, query).content.decode()
    return {
        title
        for title in (
            "Benefit data for councils",
            "Online payments",
            "Council shared services",
        )
        if title in body
    }


def test_filters_combine(
    member_client, case_study_index, catalogue, organisation, cross_government
):
    url = case_study_index.url
    everything = {
        "Benefit data for councils",
        "Online payments",
        "Council shared services",
    }
    assert titles(member_client, url, {}) == everything
    # A parent theme includes its children.
    assert titles(member_client, url, {"theme": cross_government.slug}) == {
        "Benefit data for councils",
        "Council shared services",
    }
    assert titles(member_client, url, {"theme": "data-sharing"}) == {
        "Benefit data for councils"
    }
    assert titles(member_client, url, {"organisation": organisation.slug}) == {
        "Benefit data for councils",
        "Online payments",
    }
    assert titles(member_client, url, {"organisation_type": "local authority"}) == {
        "Benefit data for councils",
        "Council shared services",
    }
    assert titles(member_client, url, {"has_outcomes": "on"}) == {
        "Benefit data for councils"
    }
    assert titles(member_client, url, {"year": "2024"}) == {
        "Benefit data for councils",
        "Council shared services",
    }
    assert titles(
        member_client,
        url,
        {
            "theme": cross_government.slug,
            "organisation": organisation.slug,
            "year": "2024",
        },
    ) == {"Benefit data for councils"}


def test_bad_filter_values_are_reported_and_ignored(
    member_client, case_study_index, catalogue
):
    response = member_client.get(
        case_study_index.url,
        {"theme": "no-such-theme", "organisation": "nope", "year": "1066"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose a theme from the list" in body
    assert "Choose an organisation from the list" in body
    assert "Choose a year from the list" in body
    assert "3 case studies" in body


def test_empty_state_when_nothing_matches(member_client, case_study_index, catalogue):
    body = member_client.get(
        case_study_index.url, {"organisation_type": "NHS body"}
    ).content.decode()
    assert "No case studies match these filters" in body


def test_pagination(member_client, case_study_index):
    for n in range(14):
        make_case_study(case_study_index, f"Study number {n:02d}")
    first = member_client.get(case_study_index.url).content.decode()
    second = member_client.get(case_study_index.url, {"page": 2}).content.decode()
    assert "14 case studies" in first
    assert first.count('class="cs-card') == 12
    assert second.count('class="cs-card') == 2
    assert 'rel="next"' in first


def _many(case_study_index, count, organisations, themes):
    for n in range(count):
        make_case_study(
            case_study_index,
            f"Case study {count}-{n}",
            themes=themes,
            organisations=[(o, "partner") for o in organisations],
            outcomes=[{"name": "Measure", "actual": "1"}],
        )


def _queries(client, url, query=None):
    client.get(url, query or {})  # warm per-process caches (site root paths)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(context)


def test_index_query_count_is_constant_at_10_and_200(
    member_client, case_study_index, organisation, other_organisation, data_sharing
):
    orgs = [organisation, other_organisation]
    _many(case_study_index, 10, orgs, [data_sharing])
    filters = {"theme": "cross-government-working", "has_outcomes": "on"}
    small = _queries(member_client, case_study_index.url)
    small_filtered = _queries(member_client, case_study_index.url, filters)
    _many(case_study_index, 190, orgs, [data_sharing])
    assert _queries(member_client, case_study_index.url) == small
    assert _queries(member_client, case_study_index.url, filters) == small_filtered
    assert small <= 25


def test_feed_anonymous_sees_public_only(
    client, member, case_study_index, secret_space
):
    make_case_study(case_study_index, "Public study", is_public=True)
    make_case_study(case_study_index, "Members study")
    make_case_study(
        case_study_index,
        "Sensitive study",
        marking="official-sensitive",
        space=secret_space,
    )
    rss = client.get("/case-studies/feed/").content.decode()
    assert "Public study" in rss and "Members study" not in rss
    atom = client.get("/case-studies/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Public study" in atom.content.decode()
    from tests.factories import add_member

    add_member(secret_space, member)
    client.force_login(member)
    rss = client.get("/case-studies/feed/").content.decode()
    assert "Public study" in rss and "Members study" in rss
    # Never in a feed, even for the space's members: feeds get copied around.
    assert "Sensitive study" not in rss


def _curate(case_study_index, lesson_index, count):
    organisation = OrganisationFactory()
    collection, _ = CuratedCollection.objects.get_or_create(
        slug="celebrating-collaboration", defaults={"name": "Celebrating collaboration"}
    )
    themes = list(Theme.objects.all()[:2])
    for n in range(count):
        page = make_case_study(
            case_study_index,
            f"Featured {count}-{n}",
            featured=True,
            is_public=True,
            themes=themes,
            organisations=[(organisation, "lead")],
        )
        CuratedCollectionItem.objects.create(collection=collection, page=page)
        lesson = make_lesson(lesson_index, f"Lesson {count}-{n}", is_public=True)
        CuratedCollectionItem.objects.create(collection=collection, page=lesson)


@pytest.mark.parametrize("signed_in", [False, True])
def test_home_page_shows_curation_without_n_plus_one(
    client, member, case_study_index, lesson_index, signed_in
):
    if signed_in:
        client.force_login(member)
    _curate(case_study_index, lesson_index, 2)
    small = _queries(client, "/")
    _curate(case_study_index, lesson_index, 8)
    assert _queries(client, "/") == small
    body = client.get("/").content.decode()
    assert "Celebrating collaboration" in body
    assert "Featured 8-0" in body
    assert "Lesson 8-0" in body


def test_home_page_hides_members_only_items_from_visitors(
    client, member, case_study_index
):
    page = make_case_study(case_study_index, "Members pick", featured=True)
    collection = CuratedCollection.objects.create(name="New this month", slug="new")
    CuratedCollectionItem.objects.create(collection=collection, page=page)
    body = client.get("/").content.decode()
    assert "Members pick" not in body
    assert "New this month" not in body  # an empty collection is not shown
    client.force_login(member)
    body = client.get("/").content.decode()
    assert "Members pick" in body and "New this month" in body
    assert Organisation.objects.exists()
