"""Browser journey: a member submits a case study, an editor (with two-factor)
features and approves it in the Wagtail admin, and it appears on the index and
the home page."""

import re

import pytest
from playwright.sync_api import expect

from casestudies.models import CaseStudyPage
from casestudies.services import ensure_index_pages
from tests.e2e.helpers import sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e

TITLE = "Councils get benefit data in days"


TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 (the one tests.factories.give_totp sets)


def totp_code():
    from allauth.mfa.totp.internal import auth as totp

    counter = next(totp.yield_hotp_counters_from_time())
    return totp.format_hotp_value(totp.hotp_value(TOTP_SECRET, counter))


def sign_in_with_two_factor(page, live_url, email):
    sign_in(page, live_url, email, TEST_PASSWORD)
    if "/2fa/" in page.url:
        page.get_by_label(re.compile("code", re.I)).fill(totp_code())
        page.get_by_role(
            "button", name=re.compile("Sign in|Verify|Continue", re.I)
        ).click()
        page.wait_for_load_state()
    assert "/2fa/" not in page.url


def test_member_submits_editor_approves_it_is_on_index_and_home(
    live_url, new_browser_page, member, editor
):
    ensure_index_pages()
    author = new_browser_page()
    sign_in(author, live_url, member.email)

    author.goto(f"{live_url}/case-studies/contribute/")
    author.get_by_label("Title").fill(TITLE)
    author.get_by_label("Summary").fill(
        "One agreement and a weekly secure file got councils the data they needed."
    )
    author.get_by_label("Data sharing").check()
    author.get_by_role("button", name="Save and continue").click()

    author.get_by_label("The problem and its context").fill(
        "Councils waited months for benefit data."
    )
    author.get_by_label("What you did").fill("We agreed one data sharing agreement.")
    author.get_by_role("button", name="Save and continue").click()

    author.get_by_label("Measure 1", exact=True).fill("Days to get data")
    author.get_by_label("Baseline 1", exact=True).fill("90")
    author.get_by_label("Actual 1", exact=True).fill("5")
    author.get_by_role("button", name="Save and continue").click()

    author.get_by_label("Name me as a contact for this case study").check()
    author.get_by_role("button", name="Save and continue").click()

    expect(author.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    author.get_by_role("button", name="Submit for review").click()
    expect(author.get_by_role("heading", level=1)).to_contain_text("My case study")
    expect(author.locator("table")).to_contain_text("In review")

    draft = CaseStudyPage.objects.get(title=TITLE)
    assert not draft.live

    reviewer = new_browser_page()
    sign_in_with_two_factor(reviewer, live_url, editor.email)
    reviewer.goto(f"{live_url}/admin/pages/{draft.pk}/edit/")
    reviewer.get_by_role("tab", name="Promote").click()
    reviewer.get_by_role("checkbox", name="Featured").check()
    approve = reviewer.get_by_role("button", name="Approve and Publish", exact=True)
    if not approve.is_visible():
        reviewer.get_by_role("button", name="More actions").click()
    approve.click()
    reviewer.wait_for_load_state()

    draft.refresh_from_db()
    assert draft.live
    assert draft.featured

    author.goto(f"{live_url}/case-studies/")
    expect(author.get_by_role("link", name=TITLE)).to_be_visible()
    author.goto(f"{live_url}/")
    expect(author.get_by_role("link", name=TITLE)).to_be_visible()
    author.goto(f"{live_url}/case-studies/mine/")
    expect(author.locator("table")).to_contain_text("Published")
