"""StreamField blocks for the free-form parts of a case study.

Members write plain text in the front-end form (stored as "text" blocks);
editors may add rich text, quotes and step lists in the admin.
"""

from wagtail import blocks


class StepBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    detail = blocks.TextBlock(required=False)

    class Meta:
        icon = "list-ol"
        template = "casestudies/blocks/step.html"


NARRATIVE_BLOCKS = [
    (
        "text",
        blocks.TextBlock(icon="pilcrow", template="casestudies/blocks/text.html"),
    ),
    (
        "paragraph",
        blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"]),
    ),
    ("quote", blocks.BlockQuoteBlock(template="casestudies/blocks/quote.html")),
    ("step", StepBlock()),
]


def stream_from_text(text):
    """A StreamField value (list of tuples) from a member's plain text."""
    text = (text or "").strip()
    return [("text", text)] if text else []


def text_from_stream(stream):
    """The plain text a member wrote (the "text" blocks), for editing again."""
    return "\n\n".join(
        str(block.value) for block in stream or [] if block.block_type == "text"
    )
