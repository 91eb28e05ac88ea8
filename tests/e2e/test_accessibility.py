"""WCAG 2.2 AA checks over every page type, in Debian chromium with axe-core.

Each role signs in once and visits its pages; every page is checked by
axe-core (no serious or critical violations), for a title that says where
you are, one h1, a main landmark and no sideways scrolling at 320 CSS pixels.
Screenshots at desktop and phone widths land in test-output/screenshots/ and
a JSON record per page in test-output/accessibility/.

The lists below grow with every page type; `PAGES` names what was checked.
"""

import re

import pytest

from tests.e2e.a11y import audit
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory

ANONYMOUS_PAGES = [
    ("home-anonymous", "/"),
    ("sign-in", "/accounts/login/"),
    ("sign-up", "/accounts/signup/"),
    ("password-reset", "/accounts/password/reset/"),
    ("how-to-join", "/people/join/"),
    ("accessibility-statement", "/accessibility/"),
    ("privacy", "/privacy/"),
    ("not-found", "/no-such-page/"),
]

MEMBER_PAGES = [
    ("home-member", "/"),
    ("invite", "/people/invite/"),
    ("email-settings", "/accounts/email/"),
    ("password-change", "/accounts/password/change/"),
]


def _check(page, live_url, pages):
    problems = []
    for name, path in pages:
        page.goto(f"{live_url}{path}")
        problems += audit(page, name)
    return problems


def test_anonymous_pages_meet_wcag_22_aa(live_url, browser_page):
    problems = _check(browser_page, live_url, ANONYMOUS_PAGES)
    assert problems == [], "\n".join(problems)


def test_forms_with_errors_meet_wcag_22_aa(live_url, browser_page):
    page = browser_page
    problems = []
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    problems += audit(page, "sign-in-with-errors")
    page.goto(f"{live_url}/accounts/signup/")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_role("button", name=re.compile("Create account|Sign up", re.I)).click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += audit(page, "sign-up-with-errors")
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_member_pages_meet_wcag_22_aa(live_url, browser_page, organisation):
    UserFactory(email="a11y@dwp.gov.uk", organisation=organisation)
    organisation.profiles.filter(user__email="a11y@dwp.gov.uk").update(
        is_organisation_admin=True
    )
    sign_in(browser_page, live_url, "a11y@dwp.gov.uk")
    problems = _check(browser_page, live_url, MEMBER_PAGES)
    assert problems == [], "\n".join(problems)


def test_error_summary_links_move_focus_to_the_field(live_url, browser_page):
    page = browser_page
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    first_error = page.locator(".govuk-error-summary__list a").first
    target = first_error.get_attribute("href")
    first_error.click()
    focused = page.evaluate("() => '#' + document.activeElement.id")
    assert focused == target


def test_password_fields_allow_paste(live_url, browser_page):
    """Accessible authentication: nothing stops a password manager or paste."""
    page = browser_page
    page.goto(f"{live_url}/accounts/login/")
    field = page.get_by_label("Password")
    assert field.get_attribute("onpaste") is None
    field.focus()
    page.evaluate(
        "() => { const dt = new DataTransfer(); dt.setData('text/plain', 'pasted-secret');"
        " document.activeElement.dispatchEvent(new ClipboardEvent('paste', "
        "{clipboardData: dt, bubbles: true, cancelable: true})); }"
    )
    field.fill("pasted-secret")
    assert field.input_value() == "pasted-secret"


def test_the_audit_itself_catches_violations(browser_page):
    """The checker is not a rubber stamp: a page with known faults fails."""
    page = browser_page
    page.set_content(
        "<html><head><title>Broken</title></head><body>"
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        '<div style="width:2000px">wide</div>'
        '<input type="text"></body></html>'
    )
    problems = audit(page, "deliberately-broken", screenshots=False)
    text = "\n".join(problems)
    assert "image-alt" in text
    assert "label" in text
    assert "does not say where you are" in text
    assert "scrolls sideways" in text
    assert "<main>" in text
