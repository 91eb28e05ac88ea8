"""A new member signs up with an allowed domain, verifies, signs in."""

import re

from playwright.sync_api import expect

from people.models import User
from tests.e2e.helpers import last_link_in_mail, sign_in

PASSWORD = "correct-horse-battery-staple"


def test_new_member_signs_up_verifies_and_sees_their_organisation(
    live_url, browser_page, organisation
):
    page = browser_page
    page.goto(f"{live_url}/")
    page.get_by_role("link", name="Create an account").first.click()

    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Hussain")
    page.get_by_label("Email").fill("nadia.hussain@dwp.gov.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Create account|Sign up", re.I)).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")
    user = User.objects.get(email="nadia.hussain@dwp.gov.uk")
    assert user.profile.organisation == organisation

    # Not verified yet: signing in is refused until the link is followed.
    link = last_link_in_mail(r"http://[^\s]+/accounts/confirm-email/[^\s]+/")
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    sign_in(page, live_url, "nadia.hussain@dwp.gov.uk", PASSWORD)
    expect(page.get_by_test_id("account-name")).to_have_text("Nadia Hussain")
    expect(page.get_by_test_id("account-organisation")).to_contain_text("DWP")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Nadia")
