"""Query cleaning and highlighted snippets.

Snippets are built here, not by the search engine: the text is escaped first
and only then are the matched words wrapped in <mark>, so nothing a member
wrote can become markup.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_TERM_CHARS = 40
SNIPPET_CHARS = 220

_WORD = re.compile(r"\w+", re.UNICODE)
# Endings dropped so "councils" highlights "council" and "councillor" alike,
# roughly as the engines' stemmers match them.
_SUFFIXES = ("ing", "ies", "es", "ed", "s")


def clean_query(raw):
    """(query string for the engine, list of terms). Punctuation is dropped:
    the engines get plain words, never operators or SQL-looking text."""
    raw = (raw or "")[:MAX_QUERY_CHARS]
    terms = []
    for word in _WORD.findall(raw):
        word = word.strip("_")[:MAX_TERM_CHARS]
        if word and word.lower() not in {t.lower() for t in terms}:
            terms.append(word)
        if len(terms) >= MAX_TERMS:
            break
    return " ".join(terms), terms


def _stem(term):
    term = term.lower()
    if len(term) > 4:
        for suffix in _SUFFIXES:
            if term.endswith(suffix) and len(term) - len(suffix) >= 4:
                return term[: -len(suffix)]
    return term


def terms_pattern(terms):
    stems = sorted({_stem(t) for t in terms if t}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(
        r"\b(" + "|".join(re.escape(s) for s in stems) + r")\w*",
        re.IGNORECASE | re.UNICODE,
    )


def snippet(text, terms, length=SNIPPET_CHARS):
    """A window of `text` around the first match, escaped, matches in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    pattern = terms_pattern(terms)
    match = pattern.search(text) if pattern else None
    if match is None or len(text) <= length:
        start = 0
    else:
        start = max(0, match.start() - length // 3)
        # Start at a word boundary.
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    window = text[start:end]
    return mark_safe(  # noqa: S308 - every piece is escaped below
        ("… " if start > 0 else "")
        + highlight(window, pattern)
        + (" …" if end < len(text) else "")
    )


def highlight(text, pattern):
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def highlight_title(title, terms):
    return mark_safe(highlight(title or "", terms_pattern(terms)))  # noqa: S308
