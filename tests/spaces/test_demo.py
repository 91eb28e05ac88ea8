"""The demo loads, covers every kind and visibility, and loads again unchanged."""

import pytest

from home.management.commands.load_demo_data import Command
from spaces import demo
from spaces.files import check_upload
from spaces.models import Document, DocumentVersion, Membership, Space

pytestmark = pytest.mark.django_db


def test_demo_spaces_load_twice_without_duplicates():
    command = Command()
    command.load_organisations()
    command.load_members()
    summary = demo.load()
    assert "spaces" in summary
    counts = (
        Space.objects.count(),
        Membership.objects.count(),
        Document.objects.count(),
        DocumentVersion.objects.count(),
    )
    assert demo.load() == summary
    assert counts == (
        Space.objects.count(),
        Membership.objects.count(),
        Document.objects.count(),
        DocumentVersion.objects.count(),
    )
    assert Space.objects.count() >= 8
    assert {kind for kind, _ in Space.Kind.choices} == set(
        Space.objects.values_list("kind", flat=True)
    )
    assert {v for v, _ in Space.Visibility.choices} == set(
        Space.objects.values_list("visibility", flat=True)
    )
    pilot = Space.objects.get(slug="benefit-take-up-pilot")
    assert pilot.charter_outputs
    assert any(action.is_overdue for action in pilot.actions.all())
    assert pilot.participations.exclude(role="").count() >= 3
    assert (
        pilot.memberships.values("user__profile__organisation").distinct().count() >= 3
    )
    template = Document.objects.get(title="Data sharing agreement template")
    assert list(template.versions.values_list("number", flat=True)) == [3, 2, 1]
    assert template.current_version.number == 3


def test_demo_pdfs_are_real_pdfs():
    from spaces.files import bytes_upload

    data = demo.pdf_bytes("Pilot plan (draft)")
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert check_upload(bytes_upload("plan.pdf", data)).content_type == (
        "application/pdf"
    )
