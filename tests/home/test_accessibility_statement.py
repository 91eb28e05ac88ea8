"""The accessibility statement says what is true and reaches existing sites."""

import importlib

import pytest
from django.apps import apps

from home.models import StandardPage
from home.site_content import ACCESSIBILITY, ACCESSIBILITY_REVIEWED, stream_body

pytestmark = pytest.mark.django_db

update = importlib.import_module("home.migrations.0003_accessibility_statement_wcag_22")


def _statement():
    return StandardPage.objects.get(slug="accessibility")


def _text(page):
    return " ".join(str(block.value) for block in page.body)


def test_the_statement_page_states_wcag_22_aa_and_how_it_is_checked(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Web Content Accessibility Guidelines version 2.2</a> (WCAG 2.2) AA" in body
    assert "partially compliant" in body
    for checked in ("axe-core", "just a keyboard", "320 pixels", "200% zoom"):
        assert checked in body, checked
    assert f"last reviewed on {ACCESSIBILITY_REVIEWED}" in body
    assert ACCESSIBILITY_REVIEWED == "22 November 2026"
    assert 'href="mailto:accessibility@joinedup.local"' in body


def test_the_statement_lists_the_findings_the_tests_accept():
    """Each axe finding tests/e2e/a11y.py accepts after review is a known issue
    on the statement, and so is what the tests do not cover."""
    from tests.e2e.a11y import REVIEWED

    text = _text(_statement())
    known = {"label-content-name-mismatch": "‘Choose file’ button"}
    assert set(REVIEWED) <= set(known), "describe the new finding on the statement"
    for finding in REVIEWED:
        assert known[finding] in text
    assert "Wagtail content management system's own interface" in text
    assert "We have not tested it ourselves" in text


def test_an_untouched_statement_is_brought_up_to_date():
    page = _statement()
    page.body = stream_body(update.PREVIOUS)
    page.save()
    revision = page.save_revision()
    assert "WCAG 2.2) AA" not in _text(_statement())

    update.update_statement(apps, None)

    assert update._blocks(_statement().body.raw_data) == ACCESSIBILITY
    revision.refresh_from_db()
    assert "WCAG 2.2) AA" in _text(revision.as_object())


def test_a_statement_an_editor_changed_is_left_alone():
    page = _statement()
    edited = [
        ("heading", "Accessibility"),
        ("paragraph", "<p>Email access@dwp.example.gov.uk about problems.</p>"),
    ]
    page.body = stream_body(edited)
    page.save()

    update.update_statement(apps, None)

    assert "access@dwp.example.gov.uk" in _text(_statement())
    assert "WCAG 2.2) AA" not in _text(_statement())
