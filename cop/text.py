"""User text: Markdown in, safe HTML out, rendered once when saved."""

import markdown
import nh3
from django.utils.html import escape, linebreaks

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "hr", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


# Python-Markdown looks for the end of a link (its "]", then its ")") one
# character at a time up to the end of the text, for every "[": a post made
# of brackets took minutes to render. So its link processors look no further
# than MAX_LINK_SPAN characters (a longer "link" is shown as the text it is),
# and a text with more than MAX_LINK_BRACKETS "[" makes no links at all.
MAX_LINK_SPAN = 1000
MAX_LINK_BRACKETS = 100
LINK_PROCESSORS = (
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
)


def _within_span(scan):
    def bounded(data, index):
        return scan(data[: index + MAX_LINK_SPAN], index)

    return bounded


def _markdown(source):
    md = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"])
    links = source.count("[") <= MAX_LINK_BRACKETS
    for name in LINK_PROCESSORS:
        if name not in md.inlinePatterns:
            continue
        if not links:
            md.inlinePatterns.deregister(name)
            continue
        processor = md.inlinePatterns[name]
        processor.getText = _within_span(processor.getText)
        if hasattr(processor, "getLink"):
            processor.getLink = _within_span(processor.getLink)
    return md


def render_markdown(text):
    """Markdown to sanitised HTML. Raw HTML in the source is escaped, not trusted."""
    source = escape(text or "")
    try:
        html = _markdown(source).convert(source)
    except RecursionError:
        # Lists nested hundreds deep: shown as plain paragraphs instead.
        html = linebreaks(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(text, limit=None):
    """Text with every tag removed, for email subjects, previews and snippets."""
    cleaned = nh3.clean(text or "", tags=set()).strip()
    if limit and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned
