"""The digest's content for a known world: right items in, wrong items out,
sensitive items never by name, and a fixed number of queries per batch."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.delivery import digest_render
from notifications.digest import (
    build_contexts,
    current_period,
    digest_subject,
    parse_period,
    period_window,
)
from people.models import Contribution
from people.services import contribution_record, follow_set
from tests.factories import SpaceFactory, UserFactory, add_member

from .conftest import make_document, make_thread

pytestmark = pytest.mark.django_db

CANARY = "CANARY-7f3a"


@pytest.fixture
def period():
    return current_period()


@pytest.fixture
def window(period):
    since, until = period_window(period)
    return since + datetime.timedelta(hours=12), since - datetime.timedelta(days=2)


@pytest.fixture
def world(
    member, other_member, third_member, organisation, open_space, closed_space,
    secret_space, window,
):  # fmt: skip
    """`member` belongs to open_space and a sensitive project, follows the
    closed space (not a member) and an open sensitive space (not a member)."""
    inside, before = window
    project = SpaceFactory(
        name="Fraud project", visibility="closed", ceiling="official-sensitive",
        lead_organisation=organisation,
    )  # fmt: skip
    watched = SpaceFactory(
        name="Watched sensitive", visibility="open", ceiling="official-sensitive",
        lead_organisation=organisation,
    )  # fmt: skip
    for space in (open_space, project):
        add_member(space, member)
        add_member(space, other_member)
    add_member(closed_space, other_member)
    add_member(secret_space, other_member)
    add_member(watched, other_member)
    follow_set(user=member, target=closed_space)
    follow_set(user=member, target=watched)
    joined = add_member(open_space, third_member)
    joined.joined_at = inside
    joined.save()

    def thread(space, title, **extra):
        extra.setdefault("created_at", inside)
        extra.setdefault("last_post_at", inside)
        return make_thread(space, other_member, title=title, **extra)

    thread(
        open_space,
        "Lively cross-government thread",
        organisations_count=3,
        post_count=9,
    )
    thread(open_space, "Quieter thread", organisations_count=1, post_count=2)
    thread(open_space, "Old thread", created_at=before, last_post_at=before)
    thread(closed_space, f"Closed thread {CANARY}")
    thread(secret_space, f"Secret thread {CANARY}")
    thread(watched, f"Sensitive thread {CANARY}", marking="official-sensitive")
    thread(project, f"Project sensitive thread {CANARY}", marking="official-sensitive")
    thread(open_space, "How do we set up data sharing agreements?", kind="question")
    thread(closed_space, f"Data sharing in a closed space {CANARY}", kind="question")
    make_document(open_space, other_member, title="Evaluation plan", created_at=inside)
    make_document(open_space, other_member, title="Old plan", created_at=before)
    make_document(
        project, other_member, title=f"Fraud targets {CANARY}",
        marking="official-sensitive", created_at=inside,
    )  # fmt: skip
    make_document(
        closed_space, other_member, title=f"Closed doc {CANARY}", created_at=inside
    )
    make_document(
        secret_space, other_member, title=f"Secret doc {CANARY}", created_at=inside
    )
    contribution_record(
        user=member, kind=Contribution.Kind.CASE_STUDY, target=open_space,
        title="Data sharing pilot", topics=["Data sharing"],
    )  # fmt: skip
    return {"project": project}


def titles(digest):
    return {
        section.key: [item.title for item in section.items]
        for section in digest.sections
    }


def test_the_digest_has_the_right_items_and_nothing_secret(world, member, period):
    digest = build_contexts([member.pk], period=period)[member.pk]
    found = titles(digest)
    assert found["threads"] == [
        "Lively cross-government thread",
        "Quieter thread",
        "A discussion marked OFFICIAL-SENSITIVE in Fraud project",
    ]
    assert found["questions"] == ["How do we set up data sharing agreements?"]
    assert found["documents"] == [
        "A new document marked OFFICIAL-SENSITIVE in Fraud project",
        "Evaluation plan",
    ] or found["documents"] == [
        "Evaluation plan",
        "A new document marked OFFICIAL-SENSITIVE in Fraud project",
    ]
    assert found["members"] == ["Sam Patel (LCC)"]
    assert digest.worth_sending()
    subject, text, html = digest_render(digest)
    assert CANARY not in subject + text + html
    assert "Old thread" not in text and "Old plan" not in text
    assert "Lively cross-government thread" in text and "Evaluation plan" in html


def test_a_muted_space_drops_out_of_the_digest(world, member, open_space, period):
    follow_set(user=member, target=open_space, muted=True)
    found = titles(build_contexts([member.pk], period=period)[member.pk])
    assert "Lively cross-government thread" not in found.get("threads", [])


def test_a_member_with_too_little_is_skipped(member, open_space, period, settings):
    add_member(open_space, member)
    digest = build_contexts([member.pk], period=period)[member.pk]
    assert digest.sections == []
    assert not digest.worth_sending()


def test_a_deactivated_member_gets_no_digest(world, member, period):
    member.is_active = False
    member.save()
    assert build_contexts([member.pk], period=period) == {}


def test_the_subject_says_what_is_inside(world, member, period):
    digest = build_contexts([member.pk], period=period)[member.pk]
    assert digest_subject(digest) == (
        "3 lively discussions, a question you could answer, 2 new documents "
        "and a new member"
    )


def test_periods_are_iso_weeks_and_nonsense_is_refused():
    assert parse_period("2026-W47") == (2026, 47)
    since, until = period_window("2026-W47")
    assert until.date() == datetime.date(2026, 11, 16)
    assert (until - since).days == 7
    for bad in ("2026-47", "2026-W54", "", "W47-2026", None):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_a_batch_costs_the_same_queries_for_1_and_50_members(
    world, member, other_member, other_organisation, open_space, period, window
):
    # Work from a followed organisation, so that section is built too.
    follow_set(user=member, target=other_organisation)
    work = contribution_record(
        user=other_member, kind=Contribution.Kind.CASE_STUDY, target=open_space,
        title="Council tax pilot", space=open_space, url="/pilot/",
    )  # fmt: skip
    Contribution.objects.filter(pk=work.pk).update(created_at=window[0])
    others = [UserFactory(email=f"batch{i}@dwp.gov.uk") for i in range(49)]
    for i, user in enumerate(others):
        add_member(open_space, user)
        if i % 2:
            follow_set(user=user, target=world["project"])
        else:
            follow_set(user=user, target=other_organisation)
        contribution_record(
            user=user, kind=Contribution.Kind.CASE_STUDY, target=user,
            title="x", topics=["data sharing"],
        )  # fmt: skip
    build_contexts([member.pk], period=period)  # warm the content-type cache
    with CaptureQueriesContext(connection) as one:
        single = build_contexts([member.pk], period=period)
    with CaptureQueriesContext(connection) as fifty:
        many = build_contexts([member.pk] + [u.pk for u in others], period=period)
    assert len(many) == 50
    assert titles(single[member.pk]) == titles(many[member.pk])
    assert titles(single[member.pk])["organisations"] == ["Council tax pilot"]
    assert titles(many[others[0].pk])["organisations"] == ["Council tax pilot"]
    assert len(one.captured_queries) == len(fifty.captured_queries)
    # Every section has candidates here, "From people/organisations you
    # follow" included (one query for both).
    assert len(fifty.captured_queries) <= 17


def test_case_studies_and_lessons_in_followed_themes_and_editors_picks(
    member, organisation, period, window, django_assert_max_num_queries
):
    from django.utils.text import slugify

    from casestudies.models import CaseStudyPage, LessonPage, Theme
    from casestudies.services import ensure_index_pages

    inside, before = window
    studies, lessons = ensure_index_pages()
    followed = Theme.objects.filter(parent__isnull=False).first()
    other = (
        Theme.objects.exclude(pk=followed.pk).exclude(parent=followed.parent_id).last()
    )
    follow_set(user=member, target=followed.parent or followed)
    project = SpaceFactory(
        name="Sensitive pilots", visibility="open", ceiling="official-sensitive",
        lead_organisation=organisation,
    )  # fmt: skip
    add_member(project, member)

    def study(title, themes=(), published=inside, **fields):
        page = CaseStudyPage(
            title=title, slug=slugify(title), summary=f"{title} summary", **fields
        )
        page.themes = list(themes)
        studies.add_child(instance=page)
        CaseStudyPage.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
        return page

    source = study("Joined-up debt advice", [followed])
    study("Bins and recycling", [other])
    study("Old news", [followed], published=before)
    study(
        f"Sensitive pilot {CANARY}", [followed], marking="official-sensitive",
        space=project,
    )  # fmt: skip
    study("Pick of the week", [other], featured=True, published=before)
    lesson = LessonPage(
        title="Agree data ownership first", slug="agree-data-ownership",
        lesson="Agree who owns the data.", what_happened="Months lost.",
        source_case_study=source,
    )  # fmt: skip
    lessons.add_child(instance=lesson)
    LessonPage.objects.filter(pk=lesson.pk).update(first_published_at=inside)

    build_contexts([member.pk], period=period)
    with django_assert_max_num_queries(18):
        digest = build_contexts([member.pk], period=period)[member.pk]
    found = titles(digest)
    assert found["picks"] == ["Pick of the week"]
    assert sorted(found["case_studies"]) == [
        "Agree data ownership first",
        "Joined-up debt advice",
    ]
    subject, text, html = digest_render(digest)
    assert CANARY not in subject + text + html
    assert "Bins and recycling" not in text
    # Editors' picks alone are not worth an email; the two new items are.
    assert digest.personal_count == 2


def test_declared_expertise_finds_questions_too(
    world, other_member, third_member, period
):
    third_member.profile.expertise.add("Data Sharing")
    digest = build_contexts([third_member.pk], period=period)[third_member.pk]
    assert titles(digest)["questions"] == ["How do we set up data sharing agreements?"]


def test_work_by_people_you_follow_is_in_the_digest_unless_you_cannot_see_it(
    member, other_member, open_space, secret_space, period, window
):
    inside, before = window
    follow_set(user=member, target=other_member)
    add_member(open_space, member)
    add_member(secret_space, other_member)

    def work(kind, title, space, when=inside):
        contribution = contribution_record(
            user=other_member, kind=kind, target=space, title=title, space=space,
            url="/somewhere/",
        )  # fmt: skip
        Contribution.objects.filter(pk=contribution.pk).update(created_at=when)

    work(Contribution.Kind.CASE_STUDY, "Shared address changes", open_space)
    work(Contribution.Kind.ACCEPTED_ANSWER, f"Secret answer {CANARY}", secret_space)
    work(Contribution.Kind.DOCUMENT, "Only a document", open_space)
    # An old one, outside the week.
    old = contribution_record(
        user=other_member, kind=Contribution.Kind.ACCEPTED_ANSWER,
        target=other_member, title="Last year's answer",
    )  # fmt: skip
    Contribution.objects.filter(pk=old.pk).update(created_at=before)

    digest = build_contexts([member.pk], period=period)[member.pk]

    assert titles(digest).get("people") == ["Shared address changes"]
    rendered = str(digest.context())
    assert CANARY not in rendered

    follow_set(user=member, target=other_member, following=False, muted=True)
    muted = build_contexts([member.pk], period=period)[member.pk]
    assert "people" not in titles(muted)


def test_work_from_organisations_you_follow_is_in_the_digest_once(
    member, other_member, third_member, organisation, other_organisation,
    open_space, secret_space, period, window, settings,
):  # fmt: skip
    """`member` (DWP) follows LCC, where other_member and third_member work,
    and follows other_member in person."""
    inside, before = window
    project = SpaceFactory(
        name="Sensitive pilots", visibility="open", ceiling="official-sensitive",
        lead_organisation=organisation,
    )  # fmt: skip
    add_member(open_space, member)
    add_member(project, member)
    add_member(project, third_member)
    add_member(secret_space, third_member)
    colleague = UserFactory(email="dev@dwp.gov.uk", organisation=organisation)
    follow_set(user=member, target=other_organisation)
    follow_set(user=member, target=organisation)  # own organisation
    follow_set(user=member, target=other_member)

    def work(user, title, space, kind=Contribution.Kind.CASE_STUDY, when=inside, **x):
        contribution = contribution_record(
            user=user, kind=kind, target=space, title=title, space=space,
            url="/somewhere/", **x,
        )  # fmt: skip
        Contribution.objects.filter(pk=contribution.pk).update(created_at=when)

    work(other_member, "Tom's pilot", open_space)  # followed in person too
    work(third_member, "Sam's answer", open_space, Contribution.Kind.ACCEPTED_ANSWER)
    work(third_member, f"Secret answer {CANARY}", secret_space)
    work(
        third_member, f"Sensitive pilot {CANARY}", project,
        marking="official-sensitive",
    )  # fmt: skip
    work(third_member, "Only a document", open_space, Contribution.Kind.DOCUMENT)
    work(third_member, "Last year's study", open_space, when=before)
    work(colleague, "A DWP colleague's study", open_space)
    work(member, "My own study", open_space)

    digest = build_contexts([member.pk], period=period)[member.pk]
    found = titles(digest)
    assert found["people"] == ["Tom's pilot"]
    assert sorted(found["organisations"]) == [
        "A DWP colleague's study",
        "Sam's answer",
    ]
    details = {i.title: i.detail for s in digest.sections for i in s.items}
    assert details["Sam's answer"] == "Sam Patel (LCC): gave an accepted answer"
    subject, text, html = digest_render(digest)
    assert CANARY not in subject + text + html
    assert "From organisations you follow" in html

    settings.COP_DIGEST_SECTION_LIMIT = 1
    limited = titles(build_contexts([member.pk], period=period)[member.pk])
    assert len(limited["organisations"]) == 1
    assert "Tom's pilot" not in limited["organisations"]

    follow_set(user=member, target=other_organisation, following=False, muted=True)
    follow_set(user=member, target=organisation, following=False)
    muted = titles(build_contexts([member.pk], period=period)[member.pk])
    assert "organisations" not in muted
