"""RSS and Atom feeds of published case studies.

Feeds are read without a session by most readers, so they are built for the
request's user: anonymous readers get public case studies only, and
OFFICIAL-SENSITIVE ones never appear (spaces.access.redacted_for applies to
feeds: a feed is copied into readers' caches).
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from spaces.models import Marking

from .selectors import visible_case_studies

FEED_SIZE = 30


class CaseStudyFeed(Feed):
    title = "Joined Up: new case studies"
    description = "Case studies published on Joined Up."

    def get_object(self, request, *args, **kwargs):
        # The reader: items are filtered for them (no state on the shared Feed).
        return request.user

    def link(self):
        from .models import CaseStudyIndexPage

        index = CaseStudyIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self, user):
        return (
            visible_case_studies(user)
            .exclude(marking=Marking.SENSITIVE)
            .order_by("-first_published_at")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class CaseStudyAtomFeed(CaseStudyFeed):
    feed_type = Atom1Feed
    subtitle = CaseStudyFeed.description
