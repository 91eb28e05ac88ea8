from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class SearchConfig(AppConfig):
    name = "search"
    label = "cop_search"
    verbose_name = "Search"

    def ready(self):
        from spaces import signals as spaces_signals

        from . import indexing, receivers

        indexing.install()

        spaces_signals.document_uploaded.connect(
            receivers.document_uploaded, dispatch_uid="search.document_uploaded"
        )
        post_save.connect(
            receivers.user_saved,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="search.user_saved",
        )
