"""Page tree rules, rendering and who may see what."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    LessonIndexPage,
    LessonPage,
)
from home.models import HomePage
from tests.factories import UserFactory, add_member

from .conftest import make_case_study, make_lesson

pytestmark = pytest.mark.django_db


def test_page_tree_rules(case_study_index, lesson_index):
    home = HomePage.objects.get()
    root = Page.get_first_root_node()
    # One index of each, under the home page only.
    assert not CaseStudyIndexPage.can_create_at(home)
    assert not CaseStudyIndexPage.can_create_at(root)
    assert not LessonIndexPage.can_create_at(home)
    assert CaseStudyPage.can_create_at(case_study_index)
    assert not CaseStudyPage.can_create_at(home)
    assert not CaseStudyPage.can_create_at(lesson_index)
    assert LessonPage.can_create_at(lesson_index)
    assert not LessonPage.can_create_at(case_study_index)
    assert CaseStudyPage.allowed_subpage_models() == []


def test_index_pages_exist_after_migrations():
    assert CaseStudyIndexPage.objects.live().get().url == "/case-studies/"
    assert LessonIndexPage.objects.live().get().url == "/lessons/"


def test_case_study_renders_every_section(
    member_client,
    member,
    other_member,
    organisation,
    case_study_index,
    lesson_index,
    data_sharing,
):
    page = make_case_study(
        case_study_index,
        "Sharing benefit data",
        organisations=[(organisation, "lead")],
        themes=[data_sharing],
        outcomes=[
            {
                "name": "Days to get data",
                "baseline": "90",
                "actual": "5",
                "unit": "days",
            }
        ],
        contacts=[(member, True), (other_member, False)],
        costs="Two analysts.",
        what_worked="Agreeing the gateway first.",
    )
    lesson = make_lesson(lesson_index, "Agree the gateway", source=page)
    body = member_client.get(page.url).content.decode()
    for text in (
        "Sharing benefit data",
        "Department for Work and Pensions (lead)",
        "Days to get data",
        "Two analysts.",
        "Agreeing the gateway first.",
        "Data sharing",
        lesson.lesson,
        "Amara Okafor",
    ):
        assert text in body, text
    # A contact who did not agree to be named is not shown.
    assert "Tom Ashworth" not in body
    # The lesson links back.
    lesson_body = member_client.get(lesson.url).content.decode()
    assert f'href="{page.url}"' in lesson_body


def test_summary_is_limited_to_280_characters(case_study_index):
    page = CaseStudyPage(title="Too long", slug="too-long", summary="x" * 281)
    with pytest.raises(ValidationError) as error:
        case_study_index.add_child(instance=page)
    assert "summary" in error.value.message_dict


def test_sensitive_needs_a_space_and_cannot_be_public(case_study_index, open_space):
    page = CaseStudyPage(
        title="Sensitive", slug="sensitive", summary="s", marking="official-sensitive"
    )
    with pytest.raises(ValidationError) as error:
        case_study_index.add_child(instance=page)
    assert "space" in error.value.message_dict
    page.is_public = True
    open_space.ceiling = "official-sensitive"
    open_space.save()
    page.space = open_space
    with pytest.raises(ValidationError) as error:
        case_study_index.add_child(instance=page)
    assert "is_public" in error.value.message_dict


def test_anonymous_visitors_see_public_case_studies_only(client, case_study_index):
    public = make_case_study(case_study_index, "Public one", is_public=True)
    members_only = make_case_study(case_study_index, "Members only")
    assert client.get(public.url).status_code == 200
    response = client.get(members_only.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    index = client.get(case_study_index.url).content.decode()
    assert "Public one" in index
    assert "Members only" not in index


def test_sensitive_case_study_only_for_space_members(
    client, member, case_study_index, secret_space
):
    page = make_case_study(
        case_study_index,
        "Spending options",
        marking="official-sensitive",
        space=secret_space,
    )
    outsider = UserFactory(email="outsider@dwp.gov.uk")
    staff = UserFactory(email="boss@dwp.gov.uk", is_staff=True)
    from tests.factories import give_totp

    give_totp(staff)
    for user in (outsider, staff):
        client.force_login(user)
        assert client.get(page.url).status_code == 404
        assert (
            "Spending options" not in client.get(case_study_index.url).content.decode()
        )
    client.logout()
    # Anonymous: a 404, not a sign-in prompt that would reveal it exists.
    assert client.get(page.url).status_code == 404
    add_member(secret_space, member)
    client.force_login(member)
    assert client.get(page.url).status_code == 200
    assert "Spending options" in client.get(case_study_index.url).content.decode()


def test_official_case_study_in_a_closed_space(
    client, member, case_study_index, closed_space
):
    page = make_case_study(case_study_index, "Closed work", space=closed_space)
    client.force_login(member)
    assert client.get(page.url).status_code == 404
    add_member(closed_space, member)
    assert client.get(page.url).status_code == 200


def test_lessons_index_and_visibility(client, member, lesson_index):
    make_lesson(lesson_index, "Public lesson", is_public=True)
    make_lesson(lesson_index, "Members lesson")
    body = client.get(lesson_index.url).content.decode()
    assert "Public lesson" in body and "Members lesson" not in body
    client.force_login(member)
    body = client.get(lesson_index.url).content.decode()
    assert "Public lesson" in body and "Members lesson" in body


def test_lesson_hides_a_source_the_reader_cannot_see(
    client, member, case_study_index, lesson_index
):
    source = make_case_study(case_study_index, "Members only source")
    lesson = make_lesson(lesson_index, "Public lesson", source=source, is_public=True)
    body = client.get(lesson.url).content.decode()
    assert "Members only source" not in body
    client.force_login(member)
    assert "Members only source" in client.get(lesson.url).content.decode()


def test_editors_curate_collections_in_the_admin(client, editor, member):
    client.force_login(editor)
    url = "/admin/snippets/casestudies/curatedcollection/"
    assert client.get(url).status_code == 200
    assert client.get(f"{url}add/").status_code == 200
    client.force_login(member)
    assert client.get(url).status_code in (302, 403)
