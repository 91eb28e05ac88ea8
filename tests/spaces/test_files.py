"""Upload validation: extension, size, and what the bytes really are."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from spaces.files import check_upload
from tests.spaces.conftest import PDF, PNG, docx_bytes, odt_bytes, zip_bytes


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("Minutes.TXT", "Minutes: £40k agreed\n".encode(), "text/plain; charset=utf-8"),
        ("figures.csv", b"area,claims\nLeicester,120\n", "text/csv; charset=utf-8"),
        ("README.md", b"# Notes\n", "text/markdown; charset=utf-8"),
        ("chart.png", PNG, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("logo.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
        (
            "plan.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("plan.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_files_pass_with_their_type_and_hash(name, data, content_type):
    checked = check_upload(upload(name, data))
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not a type of file you can upload"),
        ("noextension", PDF, "not a type of file you can upload"),
        ("empty.pdf", b"", "is empty"),
        ("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60, "contents are a program"),
        ("tool.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "contents are a program"),
        ("script.txt", b"#!/bin/sh\nrm -rf /\n", "contents are a program"),
        ("picture.pdf", PNG, "contents are a PNG image"),
        ("report.docx", PDF, "contents are a PDF"),
        ("sheet.xlsx", docx_bytes(), "contents are a Word document"),
        ("archive.docx", zip_bytes({"a.txt": "x"}), "contents are a zip archive"),
        ("binary.txt", b"abc\x00def", "contents are a binary file"),
        ("latin1.csv", "caf\xe9".encode("latin-1"), "contents are a binary file"),
        ("broken.odt", b"PK\x03\x04 not really a zip", "contents are a binary file"),
    ],
)
def test_refused_files_say_why(name, data, message):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data))
    assert message in caught.value.messages[0]


def test_oversized_files_are_refused_with_the_limit(settings):
    settings.COP_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("big.txt", b"a" * 1025))
    assert "must be 1.0\xa0KB or smaller" in caught.value.messages[0]
    assert check_upload(upload("fits.txt", b"a" * 1024)).size == 1024


def test_the_allowed_types_are_a_setting(settings):
    settings.COP_UPLOAD_EXTENSIONS = ["txt"]
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("report.pdf", PDF))
    assert "The file must be one of: txt." in caught.value.messages[0]
