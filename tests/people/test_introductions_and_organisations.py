"""Introduction requests, organisation pages and similar people."""

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory

from people.models import IntroductionRequest
from people.selectors import similar_people
from people.services import contribution_record
from tests.factories import OrganisationFactory, SpaceFactory, add_member
from tests.people.conftest import make_person

pytestmark = pytest.mark.django_db


def ask(client, person, message="I run data sharing for councils; can we talk?"):
    return client.post(
        f"/people/{person.profile.handle}/introduction/", {"message": message}
    )


def test_request_accept_and_both_sides_see_it(
    client, member, other_member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, other_member)
    assert response.status_code == 302
    introduction = IntroductionRequest.objects.get()
    assert introduction.status == "pending"
    assert mail.outbox[-1].to == [other_member.email]
    assert "can we talk" not in mail.outbox[-1].body  # the message stays on site

    client.force_login(other_member)
    body = client.get("/people/introductions/").content.decode()
    assert "can we talk?" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/people/introductions/{introduction.pk}/accept/")
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    assert mail.outbox[-1].to == [member.email]
    assert other_member.email in mail.outbox[-1].body
    # Answering twice does nothing more.
    client.post(f"/people/introductions/{introduction.pk}/decline/")
    introduction.refresh_from_db()
    assert introduction.status == "accepted"


def test_only_the_recipient_can_answer(client, member, other_member, staff):
    introduction = IntroductionRequest.objects.create(
        from_user=member, to_user=other_member, message="Hello there friend"
    )
    for someone in (member, staff):
        client.force_login(someone)
        url = f"/people/introductions/{introduction.pk}/accept/"
        assert client.post(url).status_code == 404
    client.force_login(other_member)
    assert (
        client.post(f"/people/introductions/{introduction.pk}/maybe/").status_code
        == 404
    )
    introduction.refresh_from_db()
    assert introduction.status == "pending"


def test_introductions_are_limited_per_day(client, member, organisation, settings):
    settings.COP_INTRODUCTIONS_PER_DAY = 2
    experts = [
        make_person(f"e{i}@dwp.gov.uk", "Expert", f"N{i}", organisation=organisation)
        for i in range(3)
    ]
    client.force_login(member)
    assert ask(client, experts[0]).status_code == 302
    assert ask(client, experts[1]).status_code == 302
    response = ask(client, experts[2])
    assert response.status_code == 200
    assert "You can ask for 2 introductions a day" in response.content.decode()
    assert IntroductionRequest.objects.count() == 2


def test_bad_introduction_requests_are_refused(client, member, other_member):
    client.force_login(member)
    response = ask(client, other_member, message="hi")
    assert response.status_code == 200
    assert "Write a few words" in response.content.decode()
    assert ask(client, member).status_code == 404  # yourself
    assert ask(client, other_member).status_code == 302
    response = ask(client, other_member)
    assert "You have already asked" in response.content.decode()
    assert IntroductionRequest.objects.count() == 1


def test_organisation_pages(
    client, member, organisation, other_organisation, secret_space
):
    former = OrganisationFactory(name="Department of Old Things", abbreviation="DOT")
    organisation.predecessor = former
    organisation.remit = "Welfare, pensions and child maintenance."
    organisation.save()
    SpaceFactory(name="Universal Credit Partners", lead_organisation=organisation)
    client.force_login(member)
    body = client.get("/people/organisations/").content.decode()
    assert "Department for Work and Pensions" in body
    body = client.get(f"/people/organisations/{organisation.slug}/").content.decode()
    assert "Welfare, pensions" in body
    assert "Universal Credit Partners" in body
    assert "Spending Review Options" not in body  # secret, not a member
    assert "Department of Old Things" in body
    assert "Amara Okafor" in body
    contribution_record(
        user=member, kind="case_study", target=organisation, title="Open study",
        url="/case-studies/open/",
    )  # fmt: skip
    contribution_record(
        user=member, kind="case_study", target=secret_space, title="Hidden study",
        space=secret_space,
    )  # fmt: skip
    body = client.get(f"/people/organisations/{organisation.slug}/").content.decode()
    assert "Open study" in body
    assert "Hidden study" not in body
    body = client.get(f"/people/organisations/{former.slug}/").content.decode()
    assert "Replaced by" in body and "Department for Work and Pensions" in body
    assert client.get("/people/organisations/nope/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/people/organisations/", "/people/organisations/{slug}/"]
)
def test_organisation_pages_query_budget(client, member, organisation, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    url = path.format(slug=organisation.slug)
    client.get(url)
    counts = []
    for batch in (3, 40):
        for i in range(batch):
            make_person(
                f"m{batch}-{i}@dwp.gov.uk",
                "Mem",
                f"B{batch}x{i}",
                organisation=organisation,
                expertise=["Policy"],
            )
            OrganisationFactory(name=f"Org {batch} {i}")
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]


def test_similar_people_uses_declared_and_visible_work_only(
    member, organisation, open_space, secret_space
):
    declared = make_person(
        "d@dwp.gov.uk",
        "Dee",
        "Declared",
        organisation=organisation,
        expertise=["Data sharing"],
    )
    worker = make_person("w@dwp.gov.uk", "Wes", "Worker", organisation=organisation)
    hidden = make_person("h@dwp.gov.uk", "Hui", "Hidden", organisation=organisation)
    make_person(
        "n@dwp.gov.uk",
        "Ned",
        "None",
        organisation=organisation,
        expertise=["Early years"],
    )
    for target in (open_space, member):
        contribution_record(
            user=worker,
            kind="document",
            target=target,
            title="Doc",
            topics=["Data sharing"],
            space=open_space,
        )
    contribution_record(
        user=hidden,
        kind="document",
        target=secret_space,
        title="Doc",
        topics=["Data sharing"],
        space=secret_space,
    )
    found = similar_people(member, ["data sharing"])
    assert [p.user for p in found] == [declared, worker]
    assert [
        p.user for p in similar_people(member, ["Data sharing"], exclude=[declared])
    ] == [worker]
    add_member(secret_space, member)
    assert hidden in [p.user for p in similar_people(member, ["Data sharing"])]

    request = RequestFactory().get("/")
    request.user = member
    rendered = Template(
        "{% load people_tags %}{% similar_people topics limit=1 as people %}"
        "{% for p in people %}{{ p.user.display_name }};{% endfor %}"
    ).render(Context({"request": request, "topics": ["Data sharing"]}))
    assert rendered == "Dee Declared;"


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_profile_and_introductions_pages_query_budget(
    client, member, organisation, open_space
):
    from tests.factories import UserFactory

    expert = make_person(
        "budget@dwp.gov.uk", "Bud", "Get", organisation=organisation,
        expertise=["Data sharing"],
    )  # fmt: skip
    client.force_login(expert)
    profile_url = f"/people/{expert.profile.handle}/"
    client.get(profile_url)
    counts = {"profile": [], "introductions": []}
    for start, batch in ((0, 2), (2, 30)):
        for i in range(start, start + batch):
            space = SpaceFactory(name=f"Budget space {i}")
            add_member(space, expert)
            contribution_record(
                user=expert, kind="document", target=space, title=f"Doc {i}",
                topics=[f"Topic {i}"], space=space,
            )  # fmt: skip
            asker = UserFactory(email=f"asker{i}@dwp.gov.uk")
            IntroductionRequest.objects.create(
                from_user=asker, to_user=expert, message="Please talk to me"
            )
        counts["profile"].append(_queries(client, profile_url))
        counts["introductions"].append(_queries(client, "/people/introductions/"))
    assert counts["profile"][0] == counts["profile"][1]
    assert counts["introductions"][0] == counts["introductions"][1]
