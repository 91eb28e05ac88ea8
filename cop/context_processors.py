from django.conf import settings
from django.urls import NoReverseMatch, reverse

# The header's navigation. An entry appears once the app that owns its URL
# name is installed and routed, so the menu never links to a missing page.
NAVIGATION = [
    ("Home", "wagtail_serve", [""]),
    ("Case studies", "casestudies:index", []),
    ("Discussions", "forums:index", []),
    ("Spaces", "spaces:directory", []),
    ("People", "people:directory", []),
    ("Search", "search:search", []),
]


def _navigation():
    items = []
    for label, name, args in NAVIGATION:
        try:
            items.append((label, reverse(name, args=args)))
        except NoReverseMatch:
            continue
    return items


def site(request):
    return {"SERVICE_NAME": settings.WAGTAIL_SITE_NAME, "nav_items": _navigation()}
