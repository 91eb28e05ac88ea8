"""User text: Markdown in, safe HTML out, rendered once when saved."""

import markdown
import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "hr", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Markdown to sanitised HTML. Raw HTML in the source is escaped, not trusted."""
    html = markdown.markdown(
        escape(text or ""), extensions=["fenced_code", "tables", "sane_lists"]
    )
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
