""" "Similar work already exists": the endpoint, open tracking and the
staff count of duplicates avoided."""

import json

import pytest
from django.urls import reverse

from search.models import SimilarOpened
from tests.factories import add_member, give_totp

from .conftest import make_case_study, make_document, make_thread

URL = "/search/similar/"


@pytest.fixture
def work(open_space, member, other_member):
    add_member(open_space, member)
    add_member(open_space, other_member)
    thread = make_thread(
        open_space, other_member, "Sharing school admissions data with councils"
    )
    case_study = make_case_study(
        "School admissions data sharing in Kent",
        "How Kent shared school admissions data with health visitors.",
    )
    make_document(open_space, other_member, "Unrelated budget paper", text="Roads.")
    return {"thread": thread, "case_study": case_study}


def test_fragment_lists_similar_items_and_people(work, member_client, other_member):
    response = member_client.get(
        URL,
        {
            "title": "Admissions data sharing",
            "summary": "We want to share school admissions data",
            "kind": "thread",
            "fragment": "1",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="similar-panel"' in body
    assert "Similar work already exists" in body
    assert "<html" not in body  # a fragment, not a page
    assert "Unrelated budget paper" not in body
    assert "/search/similar/open/?kind=thread&amp;to=" in body
    assert str(other_member) in body  # the person behind the thread


def test_json_and_limit_of_five(member, open_space, member_client):
    add_member(open_space, member)
    for n in range(8):
        make_thread(open_space, member, f"Fly-tipping enforcement {n}")
    response = member_client.get(
        URL, {"title": "Fly-tipping enforcement"}, HTTP_ACCEPT="application/json"
    )
    data = json.loads(response.content)
    assert len(data["items"]) == 5
    assert {"title", "url", "kind", "snippet", "people"} <= set(data["items"][0])


def test_field_names_of_other_forms_are_understood(work, member_client):
    # The space create form calls its fields name and purpose.
    response = member_client.get(
        URL, {"name": "School admissions", "purpose": "data sharing", "format": "json"}
    )
    assert json.loads(response.content)["items"]


def test_no_js_fallback_posts_the_form(work, member_client):
    response = member_client.post(
        URL,
        {"title": "School admissions data", "body": "sharing", "kind": "thread"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and "Check for similar work" in body
    assert f"to={work['case_study'].url}" in body


def test_nothing_similar_and_empty_input(work, member_client):
    none = member_client.get(URL, {"title": "Zanzibar pelicans", "fragment": "1"})
    assert 'data-testid="similar-none"' in none.content.decode()
    empty = member_client.get(URL, {"title": "the and of", "fragment": "1"})
    assert empty.status_code == 200
    assert empty.content.decode().strip() == ""


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get(URL, {"title": "anything"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- opening a suggestion ------------------------------------------------------------


def test_open_records_and_redirects(work, member, member_client):
    target = work["thread"].get_absolute_url()
    response = member_client.get(
        reverse("search:similar_open"), {"to": target, "kind": "thread"}
    )
    assert response.status_code == 302
    assert response["Location"] == target
    opened = SimilarOpened.objects.get()
    assert (opened.user, opened.kind, opened.target_url) == (member, "thread", target)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example/path",
        "",
        "/ok\r\nSet-Cookie: x=1",
        "/" + "a" * 600,
    ],
)
def test_open_refuses_non_local_targets(member_client, target):
    response = member_client.get(
        reverse("search:similar_open"), {"to": target, "kind": "thread"}
    )
    assert response.status_code == 400
    assert "must point to this site" in response.content.decode()
    assert not SimilarOpened.objects.exists()


def test_unknown_kind_is_recorded_as_other(member_client):
    member_client.get(reverse("search:similar_open"), {"to": "/", "kind": "bogus"})
    assert SimilarOpened.objects.get().kind == "other"


def test_open_needs_sign_in(client, db):
    response = client.get(reverse("search:similar_open"), {"to": "/"})
    assert response.status_code == 302
    assert not SimilarOpened.objects.exists()


def test_staff_see_the_count_of_duplicates_avoided(work, member_client, staff, client):
    for _ in range(3):
        member_client.get(
            reverse("search:similar_open"),
            {"to": work["case_study"].url, "kind": "case_study"},
        )
    client.force_login(give_totp(staff))
    response = client.get(reverse("search:similar_report"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="avoided-total">3<' in body
    assert 'data-testid="avoided-30">3<' in body


def test_members_cannot_see_the_report(member_client):
    assert member_client.get(reverse("search:similar_report")).status_code == 403


def test_prefixed_field_names_are_understood(work, member_client):
    response = member_client.post(
        URL,
        {
            "basics-title": "School admissions data",
            "basics-summary": "sharing with health visitors",
            "similar_kind": "case_study",
        },
    )
    assert f"to={work['case_study'].url}" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "kind", "title_field", "summary_field"),
    [
        ("forums/templates/forums/thread_form.html", "thread", "title", "body"),
        ("spaces/templates/spaces/space_form.html", "space", "name", "purpose"),
        (
            "casestudies/templates/casestudies/submit/step.html",
            "case_study",
            "{{ forms.0.title.html_name }}",
            "{{ forms.0.summary.html_name }}",
        ),
    ],
)
def test_create_forms_opt_in(path, kind, title_field, summary_field):
    from django.conf import settings

    source = (settings.BASE_DIR / path).read_text()
    assert "data-similar-url=\"{% url 'search:similar' %}\"" in source
    assert f'data-similar-kind="{kind}"' in source
    assert f'data-similar-title="{title_field}"' in source
    assert f'data-similar-summary="{summary_field}"' in source
    assert f'name="similar_kind" value="{kind}" data-similar-fallback' in source
