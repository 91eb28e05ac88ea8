"""Index writes that cannot break the request that caused them.

Wagtail's search (modelsearch) updates the database index inside the saving
request's transaction. On PostgreSQL each write also refreshed `title_norm`
on every entry still at its default, so two members posting at once could
deadlock on `wagtailsearch_indexentry` (the soak run found it: 5 of ~650
writes failed). The deadlock then aborted the whole request's transaction and
the post was lost with a 500. A write now sets the norms of its own entries
only (below), which also keeps saving a post from scanning the whole index.

Here each index write runs in its own savepoint and is retried on a
deadlock or serialisation failure; if it still fails, the savepoint is rolled
back, the error is logged and the member's post is saved all the same (the
entry is rewritten at the next save of that item, or by `update_index`).
"""

import logging
import threading
import time
from functools import wraps

from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)
ATTEMPTS = 4
# How long the average title length behind `title_norm` is reused before it
# is counted again over the whole index.
TITLE_LENGTH_CACHE_SECONDS = 600


def _guarded(function):
    @wraps(function)
    def guarded(instance, *args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return function(instance, *args, **kwargs)
            except OperationalError as error:
                if attempt == ATTEMPTS:
                    logger.warning(
                        "Search index not updated for %r after %s attempts: %s",
                        instance,
                        ATTEMPTS,
                        error,
                    )
                    return None
                time.sleep(0.02 * attempt)
        return None

    guarded.cop_guarded = True
    return guarded


def _indexed_fields(model):
    """Names of the model fields its index entry is built from, or None when
    some entry field is not a plain field (a method may read anything)."""
    from modelsearch import index

    names = set()
    concrete = {f.name for f in model._meta.concrete_fields} | {
        f.attname for f in model._meta.concrete_fields
    }
    for search_field in model.get_search_fields():
        name = getattr(search_field, "field_name", None)
        if isinstance(search_field, index.RelatedFields) or name not in concrete:
            return None
        names.add(name)
    return names


def _skipping_unindexed_updates(handler):
    """Don't rewrite an index entry when a save touched none of its fields.

    A reply saves its thread with update_fields=["post_count",
    "last_post_at"]; re-indexing the thread's title for that cost a third of
    the time of posting.
    """

    @wraps(handler)
    def post_save_signal_handler(instance, update_fields=None, **kwargs):
        if update_fields is not None:
            indexed = _indexed_fields(type(instance))
            if indexed is not None and not indexed.intersection(update_fields):
                return None
        return handler(instance, update_fields=update_fields, **kwargs)

    post_save_signal_handler.cop_guarded = True
    return post_save_signal_handler


# --- title_norm without scanning the whole index on every write --------------
#
# modelsearch's PostgreSQL index ranks titles by `title_norm`, the average
# title length over the length of this title. After every write it counted
# that average over the whole index and rewrote every entry still at the
# default 1.0, which is every post (posts have no title). Both are scans of
# the whole table: with 100,000 entries, saving one post took 69 ms, 43 of
# them in these two statements; with 1,000, 5 ms. Here a write sets the norm
# of the entries it wrote only, from an average counted at most every ten
# minutes (a full rebuild, `update_index`, still recounts everything).

_writes = threading.local()


def average_title_length_key(alias):
    return f"search:average-title-length:{alias}"


def _average_title_length(index):
    from django.core.cache import cache
    from django.db.models import Avg
    from django.db.models.functions import Length

    key = average_title_length_key(index.write_connection.alias)
    average = cache.get(key)
    if average is None:
        average = (
            index.entries.annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .aggregate(Avg("title_length"))["title_length__avg"]
        )
        if average is not None:
            cache.set(key, average, TITLE_LENGTH_CACHE_SECONDS)
    return average


def _refresh_these_title_norms(index, model, objs):
    from django.db.models import F
    from django.db.models.functions import Length
    from django.utils.encoding import force_str
    from modelsearch.backends.database.postgres.postgres import get_content_type_pk

    average = _average_title_length(index)
    if average is None:  # nothing in the index has a title
        return
    index.entries.filter(
        content_type_id=get_content_type_pk(model),
        object_id__in=[force_str(obj.pk) for obj in objs],
    ).annotate(title_length=Length("title")).filter(title_length__gt=0).update(
        title_norm=average / F("title_length")
    )


def _install_title_norms():
    from modelsearch.backends.database.postgres.postgres import PostgresIndex

    if getattr(PostgresIndex, "cop_title_norms", False):
        return
    add_items = PostgresIndex.add_items
    refresh = PostgresIndex._refresh_title_norms

    @wraps(add_items)
    def add_items_then_their_norms(self, model, objs):
        objs = list(objs)
        _writes.adding = True
        try:
            add_items(self, model, objs)
        finally:
            _writes.adding = False
        if objs and model.get_search_fields():
            _refresh_these_title_norms(self, model, objs)

    @wraps(refresh)
    def refresh_unless_adding(self, full=False):
        if getattr(_writes, "adding", False) and not full:
            return None  # add_items_then_their_norms sets these entries' norms
        return refresh(self, full=full)

    PostgresIndex.add_items = add_items_then_their_norms
    PostgresIndex._refresh_title_norms = refresh_unless_adding
    PostgresIndex.cop_title_norms = True


def install():
    """Wrap modelsearch's index writes and save handler (idempotent).

    Runs in our AppConfig.ready, before wagtail.search's, which connects
    `signal_handlers.post_save_signal_handler` by name: the wrapped one.
    """
    from modelsearch import index, signal_handlers

    for name in ("insert_or_update_object", "remove_object"):
        function = getattr(index, name)
        if not getattr(function, "cop_guarded", False):
            setattr(index, name, _guarded(function))
    handler = signal_handlers.post_save_signal_handler
    if not getattr(handler, "cop_guarded", False):
        signal_handlers.post_save_signal_handler = _skipping_unindexed_updates(handler)
    _install_title_norms()
