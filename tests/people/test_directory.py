"""The directory: search, relevance, facets and its query budget."""

import pytest
from django.contrib.contenttypes.models import ContentType

from people.models import Contribution
from tests.factories import add_member
from tests.people.conftest import make_person

pytestmark = pytest.mark.django_db


def names(response):
    return [person.user.get_full_name() for person in response.context["results"]]


def contribution(user, topics, space=None, marking="official", n=1):
    ct = ContentType.objects.get_for_model(user)
    for i in range(n):
        Contribution.objects.create(
            user=user,
            kind=Contribution.Kind.ACCEPTED_ANSWER,
            content_type=ct,
            object_id=10_000 + user.pk * 100 + i,
            title=f"Answer {i}",
            topics=topics,
            space=space,
            marking=marking,
        )


def test_anonymous_visitors_cannot_see_the_directory(client, member):
    response = client.get("/people/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.get(f"/people/{member.profile.handle}/")
    assert response.status_code == 302


def test_ranking_exact_expertise_beats_area_of_work_beats_a_passing_mention(
    member_client, organisation
):
    # Built so the right order is known: see each person's reason below.
    make_person(  # passing mention in job title only
        "mention@dwp.gov.uk",
        "Maya",
        "Mention",
        organisation=organisation,
        job_title="Assistant, data sharing mailbox",
    )
    make_person(  # area of work, but long inactive
        "area-old@dwp.gov.uk",
        "Arlo",
        "Stale",
        organisation=organisation,
        area_of_work="I look after data sharing agreements with councils.",
        active_days_ago=800,
    )
    make_person(  # area of work, active
        "area@dwp.gov.uk",
        "Ava",
        "Area",
        organisation=organisation,
        area_of_work="I look after data sharing agreements with councils.",
    )
    make_person(  # exact declared expertise
        "expert@dwp.gov.uk",
        "Esi",
        "Expert",
        organisation=organisation,
        expertise=["Data sharing", "Shared services"],
    )
    make_person(  # unrelated: must not appear
        "other@dwp.gov.uk",
        "Una",
        "Related",
        organisation=organisation,
        expertise=["Early years"],
    )
    leaver = make_person(
        "gone@dwp.gov.uk",
        "Gus",
        "Gone",
        organisation=organisation,
        expertise=["Data sharing"],
        is_leaver=True,
    )
    leaver.is_active = False
    leaver.save()

    response = member_client.get("/people/", {"q": "data sharing"})
    assert response.status_code == 200
    assert names(response) == ["Esi Expert", "Ava Area", "Arlo Stale", "Maya Mention"]


def test_inferred_expertise_adds_to_the_score_only_when_visible(
    client, member, organisation, secret_space
):
    hidden = make_person(
        "hidden@dwp.gov.uk",
        "Hal",
        "Hidden",
        organisation=organisation,
        job_title="Data sharing officer",
    )
    seen = make_person(
        "seen@dwp.gov.uk",
        "Sol",
        "Seen",
        organisation=organisation,
        job_title="Data sharing officer",
    )
    # Hal's work is all in a secret space the searcher is not in.
    contribution(hidden, ["Data sharing"], space=secret_space, n=5)
    contribution(seen, ["Data sharing"], n=2)
    client.force_login(member)
    response = client.get("/people/", {"q": "data sharing"})
    assert names(response) == ["Sol Seen", "Hal Hidden"]
    # A member of the secret space sees Hal's work and the order flips.
    add_member(secret_space, member)
    response = client.get("/people/", {"q": "data sharing"})
    assert names(response) == ["Hal Hidden", "Sol Seen"]


def test_active_people_rank_above_long_inactive_ones(member_client, organisation):
    make_person(
        "old@dwp.gov.uk", "Olga", "Old", organisation=organisation,
        expertise=["Invest to save"], active_days_ago=1000,
    )  # fmt: skip
    make_person(
        "new@dwp.gov.uk", "Nia", "New", organisation=organisation,
        expertise=["Invest to save"], active_days_ago=2,
    )  # fmt: skip
    response = member_client.get("/people/", {"q": "invest to save"})
    assert names(response) == ["Nia New", "Olga Old"]


def test_search_by_name_organisation_profession_grade_region(
    member_client, organisation, other_organisation
):
    make_person(
        "fiona@leics.gov.uk", "Fiona", "MacLeod", organisation=other_organisation,
        profession="Statistics", grade="Grade 7", region="East Midlands",
    )  # fmt: skip
    make_person(
        "raj@dwp.gov.uk", "Raj", "Patel", organisation=organisation,
        profession="Policy", grade="Grade 6", region="North West",
    )  # fmt: skip
    for query, expected in [
        ("fiona macleod", ["Fiona MacLeod"]),
        ("Leicestershire", ["Fiona MacLeod"]),
        ("statistics", ["Fiona MacLeod"]),
        ("grade 6", ["Raj Patel"]),
        ("north west", ["Raj Patel"]),
    ]:
        response = member_client.get("/people/", {"q": query})
        found = [n for n in names(response) if n != "Amara Okafor"]
        assert sorted(found) == sorted(expected), query


def test_facets_combine_and_count(member_client, organisation, other_organisation):
    make_person(
        "p1@dwp.gov.uk", "Pat", "One", organisation=organisation,
        profession="Policy", region="London",
    )  # fmt: skip
    make_person(
        "p2@dwp.gov.uk", "Pat", "Two", organisation=organisation,
        profession="Statistics", region="London",
    )  # fmt: skip
    make_person(
        "p3@leics.gov.uk", "Pat", "Three", organisation=other_organisation,
        profession="Policy", region="East Midlands",
    )  # fmt: skip
    response = member_client.get(
        "/people/", {"q": "pat", "profession": "Policy", "region": "London"}
    )
    assert names(response) == ["Pat One"]
    facets = {facet.name: facet for facet in response.context["facets"]}
    profession = {o.value: o.count for o in facets["profession"].options}
    # Profession counts ignore the profession filter but respect the region one.
    assert profession == {"Policy": 1, "Statistics": 1}
    region = {o.value: o.count for o in facets["region"].options}
    assert region == {"London": 1, "East Midlands": 1}
    organisations = {
        o.value: (o.count, o.selected) for o in facets["organisation"].options
    }
    assert organisations[organisation.slug] == (1, False)

    response = member_client.get(
        "/people/",
        {
            "q": "pat",
            "organisation": [organisation.slug, other_organisation.slug],
            "profession": "Policy",
        },
    )
    assert sorted(names(response)) == ["Pat One", "Pat Three"]
    # Rubbish facet values match nothing and break nothing.
    response = member_client.get("/people/", {"grade": "<script>"})
    assert response.status_code == 200
    assert names(response) == []


def test_directory_paginates(member_client, organisation):
    for i in range(25):
        make_person(
            f"p{i}@dwp.gov.uk", "Page", f"Person{i:02}", organisation=organisation
        )
    first = member_client.get("/people/", {"q": "page"})
    assert len(names(first)) == 20
    second = member_client.get("/people/", {"q": "page", "page": 2})
    assert len(names(second)) == 5
    assert 'rel="next"' in first.content.decode()


def _populate(start, count, organisation, spaces):
    for i in range(start, start + count):
        user = make_person(
            f"bulk{i}@dwp.gov.uk", "Bulk", f"Person{i}", organisation=organisation,
            expertise=["Data sharing", f"Topic {i % 7}"],
            area_of_work="Data sharing across councils",
            profession="Policy", region="London", grade="Grade 7",
        )  # fmt: skip
        contribution(user, ["Data sharing"], space=spaces[i % len(spaces)])


def _count_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get("/people/", {"q": "data sharing", "profession": "Policy"})
    assert response.status_code == 200
    return len(context), response


def test_directory_query_count_does_not_grow_with_profiles(
    client, member, organisation, open_space, secret_space
):
    client.force_login(member)
    _populate(0, 10, organisation, [open_space, secret_space])
    client.get("/people/")  # warm per-process caches (content types, site)
    small, response = _count_queries(client)
    assert len(response.context["results"]) == 10
    _populate(10, 190, organisation, [open_space, secret_space])
    large, response = _count_queries(client)
    assert len(response.context["results"]) == 20
    assert response.context["results"].paginator.count == 200
    assert small == large
    # Ours: results count, page, expertise prefetch, four facets, organisation
    # names; the rest is the session, the user and the shared header.
    assert large <= 20


def test_html_in_profile_fields_is_escaped(member_client, organisation):
    xan = make_person(
        "x@dwp.gov.uk", "Xan", "<b>Bold</b>", organisation=organisation,
        area_of_work="<script>alert(1)</script> data",
        job_title="<img src=x onerror=alert(1)>",
    )  # fmt: skip
    response = member_client.get("/people/", {"q": "data"})
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body
    response = member_client.get(f"/people/{xan.profile.handle}/")
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;b&gt;Bold&lt;/b&gt;" in body


def test_every_word_of_a_longer_query_can_match_in_different_fields(
    member_client, organisation, other_organisation
):
    make_person(
        "dwp.ds@dwp.gov.uk", "Dana", "Shaw", organisation=organisation,
        expertise=["Data sharing"],
    )  # fmt: skip
    make_person(
        "lcc.ds@leics.gov.uk", "Lou", "Cole", organisation=other_organisation,
        expertise=["Data sharing"],
    )  # fmt: skip
    response = member_client.get("/people/", {"q": "data sharing DWP"})
    assert names(response) == ["Dana Shaw"]


def test_search_text_follows_renames_and_tag_changes(member_client, organisation):
    person = make_person(
        "rename@dwp.gov.uk", "Rita", "Before", organisation=organisation,
        expertise=["Early years"],
    )  # fmt: skip
    person.last_name = "Afterwards"
    person.save()
    person.profile.expertise.set(["Invest to save"])
    organisation.name = "Department for Pensions and Work"
    organisation.save()
    for query, found in [
        ("rita afterwards", True),
        ("rita before", False),
        ("invest to save", True),
        ("early years", False),
        ("pensions and work", True),
    ]:
        response = member_client.get("/people/", {"q": query})
        assert ("Rita Afterwards" in names(response)) is found, query
