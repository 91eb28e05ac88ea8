"""A facilitator creates a closed space and invites a partner from another
organisation, who accepts and uploads a document; a non-member cannot see it."""

import re

import pytest
from playwright.sync_api import expect

from spaces.models import Document, Membership, Space

# The browser fixtures live in tests/e2e/conftest.py.
from tests.e2e.conftest import (  # noqa: F401
    browser,
    browser_page,
    chromium_path,
    live_url,
    new_browser_page,
)
from tests.e2e.helpers import last_link_in_mail, sign_in
from tests.factories import UserFactory
from tests.spaces.conftest import PDF

pytestmark = pytest.mark.e2e


def test_closed_space_journey(
    live_url,  # noqa: F811
    new_browser_page,  # noqa: F811
    organisation,
    other_organisation,
    tmp_path,
):
    facilitator = UserFactory(
        email="fola@dwp.gov.uk", first_name="Fola", organisation=organisation
    )
    partner = UserFactory(
        email="tom@leics.gov.uk", first_name="Tom", organisation=other_organisation
    )
    outsider = UserFactory(email="nosy@dwp.gov.uk", organisation=organisation)

    # The facilitator creates a closed space.
    page = new_browser_page()
    sign_in(page, live_url, facilitator.email)
    page.goto(f"{live_url}/spaces/")
    page.get_by_role("link", name="Create a space").click()
    page.get_by_label("Name of the space").fill("Benefit Take-up Pilot")
    page.get_by_label("Purpose").fill("Find people missing out on benefits.")
    page.get_by_role("radio", name="Project").check()
    page.get_by_role("radio", name=re.compile("^Closed")).check()
    page.get_by_role("button", name="Create space").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefit Take-up Pilot")
    space = Space.objects.get(name="Benefit Take-up Pilot")
    assert space.visibility == "closed"

    # ...and invites a member of another organisation.
    page.get_by_role("link", name="Members").click()
    page.get_by_label("Email address").fill(partner.email)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {partner.email}")).to_be_visible()
    link = last_link_in_mail(r"http://[^\s]+/spaces/invitations/[^\s]+/")

    # The partner accepts and uploads a document.
    partner_page = new_browser_page()
    sign_in(partner_page, live_url, partner.email)
    partner_page.goto(link)
    partner_page.get_by_role("button", name="Accept and join").click()
    expect(partner_page.get_by_test_id("your-role")).to_have_text("You are a member")
    assert Membership.objects.filter(space=space, user=partner).exists()
    partner_page.get_by_role("link", name="Documents").click()
    partner_page.get_by_role("link", name="Upload a document").first.click()
    pdf = tmp_path / "referral-route.pdf"
    pdf.write_bytes(PDF)
    partner_page.locator('input[type="file"]').set_input_files(str(pdf))
    partner_page.get_by_label("Title").fill("Referral route")
    partner_page.get_by_role("button", name="Upload document").click()
    expect(partner_page.get_by_role("heading", level=1)).to_have_text("Referral route")
    document = Document.objects.get(title="Referral route")
    assert document.current_version.original_name == "referral-route.pdf"
    assert document.created_by == partner

    # Someone outside the space sees the space but none of its documents.
    nosy = new_browser_page()
    sign_in(nosy, live_url, outsider.email)
    nosy.goto(f"{live_url}/spaces/{space.slug}/")
    expect(nosy.get_by_role("link", name="Ask to join")).to_be_visible()
    expect(nosy.get_by_text("Referral route")).to_have_count(0)
    response = nosy.goto(f"{live_url}/spaces/{space.slug}/documents/")
    assert response.status == 403
    response = nosy.goto(f"{live_url}{document.get_absolute_url()}")
    assert response.status == 404
    response = nosy.goto(f"{live_url}{document.current_version.get_download_url()}")
    assert response.status == 404
