"""In a real browser: type in the header box, see suggestions, choose one
with the keyboard; search, open a result; the similar-work panel."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.factories import add_member

from .conftest import make_thread

pytestmark = pytest.mark.e2e


def test_header_suggestions_and_opening_a_result(
    live_url,
    browser_page,
    member,
    other_member,
    open_space,  # noqa: F811
):
    add_member(open_space, member)
    thread = make_thread(
        open_space, other_member, "Kinship carers and council tax", "Who exempts them?"
    )
    page = browser_page
    sign_in(page, live_url, member.email)

    box = page.get_by_role("combobox", name=re.compile("Search"))
    box.press_sequentially("Tom Ash", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option", name=re.compile("Tom Ashworth"))
    expect(option).to_be_visible()
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile("listbox-0"))
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    # Down and Enter opens the suggested person's profile.
    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    box.press("Enter")
    page.wait_for_url(f"**{other_member.profile.get_absolute_url()}")
    box = page.get_by_role("combobox", name=re.compile("Search"))

    # A normal search from the same box, then open a result.
    box.fill("kinship carers")
    box.press("Enter")
    expect(page.get_by_test_id("result-count")).to_contain_text("result")
    page.get_by_test_id("results").get_by_role(
        "link", name=re.compile("Kinship carers")
    ).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(thread.get_absolute_url())


def test_similar_work_panel_while_writing_a_thread(
    live_url, browser_page, member, other_member, open_space
):
    add_member(open_space, member)
    add_member(open_space, other_member)
    existing = make_thread(
        open_space, other_member, "Council tax exemptions for care leavers"
    )
    page = browser_page
    sign_in(page, live_url, member.email)
    page.goto(f"{live_url}/forums/spaces/{open_space.slug}/new/")
    # With JavaScript the panel replaces the fallback button.
    expect(page.get_by_role("button", name="Check for similar work")).to_be_hidden()
    page.get_by_label("Title").press_sequentially("Care leavers council tax", delay=20)
    panel = page.get_by_test_id("similar-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Council tax exemptions for care leavers")
    expect(panel).to_contain_text(str(other_member))
    panel.get_by_role("link", name=re.compile("Council tax exemptions")).click()
    page.wait_for_url(f"**{existing.get_absolute_url()}")

    from search.models import SimilarOpened

    opened = SimilarOpened.objects.get()
    assert (opened.user, opened.kind) == (member, "thread")
    assert opened.target_url == existing.get_absolute_url()
