"""Admin: editors curate collections and keep the theme list."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CuratedCollection, Theme


class CuratedCollectionViewSet(SnippetViewSet):
    model = CuratedCollection
    icon = "list-ul"
    menu_label = "Collections"
    list_display = ["name", "slug", "show_on_home_page", "sort_order"]
    add_to_admin_menu = True
    menu_order = 250


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "parent"]
    search_fields = ["name"]


register_snippet(CuratedCollectionViewSet)
register_snippet(ThemeViewSet)
