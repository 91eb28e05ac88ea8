"""Text out of uploaded documents, for search.

PDF through pypdf; DOCX, ODT (and the other OOXML / OpenDocument formats)
by reading the XML inside the zip with the standard library; plain text
decoded as UTF-8 (falling back to Latin-1). Anything unreadable, encrypted,
too big or of another type yields "" and a log line, never an exception:
a document that cannot be read is still found by its title and description.

Reading is bounded whatever the file claims: zips are held to the upload
limits (spaces.files.archive_problem: parts, unpacked size, packing ratio,
compression method); at most COP_EXTRACT_MAX_UNPACKED_BYTES of XML is
unpacked (and no single PDF stream decompresses to more); and reading stops
after COP_EXTRACT_MAX_SECONDS or MAX_CHARS of text, keeping what it has.
"""

import io
import logging
import re
import time
import zipfile
from contextlib import nullcontext
from xml.parsers import expat

from django.conf import settings

logger = logging.getLogger(__name__)

# Enough for any real report; bounds the index row and the time spent.
MAX_CHARS = 200_000
MAX_PDF_PAGES = 300
# Raw characters gathered (whitespace included) before reading stops.
MAX_RAW_CHARS = 5 * MAX_CHARS
# Unpacked XML is read this much at a time, so no part is ever whole in memory.
XML_CHUNK = 64 * 1024

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


class LimitReached(Exception):
    """Reading stopped at a limit; the text read so far is kept."""


class Budget:
    """What one extraction may still spend: unpacked bytes and time."""

    def __init__(self):
        self.bytes_left = settings.COP_EXTRACT_MAX_UNPACKED_BYTES
        self.deadline = time.monotonic() + settings.COP_EXTRACT_MAX_SECONDS
        self.bytes_read = 0

    def spend(self, size):
        self.bytes_read += size
        self.bytes_left -= size
        if self.bytes_left < 0:
            raise LimitReached("read the most unpacked bytes allowed")
        self.check_time()

    def check_time(self):
        if time.monotonic() > self.deadline:
            raise LimitReached("took the most time allowed")


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def extract_text(data, name="", content_type=""):
    """The readable text of a file's bytes, or "" when there is none to read."""
    ext = extension_of(name)
    if not ext and content_type == "application/pdf":
        ext = "pdf"
    budget = Budget()
    try:
        if ext == "pdf" or data[:5] == b"%PDF-":
            text = _pdf_text(data, budget)
        elif ext in OOXML_PARTS:
            text = _zip_xml_text(data, OOXML_PARTS[ext], budget)
        elif ext in OPENDOCUMENT:
            text = _zip_xml_text(data, ("content.xml",), budget)
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


def _pdf_limits():
    """pypdf's resource limits, tightened to ours (pypdf 7 has
    apply_configuration; older versions keep their own 75 MB limits)."""
    import pypdf

    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:
        return nullcontext()
    most = settings.COP_EXTRACT_MAX_UNPACKED_BYTES
    wanted = {
        "zlib_maximum_output_length": most,
        "lzw_maximum_output_length": most,
        "run_length_maximum_output_length": most,
        "jbig2_maximum_output_length": most,
        "brotli_maximum_output_length": most,
        "array_based_stream_maximum_output_length": most,
        "image_maximum_buffer_size": most,
        "stream_decoding_work_maximum_length": 4 * most,
        # Parsing a page's operators is pure Python (about 100,000 a second):
        # this caps one page at a few seconds; the time budget caps the rest.
        "stream_parsing_work_maximum_count": 500_000,
    }
    current = pypdf.get_configuration()
    return apply(
        **{key: value for key, value in wanted.items() if hasattr(current, key)}
    )


def _pdf_text(data, budget):
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    with _pdf_limits():
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
            try:
                budget.check_time()
                text = page.extract_text() or ""
            except (LimitReached, LimitReachedError) as exc:
                logger.info("stopped reading a PDF at page %d: %s", number + 1, exc)
                break
            parts.append(text)
            total += len(text)
    return "\n".join(parts)


def _zip_xml_text(data, parts, budget):
    from spaces.files import archive_problem

    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        problem = archive_problem(infos)
        if problem:
            raise ValueError(f"not unpacked: {problem}")
        wanted = sorted(
            (
                info
                for info in infos
                if any(
                    info.filename == part
                    or (part.endswith("/") and info.filename.startswith(part))
                    for part in parts
                )
                and info.filename.endswith(".xml")
            ),
            key=lambda info: _natural(info.filename),
        )
        try:
            for info in wanted:
                with archive.open(info) as part:
                    _xml_text(part, out, budget)
                out.append("\n")
        except LimitReached as exc:
            logger.info("stopped reading a zip: %s", exc)
    return "".join(out)


def _natural(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _refuse_dtd(*args):
    # No DOCTYPE is expected in these formats; refusing it refuses entity
    # expansion ("billion laughs") and external entities with it.
    raise ValueError("XML with a DOCTYPE is not read")


def _xml_text(stream, out, budget):
    """Append the text of the XML read from `stream` to `out`, parsing as it
    reads (expat) so memory stays small whatever the part's size."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    open_tags = []
    gathered = [sum(len(text) for text in out)]

    def start(tag, attributes):
        open_tags.append(tag.rsplit("}", 1)[-1])

    def end(tag):
        local = open_tags.pop()
        if local in _BREAK_TAGS:
            out.append("\n")
        elif local == "s":  # ODF repeated spaces
            out.append(" ")

    def text(data):
        if open_tags and open_tags[-1] == "instrText":  # skip Word field codes
            return
        out.append(data)
        gathered[0] += len(data)
        if gathered[0] > MAX_RAW_CHARS:
            raise LimitReached("gathered enough text")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    while chunk := stream.read(XML_CHUNK):
        budget.spend(len(chunk))
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
