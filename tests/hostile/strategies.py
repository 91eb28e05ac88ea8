"""What an attacker types: Hypothesis strategies for hostile form values,
and the check that none of it comes back as live markup."""

import struct
import zlib
from html.parser import HTMLParser

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

# Markup payloads must never come back live (live_markup below): escaped,
# stripped or sanitised is fine.
PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><script>alert(1)</script><"',
    "<img src=x onerror=alert('xss')>",
    "<svg/onload=alert('xss')>",
    "<iframe src=javascript:alert('xss')></iframe>",
    "javascript:alert('xss')",
    "[click me](javascript:alert('xss'))",
    "<a href=\"javascript:alert('xss')\">click me</a>",
    "<a href='javascript:alert(1)'>x</a>",
    "{{ request.user.password }}",
    "{% debug %}",
    "' OR 1=1 --",
    "'; DROP TABLE people_user; --",
    "../../../../etc/passwd",
    "%s%s%s%s%n",
    "{0.__class__.__mro__}",
    "line\r\nSet-Cookie: hacked=1",
    "\u202egnp.exe",
    "\u200b\u200d\ufeff",
    "Z\u0351\u0352\u0353\u0354\u0355\u0356",
    "\U0001d573\U0001d594 \U0001f600",
    "\x00",
    "nul\x00byte",
    "\x1b[31mred\x07",
    "\t\n\r\x0b\x0c",
    "   ",
    "A" * 100_001,
    "<" * 5_000,
    ">" * 19_000,
    "* " * 5_000,
    "[" * 5_000 + "]" * 5_000,
    "@amara-okafor @tom-ashworth @" + "a" * 300,
    "#" * 10_000,
    "`" * 9_999,
]

NUMBERS = [
    "-1",
    "0",
    "1",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "-0",
    "0x1F",
    "\u0661\u0662",  # Arabic-Indic digits: int() accepts them
    "1.5",
    " 7 ",
    "1; DROP TABLE spaces_space",
]
DATES = [
    "2025-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-1-01-01",
    "2025-13-01",
    "31/12/2025",
    "today",
    "1e9",
]
EMAILS = [
    "amara@dwp.gov.uk",
    "tom@leics.gov.uk",
    "new.person@dwp.gov.uk",
    "someone@evil.example",
    "a@b",
    "@dwp.gov.uk",
    "<script>alert('xss')</script>@dwp.gov.uk",
    "a" * 300 + "@dwp.gov.uk",
    "amara@dwp.gov.uk\r\nBcc: everyone@dwp.gov.uk",
    "\u0430mara@dwp.gov.uk",  # Cyrillic a
]
BOOLEANS = ["on", "true", "True", "false", "False", "0", "1", "", "yes", "off"]


def png_claiming(width, height):
    """A small PNG whose header claims width x height pixels."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + (
        chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# Files a form may be handed (uploads have their own, deeper tests).
FILES = [
    ("huge.png", png_claiming(100_000, 100_000)),  # 10 billion pixels
    ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60),
    (
        "chart.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    ("empty.pdf", b""),
    ("../../../etc/passwd.txt", b"root:x:0:0\n"),
    ("<script>alert('xss')</script>.txt", b"Harmless words.\n"),
    ("notes.txt", b"Harmless words.\n"),
    ("a" * 300 + ".txt", b"Long name.\n"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
]

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    any_text,
    st.builds(
        lambda before, payload, after: before + payload + after,
        st.text(max_size=10),
        st.sampled_from(PAYLOADS),
        st.text(max_size=10),
    ),
)
numbers = st.one_of(
    st.sampled_from(NUMBERS), st.integers(min_value=-(2**70), max_value=2**70).map(str)
)


def hostile_file():
    return st.sampled_from(FILES).map(
        lambda item: SimpleUploadedFile(item[0], item[1], content_type="text/html")
    )


def value_for(field, ids):
    """Hostile values for one form field; `ids` are ids worth trying (forged
    ones of other people's things, and some valid ones)."""
    if isinstance(field, forms.FileField):
        return hostile_file()
    if isinstance(field, forms.ModelMultipleChoiceField):
        one = st.one_of(st.sampled_from(ids), numbers, hostile_text)
        return st.lists(one, max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        return st.one_of(st.sampled_from(ids), numbers, hostile_text)
    if isinstance(field, forms.BooleanField):
        return st.one_of(st.sampled_from(BOOLEANS), hostile_text)
    if isinstance(field, forms.DateField):
        return st.one_of(st.sampled_from(DATES), hostile_text)
    if isinstance(field, forms.EmailField):
        return st.one_of(st.sampled_from(EMAILS), hostile_text)
    if isinstance(field, forms.ChoiceField):
        choices = [str(key) for key, _ in field.choices if not isinstance(_, list)]
        valid = st.sampled_from(choices) if choices else st.nothing()
        multiple = st.lists(st.one_of(valid, hostile_text), min_size=2, max_size=3)
        return st.one_of(valid, hostile_text, multiple)
    if isinstance(field, forms.IntegerField):
        return st.one_of(numbers, hostile_text)
    # Text of any kind; sometimes a list where one value is expected.
    return st.one_of(
        hostile_text, st.lists(hostile_text, min_size=2, max_size=3), numbers
    )


def form_data(fields, ids, extra=None):
    """A dict of hostile POST data for `fields` (name -> form field): any
    field may be missing; `extra` adds strategies for other keys."""
    optional = {name: value_for(field, ids) for name, field in fields.items()}
    optional.update(extra or {})
    return st.fixed_dictionaries({}, optional=optional)


def management_form(prefix):
    """A formset's management fields, forged: counts out of range, not numbers."""
    count = st.one_of(
        st.sampled_from(["0", "1", "2", "3", "1000", "100000000"]), numbers
    )
    return {
        f"{prefix}-TOTAL_FORMS": count,
        f"{prefix}-INITIAL_FORMS": count,
        f"{prefix}-MIN_NUM_FORMS": count,
        f"{prefix}-MAX_NUM_FORMS": count,
    }


class _LiveMarkup(HTMLParser):
    """Finds markup a page would run: an inline script or one from another
    site (ours are files of this site, or JSON data blocks), an inline event
    handler (our pages have none: strict CSP), a javascript: link or source,
    or an embedded frame."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and self._runs_injected(attributes):
            self.found.append(f"<script {attrs}>")
        if tag in {"iframe", "frame", "object", "embed"}:
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            squeezed = "".join((value or "").split()).lower()
            runs_script = squeezed.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            )
            if name.startswith("on") or (name in self.URL_ATTRIBUTES and runs_script):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    @staticmethod
    def _runs_injected(attributes):
        """A script that is neither a file of this site nor a data block."""
        source = attributes.get("src") or ""
        if source:
            return not source.startswith("/") or source.startswith("//")
        kind = (attributes.get("type") or "").lower()
        return kind not in {"application/json", "application/ld+json"}


def live_markup(text):
    parser = _LiveMarkup()
    parser.feed(text or "")
    parser.close()
    return parser.found


def assert_no_live_markup(text, where):
    found = live_markup(text)
    assert found == [], f"{where} shows hostile markup unescaped: {found}"
