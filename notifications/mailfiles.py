"""Read what the file email backend wrote, for the staff outbox page.

In the embedded default (no `EMAIL_URL`) Django's file backend keeps every
email in `EMAIL_FILE_PATH` (`var/mail/`). It opens one file per connection,
named `<YYYYmmdd>-<HHMMSS>-<number>.log`, and writes each message as its
bytes, a newline, a line of 79 dashes and a newline
(`django/core/mail/backends/filebased.py`). A digest batch sends all its
messages over one connection, so one file may hold hundreds of them.

Only names the directory lists and that match `FILE_NAME` are ever opened,
and never through a symlink: a name from a URL is looked up among them, not
joined onto a path.
"""

import os
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings

FILE_NAME = re.compile(r"\A[0-9]{8}-[0-9]{6}-[0-9]{1,20}\.log\Z")
SEPARATOR = b"\n" + b"-" * 79 + b"\n"
# Django's messages start with their Content-Type (MIMEText, MIMEMultipart),
# so a line of dashes inside a body is not mistaken for the end of a message.
MESSAGE_START = (b"Content-Type:", b"MIME-Version:")

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def backend_kind():
    """ "file" (the outbox exists), "smtp", or "other" (console, in memory...)."""
    backend = settings.EMAIL_BACKEND
    if backend == FILE_BACKEND:
        return "file"
    if backend == SMTP_BACKEND:
        return "smtp"
    return "other"


def directory():
    return Path(settings.EMAIL_FILE_PATH)


@dataclass(frozen=True)
class MessageRef:
    """Where one message is: the file and its place in it (1 = first)."""

    name: str
    number: int


@dataclass
class OutboxMessage:
    name: str
    number: int
    subject: str = ""
    to: str = ""
    sender: str = ""
    date: object = None  # an aware datetime, or None if missing or garbled
    headers: list = field(default_factory=list)  # [(name, value)]
    text: str | None = None
    html: str | None = None
    attachments: list = field(default_factory=list)  # [(name, content type)]


def split_messages(data):
    """The messages (bytes) in one file, in the order they were written."""
    parts = data.split(SEPARATOR)
    messages = []
    for part in parts:
        if messages and part and not part.startswith(MESSAGE_START):
            # A line of dashes inside a message: put it back.
            messages[-1] += SEPARATOR + part
        elif part.strip():
            messages.append(part)
    return messages


def file_names(path=None):
    """Outbox files, newest first: only regular files with the backend's names."""
    path = Path(path or directory())
    found = []
    try:
        entries = list(os.scandir(path))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        if not FILE_NAME.match(entry.name):
            continue
        if not entry.is_file(follow_symlinks=False):
            continue
        found.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
    return [name for _, name in sorted(found, reverse=True)]


def _read(path, name):
    """The messages of a listed file; [] if it went away meanwhile."""
    if name not in file_names(path):
        return []
    try:
        with open(Path(path) / name, "rb") as handle:
            return split_messages(handle.read())
    except FileNotFoundError:
        return []


def message_refs(path=None):
    """Every message in the outbox, newest first (newest file first; in a
    file, the last message written first)."""
    path = Path(path or directory())
    refs = []
    for name in file_names(path):
        try:
            with open(path / name, "rb") as handle:
                count = len(split_messages(handle.read()))
        except FileNotFoundError:
            continue
        refs.extend(MessageRef(name, number) for number in range(count, 0, -1))
    return refs


def _header(message, name):
    try:
        value = message[name]
    except Exception:  # noqa: BLE001 - a garbled header shows as missing
        return ""
    return "" if value is None else str(value)


def _date(message):
    try:
        header = message["Date"]
        return getattr(header, "datetime", None)
    except Exception:  # noqa: BLE001 - a garbled date shows as missing
        return None


def _parse(raw, name, number, *, headers_only):
    message = BytesParser(policy=policy.default).parsebytes(
        raw, headersonly=headers_only
    )
    found = OutboxMessage(
        name=name,
        number=number,
        subject=_header(message, "Subject"),
        to=_header(message, "To"),
        sender=_header(message, "From"),
        date=_date(message),
    )
    if headers_only:
        return found
    found.headers = [(key, _header(message, key)) for key in message]
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is None:
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError):  # an unknown charset or encoding
            payload = part.get_payload(decode=True) or b""
            content = payload.decode("utf-8", "replace")
        setattr(found, "text" if kind == "plain" else "html", content)
    found.attachments = [
        (part.get_filename() or "(no name)", part.get_content_type())
        for part in message.iter_attachments()
    ]
    return found


def summaries(refs, path=None):
    """Subject, recipients and date of each message in `refs` (a page), each
    file read once."""
    path = Path(path or directory())
    by_file = {}
    found = []
    for ref in refs:
        if ref.name not in by_file:
            by_file[ref.name] = _read(path, ref.name)
        messages = by_file[ref.name]
        if 1 <= ref.number <= len(messages):
            raw = messages[ref.number - 1]
            found.append(_parse(raw, ref.name, ref.number, headers_only=True))
    return found


def read_message(name, number, path=None):
    """One whole message, or None: for a name that is not an outbox file
    listed in the directory, or a number past its last message."""
    if not isinstance(name, str) or not FILE_NAME.match(name):
        return None
    messages = _read(Path(path or directory()), name)
    if not 1 <= number <= len(messages):
        return None
    return _parse(messages[number - 1], name, number, headers_only=False)
