"""Text out of uploaded documents, for search.

PDF through pypdf; DOCX, ODT (and the other OOXML / OpenDocument formats)
by reading the XML inside the zip with the standard library; plain text
decoded as UTF-8 (falling back to Latin-1). Anything unreadable, encrypted,
too big or of another type yields "" and a log line, never an exception:
a document that cannot be read is still found by its title and description.
"""

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

# Enough for any real report; bounds the index row and the time spent.
MAX_CHARS = 200_000
MAX_PDF_PAGES = 300
# A zip member bigger than this when unpacked is refused (zip bombs).
MAX_XML_BYTES = 20 * 1024 * 1024

TEXT_EXTENSIONS = {"txt", "md", "csv"}
OOXML_PARTS = {
    "docx": ("word/document.xml",),
    "pptx": ("ppt/slides/",),
    "xlsx": ("xl/sharedStrings.xml",),
}
OPENDOCUMENT = {"odt", "ods", "odp"}

# Paragraph-like elements after which a line break keeps words apart.
_BREAK_TAGS = {"p", "h", "br", "tab", "line-break", "tc", "tr", "si", "list-item"}
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def extract_text(data, name="", content_type=""):
    """The readable text of a file's bytes, or "" when there is none to read."""
    ext = extension_of(name)
    if not ext and content_type == "application/pdf":
        ext = "pdf"
    try:
        if ext == "pdf" or data[:5] == b"%PDF-":
            text = _pdf_text(data)
        elif ext in OOXML_PARTS:
            text = _zip_xml_text(data, OOXML_PARTS[ext])
        elif ext in OPENDOCUMENT:
            text = _zip_xml_text(data, ("content.xml",))
        elif ext in TEXT_EXTENSIONS or content_type.startswith("text/"):
            text = _plain_text(data)
        else:
            return ""
    except Exception as exc:  # a bad upload must never break the upload
        logger.info("no text extracted from %r: %s", name, exc)
        return ""
    return tidy(text)[:MAX_CHARS]


def tidy(text):
    text = (text or "").replace("\x00", " ")
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _plain_text(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Documents protected with a password stay unread: we hold no key.
        try:
            if not reader.decrypt(""):
                return ""
        except Exception:
            return ""
    parts, total = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or total >= MAX_CHARS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
    return "\n".join(parts)


def _zip_xml_text(data, parts):
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(
            (
                info
                for info in archive.infolist()
                if any(
                    info.filename == part
                    or (part.endswith("/") and info.filename.startswith(part))
                    for part in parts
                )
                and info.filename.endswith(".xml")
            ),
            key=lambda info: _natural(info.filename),
        )
        for info in names:
            if info.file_size > MAX_XML_BYTES:
                raise ValueError(f"{info.filename} is too large to read")
            texts.append(_xml_text(archive.read(info)))
    return "\n".join(texts)


def _natural(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _xml_text(xml_bytes):
    # ElementTree does not expand external entities; a DOCTYPE is not expected
    # in these formats and is refused outright.
    if b"<!DOCTYPE" in xml_bytes[:2048] or b"<!ENTITY" in xml_bytes[:4096]:
        raise ValueError("XML with a DOCTYPE is not read")
    root = ElementTree.fromstring(xml_bytes)  # noqa: S314
    out = []

    def walk(element):
        local = element.tag.rsplit("}", 1)[-1]
        if element.text and local != "instrText":  # skip Word field codes
            out.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if local in _BREAK_TAGS:
            out.append("\n")
        elif local == "s":  # ODF repeated spaces
            out.append(" ")

    walk(root)
    return "".join(out)
