"""Security headers on every response: CSP without inline scripts, and friends."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _csp(response):
    header = response.headers.get("Content-Security-Policy", "")
    parts = (p.strip() for p in header.split(";"))
    return {part.split()[0]: part.split()[1:] for part in parts if part}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/people/join/"])
def test_pages_carry_a_content_security_policy_without_inline_scripts(client, path):
    response = client.get(path)
    policy = _csp(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_our_templates_have_no_inline_scripts_or_handlers():
    """Inline script would be blocked by the policy: keep JS in static files."""
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/templates/**/*.html"):
        text = path.read_text()
        for match in re.finditer(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", text
        ):
            offenders.append(f"{path}: {match.group(0)}")
        if re.search(r"\son(click|load|change|submit|input)=", text):
            offenders.append(f"{path}: inline event handler")
    assert offenders == []


def test_session_key_rotates_at_sign_in(client, member):
    from tests.factories import TEST_PASSWORD

    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.session_key != before


def test_forms_need_a_csrf_token(member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    response = strict.post("/accounts/logout/")
    assert response.status_code == 403
