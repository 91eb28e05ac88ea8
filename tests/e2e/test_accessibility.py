"""WCAG 2.2 AA checks over every page type, in Debian chromium with axe-core.

Each role signs in once and visits its pages; every page is checked by
axe-core (no serious or critical violations), for a title that says where
you are, one h1, a main landmark, targets of at least 24 by 24 CSS pixels
(or spaced as SC 2.5.8 allows) and no sideways scrolling at 320 CSS pixels.
The main page types are checked again at 200% zoom.
Screenshots at desktop and phone widths land in test-output/screenshots/ and
a JSON record per page in test-output/accessibility/.

The lists below grow with every page type; `PAGES` names what was checked.
"""

import os
import re

import pytest

from tests.e2e.a11y import ZOOM_200, audit, audit_zoomed
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


def test_the_audit_catches_small_crowded_targets(browser_page):
    page = browser_page
    page.set_content(
        "<html lang='en'><head><title>Targets – Joined Up</title></head><body>"
        "<main><h1>Targets</h1>"
        # In a sentence: exempt, however small the text.
        "<p style='font-size: 12px'>Read the <a href='#g'>guidelines</a> first.</p>"
        # Two small buttons side by side: neither the size nor the spacing.
        "<p><button style='width: 16px; height: 16px; padding: 0'>a</button>"
        "<button style='width: 16px; height: 16px; padding: 0'>b</button></p>"
        # Small but alone: the spacing exception.
        "<p><button style='width: 16px; height: 16px; margin: 40px'>c</button></p>"
        "</main></body></html>"
    )
    problems = audit(page, "small-targets", screenshots=False)
    text = "\n".join(problems)
    assert 'target button "a" is 16x16 CSS px and crowds button "b"' in text
    assert 'target button "b" is 16x16' in text
    assert "axe target-size" in text  # axe's own rule runs too
    assert '"c"' not in text
    assert "guidelines" not in text


def test_the_zoom_audit_catches_sideways_scrolling(browser):
    context = browser.new_context(**ZOOM_200)
    page = context.new_page()
    page.set_content(
        "<html><body><p style='width: 900px'>A line that will not wrap.</p>"
        "</body></html>"
    )
    problems = audit_zoomed(page, "too-wide", screenshots=False)
    assert any("scrolls sideways at 200% zoom" in p for p in problems), problems
    context.close()


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


def _demo_member_pages():
    """Every feature page type, found in the demo community for its first member."""
    from casestudies.models import CaseStudyPage, LessonPage
    from forums.models import Thread
    from people.models import Organisation, User
    from spaces.models import Document, Membership

    amara = User.objects.get(email="amara.okafor@dwp.gov.uk")
    membership = (
        Membership.objects.filter(user=amara, role__in=["owner", "facilitator"])
        .select_related("space")
        .first()
    )
    space = membership.space
    document = Document.objects.filter(space__memberships__user=amara).first()
    thread = Thread.objects.filter(space__memberships__user=amara).first()
    case_study = CaseStudyPage.objects.live().first()
    lesson = LessonPage.objects.live().first()
    organisation = Organisation.objects.filter(profiles__isnull=False).first()
    return amara, [
        ("spaces-directory", "/spaces/"),
        ("space", f"/spaces/{space.slug}/"),
        ("space-members-facilitator", f"/spaces/{space.slug}/members/"),
        ("space-actions", f"/spaces/{space.slug}/actions/"),
        ("space-edit", f"/spaces/{space.slug}/edit/"),
        ("space-create", "/spaces/new/"),
        ("documents", f"/spaces/{document.space.slug}/documents/"),
        ("document", document.get_absolute_url()),
        ("upload", f"/spaces/{document.space.slug}/documents/upload/"),
        ("forums", "/forums/"),
        ("forum-space", f"/forums/spaces/{thread.space.slug}/"),
        ("thread", f"/forums/threads/{thread.pk}/"),
        ("thread-new", f"/forums/spaces/{thread.space.slug}/new/"),
        ("moderation-queue", f"/forums/spaces/{space.slug}/moderation/"),
        ("guidelines", "/forums/guidelines/"),
        ("case-studies", "/case-studies/"),
        ("case-study", case_study.url),
        ("lessons", "/lessons/"),
        ("lesson", lesson.url),
        ("case-study-submit", "/case-studies/contribute/"),
        ("my-submissions", "/case-studies/mine/"),
        ("people-directory", "/people/?q=data+sharing"),
        ("profile", f"/people/{amara.profile.handle}/"),
        ("profile-edit", "/people/me/edit/"),
        ("organisations", "/people/organisations/"),
        ("organisation", f"/people/organisations/{organisation.slug}/"),
        ("introductions", "/people/introductions/"),
        ("notifications", "/notifications/"),
        ("notification-preferences", "/notifications/preferences/"),
        ("digest-preview", "/notifications/digest/preview/"),
        ("search-results", "/search/?q=data+sharing"),
        ("search-empty", "/search/?q=zzzqqqxxnothing"),
    ]


@pytest.mark.django_db(transaction=True)
def test_feature_pages_meet_wcag_22_aa_with_the_demo_community(live_url, browser_page):
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("load_demo_data", stdout=quiet)
    amara, pages = _demo_member_pages()
    sign_in(browser_page, live_url, amara.email, password="joined-up-demo")
    problems = _check(browser_page, live_url, pages)
    assert problems == [], "\n".join(problems)


# The main page types, checked again at 200% zoom (see a11y.ZOOM_200).
ZOOMED_ANONYMOUS = [("home-anonymous", "/"), ("sign-in", "/accounts/login/")]
ZOOMED_MEMBER = {
    "spaces-directory",
    "space",
    "thread",
    "case-study",
    "people-directory",
    "search-results",
}


@pytest.mark.django_db(transaction=True)
def test_main_pages_at_200_percent_zoom(live_url, browser):
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("load_demo_data", stdout=quiet)
    amara, pages = _demo_member_pages()
    member_pages = [("home-member", "/")] + [
        (name, path) for name, path in pages if name in ZOOMED_MEMBER
    ]
    assert {name for name, _ in member_pages} >= ZOOMED_MEMBER
    context = browser.new_context(**ZOOM_200)
    page = context.new_page()
    problems = []
    for name, path in ZOOMED_ANONYMOUS:
        page.goto(f"{live_url}{path}")
        problems += audit_zoomed(page, name)
    sign_in(page, live_url, amara.email, password="joined-up-demo")
    for name, path in member_pages:
        page.goto(f"{live_url}{path}")
        problems += audit_zoomed(page, name)
    context.close()
    assert problems == [], "\n".join(problems)
