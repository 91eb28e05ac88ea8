"""Bring existing sites' accessibility statement up to date (WCAG 2.2 AA,
how it is checked, known issues, last reviewed).

New sites get the current text from migration 0002. On an existing site the
statement is replaced only where it still holds the text this software
shipped before (below, frozen): a statement an editor has changed, say with
the organisation's real contact address, is theirs and is left alone. The
latest revision is brought along too, so the admin does not offer the old
text back to the next editor.
"""

import json

from django.db import migrations

from home.site_content import ACCESSIBILITY, stream_body

PREVIOUS = [
    ("heading", "How accessible this service is"),
    (
        "paragraph",
        "<p>We want as many people as possible to be able to use Joined Up. You "
        "should be able to change colours and fonts, zoom in to 300% without the "
        "text spilling off the screen, get around using just a keyboard and use "
        "a screen reader.</p><p>We are building towards the Web Content "
        "Accessibility Guidelines (WCAG) 2.2 at level AA and check pages in a "
        "real browser with automated tools. The full audit of every page has not "
        "been completed yet, so this service is partially compliant.</p>",
    ),
    ("heading", "Reporting a problem"),
    (
        "paragraph",
        "<p>If you find a problem that is not listed here, or you need "
        "information in a different format, email "
        '<a href="mailto:accessibility@joinedup.local">accessibility@joinedup.local</a>. '
        "We reply within 5 working days.</p>",
    ),
]


def _blocks(raw):
    """(type, value) pairs of stored stream data, ids aside."""
    if isinstance(raw, str):
        raw = json.loads(raw or "[]")
    return [(block["type"], block["value"]) for block in raw or []]


def _unchanged(raw):
    return _blocks(raw) == [tuple(block) for block in PREVIOUS]


def update_statement(apps, schema_editor):
    StandardPage = apps.get_model("home.StandardPage")
    Revision = apps.get_model("wagtailcore.Revision")
    for page in StandardPage.objects.filter(slug="accessibility", depth=3):
        if not _unchanged(page.body.raw_data):
            continue
        body = stream_body(ACCESSIBILITY)
        page.body = body
        page.save(update_fields=["body"])
        if page.latest_revision_id is None:
            continue
        revision = Revision.objects.get(pk=page.latest_revision_id)
        stored = revision.content.get("body")
        if _unchanged(stored):
            revision.content["body"] = (
                json.dumps(body) if isinstance(stored, str) else body
            )
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_site_pages_and_editors"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(update_statement, migrations.RunPython.noop)]
