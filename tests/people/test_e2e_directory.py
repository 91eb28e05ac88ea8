"""A member searches for "data sharing", opens the top profile, asks for an
introduction; the expert signs in and sees (and accepts) it.

Runs in a real browser against a live ASGI server (tests/e2e fixtures).
"""

import re

import pytest
from playwright.sync_api import expect

from people.models import IntroductionRequest
from tests.e2e.helpers import sign_in
from tests.people.conftest import make_person

pytestmark = pytest.mark.e2e


def test_search_open_top_profile_request_introduction_expert_sees_it(
    live_url, browser_page, new_browser_page, member, organisation, other_organisation
):
    expert = make_person(
        "dee.expert@leics.gov.uk", "Dee", "Expert", organisation=other_organisation,
        expertise=["Data sharing"], job_title="Information Governance Lead",
        area_of_work="I agree data sharing between the county and the NHS.",
    )  # fmt: skip
    make_person(
        "mo.mention@dwp.gov.uk", "Mo", "Mention", organisation=organisation,
        job_title="Data sharing inbox officer",
    )  # fmt: skip

    page = browser_page
    sign_in(page, live_url, member.email)
    page.goto(f"{live_url}/people/")
    main = page.locator("#main-content")
    main.get_by_label(re.compile("Search by name", re.I)).fill("data sharing")
    main.get_by_role("button", name="Search", exact=True).click()
    cards = page.get_by_test_id("person-card")
    expect(cards.first).to_contain_text("Dee Expert")
    expect(cards.nth(1)).to_contain_text("Mo Mention")

    cards.first.get_by_role("link", name="Dee Expert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dee Expert")
    page.get_by_role("link", name="Request an introduction").click()
    page.get_by_label("Why would you like to be introduced?").fill(
        "I am drafting a DWP and council data sharing agreement. Could we talk?"
    )
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your request has been sent to Dee Expert")).to_be_visible()
    assert IntroductionRequest.objects.filter(to_user=expert).count() == 1

    expert_page = new_browser_page()
    sign_in(expert_page, live_url, expert.email)
    expert_page.goto(f"{live_url}/people/introductions/")
    request = expert_page.get_by_test_id("introduction")
    expect(request).to_contain_text("Amara Okafor")
    expect(request).to_contain_text("Could we talk?")
    request.get_by_role("button", name=re.compile("^Accept")).click()
    expect(
        expert_page.get_by_text("You accepted Amara Okafor's request")
    ).to_be_visible()

    page.goto(f"{live_url}/people/introductions/")
    expect(page.get_by_text("dee.expert@leics.gov.uk")).to_be_visible()
