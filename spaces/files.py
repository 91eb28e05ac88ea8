"""Checking an uploaded file before it is stored.

A file is accepted only when its extension is allowed (settings
`COP_UPLOAD_EXTENSIONS`), its size is above zero and within
`COP_UPLOAD_MAX_BYTES`, and its bytes are what the extension claims. The type
is sniffed from the content, never taken from the browser's Content-Type,
so an executable renamed `report.pdf` is refused.

Zip-based documents (DOCX, XLSX, PPTX, ODT, ODS, ODP) are also refused when
unpacking them would cost too much: more parts than `COP_ARCHIVE_MAX_MEMBERS`,
more than `COP_ARCHIVE_MAX_UNPACKED_BYTES` in all, a part packed more than
`COP_ARCHIVE_MAX_RATIO` times (a "zip bomb"), or a compression method other
than the two office formats use. search/extract.py applies the same limits.
"""

import codecs
import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# extension -> (kind sniffed from the bytes, Content-Type we serve it with)
TYPES = {
    "pdf": ("pdf", "application/pdf"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": ("odp", "application/vnd.oasis.opendocument.presentation"),
    "txt": ("text", "text/plain; charset=utf-8"),
    "csv": ("text", "text/csv; charset=utf-8"),
    "md": ("text", "text/markdown; charset=utf-8"),
    "png": ("png", "image/png"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "gif": ("gif", "image/gif"),
}

NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "xlsx": "an Excel spreadsheet",
    "pptx": "a PowerPoint presentation",
    "odt": "an OpenDocument text file",
    "ods": "an OpenDocument spreadsheet",
    "odp": "an OpenDocument presentation",
    "text": "a plain text file",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "executable": "a program (an executable file)",
    "zip": "a zip archive",
    "binary": "a binary file",
}

OOXML = {
    "word/": "docx",
    "xl/": "xlsx",
    "ppt/": "pptx",
}
ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
# The compression methods office formats use. Others (bzip2, LZMA) are
# refused: Python's zipfile unpacks a whole read of them at once, however
# large the result, so a small part could fill the memory.
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# A part smaller than this unpacked is never a danger, however tightly packed.
RATIO_FLOOR = 1024 * 1024
# Errors a damaged or hostile zip raises in the standard library.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    RuntimeError,  # an encrypted part
    NotImplementedError,  # a compression method zipfile cannot unpack
)
# How much of a text file we read to decide it is text (the whole file is
# decoded, in chunks, to refuse a binary tail).
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def allowed_extensions():
    return [ext.lower().lstrip(".") for ext in settings.COP_UPLOAD_EXTENSIONS]


def _extension(name):
    suffix = PurePath(name or "").suffix
    return suffix[1:].lower() if suffix else ""


def _read_all(upload):
    """Hash and size the file in chunks (never the whole file in memory)."""
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return size, digest.hexdigest()


def _is_text(upload):
    """UTF-8 with no NUL bytes, all the way through."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        while True:
            chunk = upload.read(CHUNK)
            if not chunk:
                decoder.decode(b"", final=True)
                return True
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)


def archive_problem(infos):
    """Why unpacking a zip with these members (ZipInfo) would cost too much:
    a short reason, or "" when it is within the limits."""
    if len(infos) > settings.COP_ARCHIVE_MAX_MEMBERS:
        return f"it has more than {settings.COP_ARCHIVE_MAX_MEMBERS:,} parts"
    unpacked = 0
    for info in infos:
        if info.compress_type not in ZIP_METHODS:
            return "it uses a kind of compression that office programs do not use"
        unpacked += info.file_size
        if (
            info.file_size > RATIO_FLOOR
            and info.file_size > settings.COP_ARCHIVE_MAX_RATIO * info.compress_size
        ):
            return (
                "part of it is packed so tightly that it could be a zip bomb "
                "(a file made to overload computers)"
            )
    if unpacked > settings.COP_ARCHIVE_MAX_UNPACKED_BYTES:
        return (
            f"it unpacks to {filesizeformat(unpacked)}, more than the "
            f"{filesizeformat(settings.COP_ARCHIVE_MAX_UNPACKED_BYTES)} we accept"
        )
    return ""


def _check_archive(upload, name):
    """Refuse a zip that would cost too much to unpack (see archive_problem).
    A zip too broken to list is left to sniff(), which calls it binary."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            problem = archive_problem(archive.infolist())
    except ZIP_ERRORS:
        return
    finally:
        upload.seek(0)
    if problem:
        raise ValidationError(
            f"“{name}” cannot be uploaded because {problem}. Open it in the "
            "program that made it and save it again, or split it into smaller files.",
            code="archive",
        )


def _zip_kind(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if (
                "mimetype" in names
                and archive.getinfo("mimetype").compress_type in ZIP_METHODS
            ):
                # Read a few bytes only: a "mimetype" part may be a zip bomb.
                with archive.open("mimetype") as part:
                    mimetype = part.read(100).strip()
                if mimetype in ODF:
                    return ODF[mimetype]
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except ZIP_ERRORS:
        return "binary"
    finally:
        upload.seek(0)
    return "zip"


def head_of(upload, size=16):
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def sniff(upload):
    """What the bytes say the file is: a key of NAMES."""
    head = head_of(upload)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa")):
        return "executable"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if _is_text(upload):
        return "text"
    return "binary"


def check_upload(upload):
    """Validate an uploaded file; a CheckedFile, or ValidationError saying why."""
    name = PurePath(getattr(upload, "name", "") or "").name
    if not name:
        raise ValidationError("Choose a file to upload.", code="missing")
    extension = _extension(name)
    allowed = allowed_extensions()
    listed = ", ".join(sorted(allowed))
    if not extension or extension not in allowed or extension not in TYPES:
        raise ValidationError(
            f"“{name}” is not a type of file you can upload here. "
            f"The file must be one of: {listed}.",
            code="extension",
        )
    size, sha256 = _read_all(upload)
    if size == 0:
        raise ValidationError(
            f"“{name}” is empty. Choose a file with something in it.", code="empty"
        )
    limit = settings.COP_UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(size)}. The file must be "
            f"{filesizeformat(limit)} or smaller.",
            code="size",
        )
    expected, content_type = TYPES[extension]
    if head_of(upload).startswith(b"PK\x03\x04"):
        _check_archive(upload, name)
    found = sniff(upload)
    if found != expected:
        raise ValidationError(
            f"“{name}” is named as .{extension} but its contents are "
            f"{NAMES.get(found, 'something else')}. Upload {NAMES[expected]} with a "
            f".{extension} name, or save the file in an allowed format.",
            code="content",
        )
    return CheckedFile(
        name=name[:255],
        extension=extension,
        content_type=content_type,
        size=size,
        sha256=sha256,
    )


def bytes_upload(name, data):
    """An in-memory upload (demo data, benchmarks, tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


__all__ = [
    "CheckedFile",
    "allowed_extensions",
    "archive_problem",
    "bytes_upload",
    "check_upload",
    "sniff",
]
