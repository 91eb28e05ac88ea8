"""Hostile uploads through the real views (issue 9, point 5).

Space documents (upload and new version), profile photos and images in the
Wagtail admin (editors, for pages and case studies) are the file uploads in
the project: the member's case study form takes no attachments or images.
Renamed programs, SVG with script, files one byte over the limit, empty
files, zip bombs dressed as Word documents, nested zips and PDFs that
decompress to hundreds of megabytes: each is refused with a message next to
the field that says what is wrong, nothing is stored (no Document or
DocumentVersion row, no file left in storage), or, where the file is a fair
one that only hurts whoever unpacks it, it is stored and reading its text for
search stays within a bounded number of bytes and seconds.
"""

import io
import os
import random
import struct
import time
import tracemalloc
import zipfile
import zlib
from functools import cache
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from people.models import Profile
from search.extract import extract_text
from spaces.models import Document, DocumentVersion
from tests.factories import add_member
from tests.hostile.pdf import deflate_repeated, pdf_with_stream
from tests.hostile.strategies import png_claiming
from tests.spaces.conftest import PDF

pytestmark = pytest.mark.django_db

MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/content-types"><Override PartName='
    b'"/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
GIGABYTE = 1024**3


# --- building hostile files ------------------------------------------------------


def _deflate(data, final=False):
    """Raw deflate of `data` ending on a byte boundary with no history, so
    segments made separately can be joined into one stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def zip_raw(members):
    """A zip from (name, method, payload, crc, size) tuples: the payload is
    written as given, so a part can claim any size it really unpacks to."""
    out, central = io.BytesIO(), []
    for name, method, payload, crc, size in members:
        offset, encoded = out.tell(), name.encode()
        # version needed, flags, method, time, date, CRC, packed, unpacked
        fields = (20, 0, method, 0, 0x21, crc, len(payload), size)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, len(encoded), 0))
        out.write(encoded + payload)
        # ... then name length, extra, comment, disk, attributes, offset
        tail = (len(encoded), 0, 0, 0, 0, 0, offset)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, *tail) + encoded
        )
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    count = len(members)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0
        )
    )
    return out.getvalue()


def _part(name, data):
    return (
        name,
        zipfile.ZIP_DEFLATED,
        _deflate(data, final=True),
        zlib.crc32(data),
        len(data),
    )


@cache
def docx_bomb(size=GIGABYTE):
    """A .docx whose word/document.xml is well-formed XML unpacking to `size`
    bytes (mostly spaces), built from about 1 MB without writing `size`."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
    head = (head + "<w:p><w:r><w:t>Bomb</w:t></w:r></w:p>").encode()
    tail = b"</w:body></w:document>"
    block = b" " * (1024 * 1024)
    repeats = -(-(size - len(head) - len(tail)) // len(block))  # at least `size`
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    payload = _deflate(head) + _deflate(block) * repeats + _deflate(tail, final=True)
    unpacked = len(head) + repeats * len(block) + len(tail)
    return zip_raw(
        [
            _part("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", zipfile.ZIP_DEFLATED, payload, crc, unpacked),
        ]
    )


def docx(text="Kestrel counts", stored=None):
    """A small real .docx; `stored` adds parts as they are (not compressed)."""
    body = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'
    body += f"{text}</w:t></w:r></w:p></w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", body)
        for name, data in (stored or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def bzip2_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def many_parts_docx(count):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(count):
            archive.writestr(f"word/media/image{n}.png", b"x")
    return buffer.getvalue()


def nested_zip():
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("report.docx", inner.getvalue())
    return outer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- the space, the member, what is stored --------------------------------------


@pytest.fixture
def space(open_space, member):
    add_member(open_space, member)
    return open_space


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def post_upload(client, space, name, data, **fields):
    return client.post(
        f"/spaces/{space.slug}/documents/upload/",
        {
            "title": "Hostile file",
            "marking": "official",
            "file": upload(name, data),
            **fields,
        },
    )


REFUSED = [
    ("setup.pdf", MZ, "“setup.pdf” is named as .pdf but its contents are a program"),
    (
        "minutes.docx",
        MZ,
        "“minutes.docx” is named as .docx but its contents are a program",
    ),
    ("chart.png", ELF, "“chart.png” is named as .png but its contents are a program"),
    ("tool.pdf", ELF, "its contents are a program"),
    ("drawing.svg", SVG, "“drawing.svg” is not a type of file you can upload here"),
    (
        "chart.png",
        SVG,
        "“chart.png” is named as .png but its contents are a plain text file",
    ),
    ("empty.pdf", b"", "“empty.pdf” is empty. Choose a file with something in it."),
    (
        "report.docx",
        docx_bomb,
        "“report.docx” cannot be uploaded because part of it is packed",
    ),
    (
        "report.docx",
        nested_zip,
        "“report.docx” is named as .docx but its contents are a zip",
    ),
    (
        "report.docx",
        bzip2_docx,
        "it uses a kind of compression that office programs do not use",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "message"), REFUSED, ids=[m[:40] for _, _, m in REFUSED]
)
def test_hostile_files_are_refused_with_a_message_and_nothing_stored(
    member_client, space, settings, name, data, message
):
    data = data() if callable(data) else data
    before = stored_files(settings)
    response = post_upload(member_client, space, name, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'class="govuk-error-summary' in body
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert stored_files(settings) == before


def test_a_file_one_byte_over_the_limit_is_refused(member_client, space, settings):
    settings.COP_UPLOAD_MAX_BYTES = 1000
    response = post_upload(member_client, space, "notes.txt", b"a" * 1001)
    assert response.status_code == 400
    assert "The file must be 1000\xa0bytes or smaller." in response.content.decode()
    assert DocumentVersion.objects.count() == 0
    assert stored_files(settings) == []


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(
    member_client, space, settings
):
    settings.COP_UPLOAD_MAX_BYTES = 1000
    response = post_upload(member_client, space, "big.txt", b"a" * 200_000)
    assert response.status_code == 302
    page = member_client.get(response["Location"])
    assert (
        "The file is too big: it must be 1000\xa0bytes or smaller."
        in page.content.decode()
    )
    assert DocumentVersion.objects.count() == 0
    assert stored_files(settings) == []


def test_too_many_parts_are_refused(member_client, space, settings):
    settings.COP_ARCHIVE_MAX_MEMBERS = 50
    response = post_upload(member_client, space, "album.docx", many_parts_docx(60))
    assert "because it has more than 50 parts" in response.content.decode()
    assert DocumentVersion.objects.count() == 0


def test_too_much_unpacked_is_refused(member_client, space, settings):
    settings.COP_ARCHIVE_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
    settings.COP_ARCHIVE_MAX_RATIO = 10_000
    response = post_upload(member_client, space, "big.docx", docx_bomb(8 * 1024 * 1024))
    assert "because it unpacks to 8.0\xa0MB, more than the 4.0\xa0MB we accept" in (
        response.content.decode()
    )
    assert DocumentVersion.objects.count() == 0


def test_a_new_version_is_checked_the_same_way(member_client, space, settings, member):
    from spaces import services

    version = services.document_upload(
        space=space, by=member, upload=upload("plan.pdf", PDF), title="Plan"
    )
    before = stored_files(settings)
    response = member_client.post(
        f"/spaces/{space.slug}/documents/{version.document_id}/versions/new/",
        {"file": upload("plan.pdf", MZ)},
    )
    assert response.status_code == 400
    assert "its contents are a program" in response.content.decode()
    assert DocumentVersion.objects.count() == 1
    assert stored_files(settings) == before


def test_a_docx_with_a_bomb_inside_is_stored_but_never_unpacked(
    member_client, space, django_capture_on_commit_callbacks
):
    # Word files may embed other files (zips included); we never open them.
    # (Compressed again, a bomb inside packs too tightly and is refused.)
    data = docx("Curlew nesting", stored={"word/embeddings/object1.bin": docx_bomb()})
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(member_client, space, "survey.docx", data)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.extracted_text == "Curlew nesting"
    assert time.monotonic() - started < 10


def test_a_pdf_that_decompresses_hugely_is_stored_and_read_within_bounds(
    member_client, space, django_capture_on_commit_callbacks
):
    lines = b"BT /F1 12 Tf 72 700 Td (Hello kestrel) Tj ET\n" * 20_000  # 900 KB
    data = pdf_with_stream(packed=deflate_repeated(lines, 220))  # 200 MB unpacked
    assert len(data) < 1_000_000
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(member_client, space, "report.pdf", data)
    assert response.status_code == 302
    assert Document.objects.get().extracted_text == ""
    assert time.monotonic() - started < 10


# --- text extraction on its own: bytes, memory and time --------------------------


@pytest.fixture
def budgets(monkeypatch):
    """Every Budget an extraction makes, to see what it spent."""
    from search import extract

    made = []

    class Recorded(extract.Budget):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr(extract, "Budget", Recorded)
    return made


def test_extraction_of_a_zip_bomb_is_refused_in_little_memory_and_time():
    data = docx_bomb()
    tracemalloc.start()
    started = time.monotonic()
    try:
        text = extract_text(data, "report.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert text == ""
    assert time.monotonic() - started < 5
    assert peak < 16 * 1024 * 1024


def test_extraction_reads_no_more_than_its_byte_budget(settings, budgets):
    # Limits raised so the archive check lets the bomb through: the reader
    # itself must still stop.
    settings.COP_ARCHIVE_MAX_RATIO = 10**6
    settings.COP_ARCHIVE_MAX_UNPACKED_BYTES = 2 * GIGABYTE
    settings.COP_EXTRACT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    try:
        text = extract_text(docx_bomb(), "report.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert text == "Bomb"  # what it read before the budget ran out
    (budget,) = budgets
    assert budget.bytes_read <= 2 * 1024 * 1024 + 64 * 1024
    assert time.monotonic() - started < 5
    assert peak < 32 * 1024 * 1024


def test_extraction_stops_at_its_time_budget(settings):
    settings.COP_EXTRACT_MAX_SECONDS = 0.5
    # 300 pages, each 2 MB of drawing operators and no text: slow to parse.
    data = pdf_with_stream(b"1 0 0 1 0 0 cm\n" * 130_000, pages=300)
    started = time.monotonic()
    assert extract_text(data, "drawing.pdf") == ""
    assert time.monotonic() - started < 5


def test_extraction_stops_once_it_has_enough_text(budgets):
    # 6 MB of words in no pattern, so it packs like real text.
    vocabulary = ["kestrel", "curlew", "estuary", "counts", "survey", "tide", "nest"]
    pick = random.Random(9).choice
    words = " ".join(pick(vocabulary) for _ in range(800_000))
    text = extract_text(docx(words), "long.docx")
    assert 0 < len(text) <= 200_000
    (budget,) = budgets
    assert budget.bytes_read < 2 * 1024 * 1024


def test_entity_expansion_is_refused_wherever_the_doctype_hides():
    laughs = (
        '<?xml version="1.0"?><!--' + " " * 10_000 + "--><!DOCTYPE w:document ["
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;'
        f'&c;&c;&c;&c;&c;">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'
        "&d;&d;&d;&d;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = zip_raw(
        [
            _part("[Content_Types].xml", CONTENT_TYPES),
            _part("word/document.xml", laughs.encode()),
        ]
    )
    assert extract_text(data, "laughs.docx") == ""


# --- profile photos -------------------------------------------------------------

PHOTO_REFUSED = [
    ("me.png", MZ, "The photo must be a JPG, PNG, GIF or WebP image."),
    ("me.jpg", ELF, "The photo must be a JPG, PNG, GIF or WebP image."),
    ("me.svg", SVG, "The photo must be a JPG, PNG, GIF or WebP image."),
    ("me.png", SVG, "The photo must be a JPG, PNG, GIF or WebP image."),
    ("me.png", b"", "The submitted file is empty."),
    (
        "me.png",
        png_claiming(100_000, 100_000),
        "The photo is too large in pixels. Use one under 40 megapixels.",
    ),
    ("me.png", png_claiming(8_000, 6_000), "The photo is too large in pixels."),
]


@pytest.mark.parametrize(("name", "data", "message"), PHOTO_REFUSED)
def test_hostile_photos_are_refused_with_a_message_and_nothing_stored(
    member_client, member, settings, name, data, message
):
    before = stored_files(settings)
    response = member_client.post(
        "/people/me/edit/",
        {
            "first_name": "Amara",
            "last_name": "Okafor",
            "email_visibility": Profile.Visibility.MEMBERS,
            "phone_visibility": Profile.Visibility.MEMBERS,
            "photo": upload(name, data),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    member.profile.refresh_from_db()
    assert not member.profile.photo
    assert stored_files(settings) == before


def test_a_photo_one_byte_over_the_limit_is_refused(member_client, member, settings):
    settings.COP_PROFILE_PHOTO_MAX_BYTES = 1024 * 1024
    data = b"\xff\xd8\xff\xe0" + os.urandom(1024 * 1024 - 3)
    response = member_client.post(
        "/people/me/edit/",
        {
            "first_name": "Amara",
            "last_name": "Okafor",
            "email_visibility": Profile.Visibility.MEMBERS,
            "phone_visibility": Profile.Visibility.MEMBERS,
            "photo": upload("me.jpg", data),
        },
    )
    assert "The photo must be smaller than 1 MB." in response.content.decode()
    member.profile.refresh_from_db()
    assert not member.profile.photo
    assert stored_files(settings) == []


# --- images in the Wagtail admin (editors) ---------------------------------------

IMAGE_REFUSED = [
    ("chart.png", MZ, "Upload a valid image. The file you uploaded was either not an"),
    ("chart.png", SVG, "Not a valid .png image. The extension does not match the file"),
    ("drawing.svg", SVG, "Not a supported image format. Supported formats: AVIF, GIF"),
    ("chart.png", b"", "The submitted file is empty."),
    (
        "bomb.png",
        png_claiming(100_000, 100_000),
        "This file has too many pixels. The most it can have is 128,000,000.",
    ),
]


@pytest.fixture
def editor_client(editor):
    from tests.factories import give_totp

    give_totp(editor)
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.parametrize(("name", "data", "message"), IMAGE_REFUSED)
def test_hostile_images_in_the_admin_are_refused_and_nothing_stored(
    editor_client, settings, name, data, message
):
    from wagtail.images import get_image_model

    before = stored_files(settings)
    response = editor_client.post(
        "/admin/images/add/",
        {
            "title": "Hostile",
            "description": "A hostile file",
            "file": upload(name, data),
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert message in response.content.decode()
    multiple = editor_client.post(
        "/admin/images/multiple/add/",
        {"files[]": upload(name, data)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert multiple.status_code == 200
    assert multiple.json()["success"] is False
    assert message in multiple.json()["error_message"]
    assert get_image_model().objects.count() == 0
    assert stored_files(settings) == before
