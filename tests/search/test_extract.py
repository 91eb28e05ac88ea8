"""Text from uploaded PDF, DOCX, ODT and plain-text files, and what happens
with files that cannot be read."""

import pytest

from search.extract import extract_text
from search.selectors import search
from spaces import services as space_services
from tests.factories import add_member

from .conftest import docx_bytes, odt_bytes, pdf_bytes, upload, zip_bytes


def test_pdf():
    assert "Ptarmigan migration" in extract_text(
        pdf_bytes("Ptarmigan migration"), "report.pdf"
    )


def test_docx():
    text = extract_text(docx_bytes(["First para", "Kestrel counts"]), "a.docx")
    assert "First para" in text and "Kestrel counts" in text
    # Paragraphs stay apart: words of two paragraphs never run together.
    assert "paraKestrel" not in text


def test_odt():
    text = extract_text(odt_bytes(["Heron habitats", "Second"]), "a.odt")
    assert "Heron habitats" in text and "Second" in text


def test_txt_utf8_and_latin1():
    assert extract_text("Café society".encode(), "notes.txt") == "Café society"
    assert extract_text("Café".encode("latin-1"), "notes.txt") == "Café"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (pdf_bytes("Locked words", password="secret"), "locked.pdf"),
        (b"%PDF-1.4 this is not really a pdf", "broken.pdf"),
        (b"not a zip", "broken.docx"),
        (zip_bytes({"content.xml": "<unclosed"}), "broken.odt"),
        (
            zip_bytes(
                {
                    "content.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
                    '"aaaa">]><x>&a;&a;</x>'
                }
            ),
            "entities.odt",
        ),
        (b"\x89PNG\r\n", "picture.png"),
    ],
)
def test_unreadable_files_give_no_text_and_no_error(data, name):
    assert extract_text(data, name) == ""


def _upload(space, by, name, data, title):
    return space_services.document_upload(
        space=space, by=by, upload=upload(name, data), title=title
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("survey.pdf", pdf_bytes("Curlew nesting survey")),
        ("survey.docx", docx_bytes(["Curlew nesting survey"])),
        ("survey.odt", odt_bytes(["Curlew nesting survey"])),
        ("survey.txt", b"Curlew nesting survey"),
    ],
)
def test_uploaded_document_text_is_extracted_and_found(
    member, open_space, name, data, django_capture_on_commit_callbacks
):
    add_member(open_space, member)
    with django_capture_on_commit_callbacks(execute=True):
        version = _upload(open_space, member, name, data, "Field report")
    document = version.document
    document.refresh_from_db()
    assert "Curlew nesting survey" in document.extracted_text
    outcome = search(member, "curlew nesting")
    assert [item.title for item in outcome.results] == ["Field report"]
    assert "<mark>Curlew</mark>" in str(outcome.results[0].snippet)


def test_encrypted_pdf_upload_is_stored_and_found_by_title(
    member, open_space, django_capture_on_commit_callbacks
):
    add_member(open_space, member)
    with django_capture_on_commit_callbacks(execute=True):
        version = _upload(
            open_space,
            member,
            "locked.pdf",
            pdf_bytes("Hidden words", password="pw"),
            "Locked budget",
        )
    version.document.refresh_from_db()
    assert version.document.extracted_text == ""
    assert [i.title for i in search(member, "locked budget").results] == [
        "Locked budget"
    ]
    assert search(member, "hidden words").total == 0


def test_new_version_replaces_the_text(
    member, open_space, django_capture_on_commit_callbacks
):
    add_member(open_space, member)
    with django_capture_on_commit_callbacks(execute=True):
        version = _upload(open_space, member, "a.txt", b"Avocet", "Birds")
    with django_capture_on_commit_callbacks(execute=True):
        space_services.document_upload(
            space=open_space,
            by=member,
            upload=upload("b.txt", b"Bittern"),
            document=version.document,
        )
    assert search(member, "avocet").total == 0
    assert search(member, "bittern").total == 1


def test_backfill_command_reads_existing_documents(member, open_space):
    from io import StringIO

    from django.core.management import call_command

    add_member(open_space, member)
    # On-commit callbacks never run inside the test's transaction: this is a
    # document stored without the receiver, as before search read files.
    version = _upload(open_space, member, "old.txt", b"Dunlin roosts", "Old notes")
    document = version.document
    document.refresh_from_db()
    assert document.extracted_text == ""
    out = StringIO()
    call_command("extract_document_text", stdout=out)
    document.refresh_from_db()
    assert "Dunlin roosts" in document.extracted_text
    assert "Read 1 document(s)" in out.getvalue()
    assert [i.title for i in search(member, "dunlin").results] == ["Old notes"]
