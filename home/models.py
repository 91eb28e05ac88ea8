from wagtail.admin.panels import FieldPanel
from wagtail.blocks import CharBlock, RichTextBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The front page: what Joined Up is to visitors, a member's day to members.

    Signed-in sections (my spaces, questions I could answer, editors' picks) are
    added by the apps that own them as they arrive.
    """

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Two sentences for visitors: what Joined Up is and who it is for.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Editors' picks and collections (public ones only for visitors).
        from casestudies.selectors import home_curation

        context.update(home_curation(request.user))
        return context


class StandardPage(Page):
    """A plain page: guidance, the accessibility statement, privacy."""

    summary = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(
        [
            ("heading", CharBlock(form_classname="title", icon="title")),
            (
                "paragraph",
                RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"]),
            ),
        ],
        blank=True,
    )

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
