"""Suggestions as you type: people and themes, as JSON."""

import json

import pytest

from tests.factories import UserFactory

URL = "/search/suggest/"


@pytest.fixture
def theme(db):
    from casestudies.models import Theme

    return Theme.objects.get_or_create(name="Homelessness prevention")[0]


def suggestions(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return json.loads(response.content)["suggestions"]


def test_people_by_first_and_last_name(member_client, other_member):
    labels = [s["label"] for s in suggestions(member_client, "tom")]
    assert str(other_member) in labels
    both = suggestions(member_client, "Tom Ash")
    assert [s["label"] for s in both if s["type"] == "person"] == [str(other_member)]
    assert both[0]["url"]


def test_themes(member_client, theme):
    found = suggestions(member_client, "homeless")
    assert {"type": "theme", "label": "Homelessness prevention"}.items() <= found[
        -1
    ].items()
    assert found[-1]["url"] == f"/search/?theme={theme.slug}"


def test_leavers_and_inactive_members_are_not_suggested(member_client):
    gone = UserFactory(first_name="Zebedee", last_name="Gone", is_active=False)
    assert gone
    assert suggestions(member_client, "zebedee") == []


@pytest.mark.parametrize("q", ["", " ", "%", "_", "'; --", "a" * 5000])
def test_bad_input_gives_empty_or_normal_list(member_client, q):
    assert isinstance(suggestions(member_client, q), list)


def test_signed_out_gets_nothing(client, other_member, theme):
    assert suggestions(client, "tom") == []


def test_query_count_is_constant(member_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    UserFactory(first_name="Tomasz", last_name="Nowak")
    suggestions(member_client, "tom")
    with CaptureQueriesContext(connection) as small:
        suggestions(member_client, "tom")
    for n in range(12):
        UserFactory(first_name=f"Tomasz{n}", last_name="Nowak")
    with django_assert_max_num_queries(len(small.captured_queries)):
        found = suggestions(member_client, "tom")
    assert len([s for s in found if s["type"] == "person"]) == 5


def test_themes_match_word_starts_only(member_client, theme):
    from casestudies.models import Theme

    Theme.objects.get_or_create(name="Service design and customer insight")
    labels = [s["label"] for s in suggestions(member_client, "tom")]
    assert "Service design and customer insight" not in labels
    labels = [s["label"] for s in suggestions(member_client, "cust")]
    assert "Service design and customer insight" in labels
    labels = [s["label"] for s in suggestions(member_client, "prev")]
    assert "Homelessness prevention" in labels
