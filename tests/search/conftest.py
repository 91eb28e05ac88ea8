"""Fixtures for search: content of every type, and small real files."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.e2e.conftest import (  # noqa: F401 - the browser journey's fixtures
    browser,
    browser_page,
    chromium_path,
    live_url,
)
from tests.factories import UserFactory, add_member

# --- files ------------------------------------------------------------------


def pdf_bytes(text, password=None):
    """A one-page PDF that says `text` (optionally encrypted)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject(
                {NameObject("/F1"): writer._add_object(font)}
            )
        }
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(paragraphs):
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        for text in paragraphs
    )
    return zip_bytes(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                'openxmlformats.org/package/2006/content-types"><Default Extension="xml"'
                ' ContentType="application/xml"/><Override PartName="/word/document.xml"'
                ' ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.document.main+xml"/></Types>'
            ),
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}">'
                f"<w:body>{body}</w:body></w:document>"
            ),
        }
    )


def odt_bytes(paragraphs):
    body = "".join(f"<text:p>{text}</text:p>" for text in paragraphs)
    return zip_bytes(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": "<manifest/>",
            "content.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                f"<office:body><office:text>{body}</office:text></office:body>"
                "</office:document-content>"
            ),
        }
    )


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- people -----------------------------------------------------------------


@pytest.fixture
def outsider(db, other_organisation):
    """A signed-in member of no space."""
    return UserFactory(
        email="olu@leics.gov.uk",
        first_name="Olu",
        last_name="Bankole",
        organisation=other_organisation,
    )


# --- content ----------------------------------------------------------------


def make_thread(space, author, title, body="", marking="official", when=None):
    from forums.models import Post, Thread

    when = when or timezone.now()
    thread = Thread.objects.create(
        space=space,
        author=author,
        title=title,
        marking=marking,
        created_at=when,
        last_post_at=when,
        post_count=1,
    )
    Post.objects.create(
        thread=thread, author=author, body=body or title, created_at=when
    )
    return thread


def make_document(space, author, title, description="", text="", marking="official"):
    from spaces.models import Document

    return Document.objects.create(
        space=space,
        title=title,
        description=description,
        extracted_text=text,
        marking=marking,
        created_by=author,
    )


def _index_page(model, title, slug):
    from home.models import HomePage

    home = HomePage.objects.first()
    existing = model.objects.child_of(home).first()
    if existing:
        return existing
    return home.add_child(instance=model(title=title, slug=slug))


def make_case_study(
    title, summary, *, space=None, marking="official", themes=(), **extra
):
    from casestudies.models import CaseStudyIndexPage, CaseStudyPage

    parent = _index_page(CaseStudyIndexPage, "Case studies", "case-studies")
    page = parent.add_child(
        instance=CaseStudyPage(
            title=title, summary=summary, space=space, marking=marking, **extra
        )
    )
    if themes:
        page.themes.set(themes)
        page.save()
    return page


def make_lesson(title, lesson, what_happened, *, space=None, marking="official"):
    from casestudies.models import LessonIndexPage, LessonPage

    parent = _index_page(LessonIndexPage, "Lessons", "lessons")
    return parent.add_child(
        instance=LessonPage(
            title=title,
            lesson=lesson,
            what_happened=what_happened,
            space=space,
            marking=marking,
        )
    )


CANARY = "xylophonic"


@pytest.fixture
def canary(secret_space, open_space, member, facilitator):
    """The canary word, only in a secret space and an OFFICIAL-SENSITIVE item.

    `facilitator` belongs to the secret space and to the open space;
    `member` (and anyone else) belongs to neither secret nor sensitive.
    """
    add_member(secret_space, facilitator, "owner")
    add_member(open_space, facilitator, "owner")
    secret_thread = make_thread(
        secret_space,
        facilitator,
        f"Options for {CANARY} savings",
        f"The {CANARY} option saves money.",
        marking="official",
    )
    secret_doc = make_document(
        secret_space,
        facilitator,
        "Spending review annex",
        text=f"Annex on the {CANARY} proposal.",
        marking="official-sensitive",
    )
    secret_space.purpose = f"Working up {CANARY} options before the announcement."
    secret_space.save()
    secret_case_study = make_case_study(
        f"The {CANARY} pilot",
        f"How the {CANARY} pilot went.",
        space=secret_space,
        marking="official-sensitive",
    )
    # OFFICIAL-SENSITIVE in an OPEN space: the space is visible, the item not.
    open_space.ceiling = "official-sensitive"
    open_space.save()
    sensitive_in_open = make_thread(
        open_space,
        facilitator,
        f"Draft {CANARY} figures",
        f"Sensitive {CANARY} numbers.",
        marking="official-sensitive",
    )
    return {
        "thread": secret_thread,
        "document": secret_doc,
        "sensitive_thread": sensitive_in_open,
        "case_study": secret_case_study,
        "space": secret_space,
    }


@pytest.fixture
def old():
    return timezone.now() - timedelta(days=400)
