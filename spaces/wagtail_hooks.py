"""Spaces in the Wagtail admin, for staff: rename, archive, fix a lead organisation.

Members, documents and their files stay in the spaces pages, where the access
policy applies; the admin lists space details only.
"""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Space


class SpaceViewSet(SnippetViewSet):
    model = Space
    icon = "folder-open-inverse"
    menu_label = "Spaces"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "kind", "visibility", "ceiling", "lead_organisation"]
    list_filter = ["kind", "visibility", "ceiling", "archived"]
    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("slug"), FieldPanel("purpose")],
            heading="Space",
        ),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("visibility"),
                FieldPanel("ceiling"),
                FieldPanel("lead_organisation"),
                FieldPanel("archived"),
            ],
            heading="Access",
        ),
        MultiFieldPanel(
            [
                FieldPanel("charter_outputs"),
                FieldPanel("charter_timescale"),
                FieldPanel("charter_benefits"),
            ],
            heading="Charter",
        ),
    ]


register_snippet(SpaceViewSet)
