"""The search page and selector: every type found, ranking, the canary,
filters, bad input and the query budget."""

import json

import pytest
from django.urls import reverse

from search import selectors
from tests.factories import add_member

from .conftest import (
    CANARY,
    make_case_study,
    make_document,
    make_lesson,
    make_thread,
)

URL = "/search/"


def kinds_of(outcome):
    return {item.kind for item in outcome.results}


def titles(outcome):
    return [item.title for item in outcome.results]


@pytest.fixture
def corpus(open_space, member, other_member):
    add_member(open_space, member)
    open_space.purpose = "Sharing data between benefits teams and councils."
    open_space.save()
    thread = make_thread(
        open_space,
        member,
        "Tenancy sustainment in social housing",
        "Has anyone evaluated tenancy sustainment officers?",
    )
    document = make_document(
        open_space,
        member,
        "Homelessness prevention toolkit",
        description="A toolkit for councils.",
        text="Step one: agree a tenancy sustainment protocol with landlords.",
    )
    case_study = make_case_study(
        "Preventing evictions in Leicester",
        "Tenancy sustainment officers cut evictions by a third.",
    )
    lesson = make_lesson(
        "Start with the landlords",
        "Bring landlords in before the tenancy sustainment pilot starts.",
        "We engaged landlords late and lost three months.",
    )
    other_member.profile.job_title = "Tenancy sustainment lead"
    other_member.profile.save()
    return {
        "thread": thread,
        "post": thread.posts.first(),
        "document": document,
        "case_study": case_study,
        "lesson": lesson,
        "person": other_member.profile,
        "space": open_space,
    }


def test_every_type_is_found(corpus, member):
    outcome = selectors.search(member, "tenancy sustainment")
    assert kinds_of(outcome) == {
        "thread",
        "post",
        "document",
        "case_study",
        "lesson",
        "person",
    }
    assert kinds_of(selectors.search(member, "benefits councils")) >= {"space"}
    facets = {f["key"]: f["count"] for f in outcome.facets}
    assert facets["case_study"] == 1
    assert facets["person"] == 1
    assert outcome.total == sum(facets.values())


def test_each_type_filter_returns_only_that_type(corpus, member):
    for key in ("thread", "post", "document", "case_study", "lesson", "person"):
        outcome = selectors.search(member, "tenancy", types=[key])
        assert kinds_of(outcome) == {key}, key


def test_snippets_highlight_and_escape(corpus, member, open_space):
    make_document(
        open_space,
        member,
        "Script test",
        text="<script>alert(1)</script> tenancy <b>bold</b>",
    )
    outcome = selectors.search(member, "tenancy", types=["document"])
    snippets = " ".join(str(item.snippet) for item in outcome.results)
    assert "<mark>tenancy</mark>" in snippets
    assert "<script>" not in snippets
    assert "&lt;script&gt;" in snippets


def test_ranking_puts_the_known_best_answer_first(member, open_space):
    add_member(open_space, member)
    # The best answer: the words in the title and all through the text.
    best = make_document(
        open_space,
        member,
        "Council tax reduction for care leavers",
        text="Care leavers council tax reduction: how each council exempts care "
        "leavers from council tax, with care leavers' eligibility.",
    )
    for n in range(6):
        make_document(
            open_space,
            member,
            f"Quarterly report {n}",
            text="Appendix mentions council tax once among many other topics such "
            "as roads, parks, libraries, bins and care homes.",
        )
    outcome = selectors.search(member, "care leavers council tax")
    assert outcome.results[0].title == best.title


def test_recency_breaks_ties(member, open_space, old):
    add_member(open_space, member)
    older = make_thread(open_space, member, "Digital inclusion hubs", when=old)
    newer = make_thread(open_space, member, "Digital inclusion hubs")
    outcome = selectors.search(member, "digital inclusion hubs", types=["thread"])
    assert [i.url for i in outcome.results][:2] == [
        newer.get_absolute_url(),
        older.get_absolute_url(),
    ]
    merged = selectors.search(member, "digital inclusion hubs")
    threads = [i.url for i in merged.results if i.kind == "thread"]
    assert threads == [newer.get_absolute_url(), older.get_absolute_url()]


def test_extracted_document_text_is_found(member, open_space):
    add_member(open_space, member)
    make_document(open_space, member, "Minutes", text="We agreed the quokka protocol.")
    outcome = selectors.search(member, "quokka")
    assert titles(outcome) == ["Minutes"]


# --- the canary ---------------------------------------------------------------


def test_canary_never_reaches_a_non_member(canary, member, client):
    outcome = selectors.search(member, CANARY)
    assert outcome.total == 0
    assert outcome.results == []
    assert all(f["count"] == 0 for f in outcome.facets)
    client.force_login(member)
    for params in (
        {"q": CANARY},
        {"q": CANARY, "type": "thread"},
        {"q": CANARY, "space": canary["space"].slug},
        {"q": f"{CANARY} options", "page": "2"},
    ):
        response = client.get(URL, params)
        assert response.status_code == 200
        body = response.content.decode()
        # The query is echoed back; nothing found is shown or counted.
        assert response.context["outcome"].total == 0
        assert 'data-testid="results"' not in body
        assert "<mark>" not in body
        assert "(1)" not in body
        # Nothing the member may not see is named or linked.
        assert "Spending review annex" not in body
        assert "Spending Review Options" not in body
        assert canary["thread"].get_absolute_url() not in body
        assert canary["sensitive_thread"].get_absolute_url() not in body
    data = json.loads(client.get(URL, {"q": CANARY, "format": "json"}).content)
    assert data["total"] == 0 and data["results"] == []
    assert all(f["count"] == 0 for f in data["facets"])


def test_canary_in_similar_and_suggest_stays_hidden(canary, member, client):
    client.force_login(member)
    response = client.get(
        reverse("search:similar"), {"title": f"{CANARY} savings", "format": "json"}
    )
    assert json.loads(response.content)["items"] == []
    found = selectors.similar(member, title=f"{CANARY} options pilot")
    assert found.items == []


def test_canary_is_found_by_members(canary, facilitator):
    outcome = selectors.search(facilitator, CANARY)
    urls = {item.url for item in outcome.results}
    assert canary["thread"].get_absolute_url() in urls
    assert canary["sensitive_thread"].get_absolute_url() in urls
    assert canary["document"].get_absolute_url() in urls
    assert canary["case_study"].url in urls
    assert {item.kind for item in outcome.results} >= {
        "thread",
        "post",
        "document",
        "case_study",
        "space",
    }
    assert any("<mark>" in str(item.snippet) for item in outcome.results)


def test_sensitive_item_in_open_space_hidden_from_staff_non_member(canary, staff):
    # Staff moderate, but OFFICIAL-SENSITIVE needs membership, staff included.
    outcome = selectors.search(staff, CANARY)
    urls = {item.url for item in outcome.results}
    assert canary["sensitive_thread"].get_absolute_url() not in urls
    assert canary["document"].get_absolute_url() not in urls
    assert canary["case_study"].url not in urls


def test_signed_out_visitors_see_only_public_case_studies(corpus, client):
    public = make_case_study(
        "Public tenancy story", "Tenancy sustainment for all to read.", is_public=True
    )
    outcome = selectors.search(None, "tenancy")
    assert titles(outcome) == ["Public tenancy story"]
    response = client.get(URL, {"q": "tenancy"})
    assert response.status_code == 200
    body = response.content.decode()
    assert public.url in body
    assert corpus["case_study"].url not in body
    assert corpus["thread"].get_absolute_url() not in body


# --- filters -------------------------------------------------------------------


def test_space_filter(corpus, member, closed_space):
    add_member(closed_space, member)
    make_thread(closed_space, member, "Tenancy pilot elsewhere")
    outcome = selectors.search(member, "tenancy", space=corpus["space"].slug)
    assert "Tenancy pilot elsewhere" not in titles(outcome)
    assert {"thread", "document"} <= kinds_of(outcome)


def test_secret_space_filter_is_refused_like_a_missing_one(canary, member, client):
    outcome = selectors.search(member, CANARY, space=canary["space"].slug)
    assert outcome.filters.errors == {"space": "Choose a space from the list."}
    assert outcome.total == 0
    missing = selectors.search(member, CANARY, space="no-such-space")
    assert missing.filters.errors == outcome.filters.errors


def test_organisation_filter(corpus, member, other_member, organisation):
    outcome = selectors.search(member, "tenancy", organisation=organisation.slug)
    # The thread, post and document were written by a DWP member; the
    # other member (LCC) is filtered out.
    assert "person" not in kinds_of(outcome)
    assert {"thread", "document"} <= kinds_of(outcome)
    bad = selectors.search(member, "tenancy", organisation="nope")
    assert bad.filters.errors["organisation"]


def test_theme_filter_shows_case_studies_of_that_theme(corpus, member):
    from casestudies.models import Theme

    housing, _ = Theme.objects.get_or_create(name="Housing search test")
    make_case_study(
        "Tenancy support in Wales", "Tenancy sustainment again.", themes=[housing]
    )
    outcome = selectors.search(member, "tenancy", theme=housing.slug)
    assert titles(outcome) == ["Tenancy support in Wales"]


# --- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!! ??? ...",
        "' OR 1=1; DROP TABLE spaces_space; --",
        "tenancy" * 500,
        '"unbalanced AND (OR NOT *',
        "NEAR(tenancy sustainment)",
        # (A NUL character gets a 400 before any view: tests/hostile.)
        "\x01\x7f",
    ],
)
def test_bad_queries_give_a_normal_page(corpus, member_client, query):
    response = member_client.get(URL, {"q": query})
    assert response.status_code == 200
    assert response.context["outcome"] is not None


def test_sql_looking_text_searches_for_words(corpus, member):
    outcome = selectors.search(member, "tenancy'; DROP TABLE forums_thread; --")
    # "drop" and "table" match nothing, so "any of the words" kicks in.
    assert outcome.any_words
    assert outcome.total > 0


def test_punctuation_only_asks_for_a_word(member_client):
    response = member_client.get(URL, {"q": "?!."})
    assert "Enter a word to search for." in response.content.decode()


@pytest.mark.parametrize("page", ["999", "-3", "abc", "1e9", ""])
def test_page_out_of_range_is_clamped(corpus, member_client, page):
    response = member_client.get(URL, {"q": "tenancy", "page": page})
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.results
    assert 1 <= outcome.page <= max(outcome.num_pages, 1)


def test_pagination(member, open_space):
    add_member(open_space, member)
    for n in range(25):
        make_thread(open_space, member, f"Allotment waiting lists {n}")
    first = selectors.search(member, "allotment", types=["thread"])
    second = selectors.search(member, "allotment", types=["thread"], page=2)
    assert first.total == 25 and first.num_pages == 2
    assert len(first.results) == 20 and len(second.results) == 5
    assert not {i.url for i in first.results} & {i.url for i in second.results}
    merged = selectors.search(member, "allotment", page=2)
    assert merged.total == 50  # threads and their first posts
    assert len(merged.results) == 20


def test_page_renders_results_and_links(corpus, member_client):
    response = member_client.get(URL, {"q": "tenancy"})
    body = response.content.decode()
    assert corpus["thread"].get_absolute_url() in body
    assert corpus["case_study"].url in body
    assert "<mark>" in body
    assert 'data-testid="facet-case_study"' in body


def test_empty_state(member_client):
    response = member_client.get(URL, {"q": "zzzqqq"})
    assert 'data-testid="no-results"' in response.content.decode()


def test_header_has_a_search_box(member_client):
    response = member_client.get(URL)
    body = response.content.decode()
    assert 'data-testid="header-search"' in body
    assert 'data-suggest-url="/search/suggest/"' in body


# --- query budget ----------------------------------------------------------------


def _grow(space, author, n, offset=0):
    for i in range(n):
        thread = make_thread(
            space, author, f"Budget item {offset + i}", f"Budget text {offset + i}"
        )
        make_document(space, author, f"Budget paper {offset + i}", text="budget")
        make_case_study(f"Budget case {offset + i}", "A budget case study.")
        del thread


def test_search_page_query_count_does_not_grow(
    member, open_space, client, django_assert_max_num_queries
):
    add_member(open_space, member)
    client.force_login(member)
    _grow(open_space, member, 2)
    client.get(URL, {"q": "budget"})  # warm caches (site, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"q": "budget"})
    _grow(open_space, member, 12, offset=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL, {"q": "budget"})
    assert response.context["outcome"].total >= 14 * 4


def test_postgres_word_filter_matches_wagtails_own(postgres, corpus, member):
    """search.engine's index-friendly filter finds exactly what Wagtail's
    `title || body` match finds, in the same order."""
    from modelsearch.backends.database.postgres.postgres import (
        PostgresSearchQueryCompiler,
    )
    from wagtail.search.backends import get_search_backend

    from search.engine import IndexedWordsCompiler
    from search.kinds import KINDS_BY_KEY

    backend = get_search_backend()
    for query, operator in [
        ("tenancy sustainment", "and"),
        ("the tenancy", "and"),
        ("landlords councils", "or"),
        ("evictions officers", "and"),
        ("the and of", "and"),
    ]:
        for key in ("thread", "post", "document", "case_study", "lesson", "person"):
            queryset = KINDS_BY_KEY[key].visible(member)
            ours = backend.results_class(
                backend, IndexedWordsCompiler(queryset, query, operator=operator)
            )
            theirs = backend.results_class(
                backend, PostgresSearchQueryCompiler(queryset, query, operator=operator)
            )
            assert [o.pk for o in ours] == [o.pk for o in theirs], (query, key)


def test_counts_stop_at_the_cap_and_say_more(
    member, open_space, member_client, monkeypatch
):
    """Counting stops past the last page offered; the page says "More than"."""
    from forums import services as forum_services

    add_member(open_space, member)
    thread = make_thread(open_space, member, "Kingfisher survey", "Kingfisher one")
    for n in range(5):
        forum_services.post_create(thread=thread, author=member, body=f"Kingfisher {n}")
    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    monkeypatch.setattr(selectors, "_count", lambda r, cap=4: _real_count(r, cap))
    outcome = selectors.search(member, "kingfisher", types=["post"])
    assert outcome.total == 4
    assert outcome.total_capped
    facet = next(f for f in outcome.facets if f["key"] == "post")
    assert facet["count"] == 4 and facet["capped"]
    page = member_client.get("/search/", {"q": "kingfisher", "type": "post"})
    assert "More than 4 results" in page.content.decode()
    # Under the cap, the exact number and no "more".
    outcome = selectors.search(member, "survey")
    assert outcome.total == 1 and not outcome.total_capped


_real_count = selectors._count


@pytest.mark.services
def test_posts_are_ranked_among_the_newest_matches(
    postgres, member, open_space, monkeypatch
):
    """PostgreSQL: posts are ranked within the newest `rank_window` matches
    (2,000 in production), so an old post however relevant gives way to the
    conversation now. Without the window the old one would come first."""
    from forums import services as forum_services
    from search.kinds import PostKind

    add_member(open_space, member)
    thread = make_thread(
        open_space, member, "Riverbank survey", "Otter otter otter otter"
    )
    oldest = thread.posts.get()
    newer = [
        forum_services.post_create(
            thread=thread, author=member, body=f"An otter, note {n}"
        )
        for n in range(4)
    ]

    def post_ids():
        outcome = selectors.search(member, "otter", types=["post"])
        return [item.url for item in outcome.results], outcome

    monkeypatch.setattr(PostKind, "rank_window", None)
    ids, _ = post_ids()
    assert ids[0] == oldest.get_absolute_url()

    monkeypatch.setattr(PostKind, "rank_window", 3)
    ids, outcome = post_ids()
    assert sorted(ids) == sorted(p.get_absolute_url() for p in newer[-3:])
    assert outcome.total == 3
