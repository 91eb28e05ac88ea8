"""Fixtures for spaces: small real files and documents with versions."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import SpaceFactory, UserFactory, add_member

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def pdf_file(name="report.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def text_file(name="notes.txt", data=b"Minutes of the first meeting.\n"):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes():
    return zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document/>",
        }
    )


def odt_bytes():
    return zip_bytes(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<office:document-content/>",
        }
    )


@pytest.fixture
def space_facilitator(facilitator, open_space, closed_space, secret_space):
    for space in (open_space, closed_space, secret_space):
        add_member(space, facilitator, "owner")
    return facilitator


@pytest.fixture
def space_member(member, open_space, closed_space, secret_space):
    for space in (open_space, closed_space, secret_space):
        add_member(space, member, "member")
    return member


@pytest.fixture
def outsider(db, other_organisation):
    """A signed-up member who belongs to no space."""
    return UserFactory(email="nobody@leics.gov.uk", organisation=other_organisation)


@pytest.fixture
def upload(db):
    """Upload a document through the service: upload(space, user, **kw)."""
    from spaces import services

    def make(space, user, *, file=None, title="Shared report", **kwargs):
        return services.document_upload(
            space=space,
            by=user,
            upload=file or pdf_file(),
            title=title,
            **kwargs,
        )

    return make


@pytest.fixture
def sensitive_space(db, organisation):
    return SpaceFactory(
        name="Joint Fraud Taskforce",
        visibility="open",
        ceiling="official-sensitive",
        lead_organisation=organisation,
    )


def queries_for(client, url):
    """How many queries one GET of `url` takes (the log is emptied first: it
    keeps at most 9,000 queries, after which counts by slicing read zero)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response
    return len(captured.captured_queries)
