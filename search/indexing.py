"""Index writes that cannot break the request that caused them.

Wagtail's search (modelsearch) updates the database index inside the saving
request's transaction. On PostgreSQL each write also refreshes `title_norm`
on every new entry, so two members posting at once can deadlock on
`wagtailsearch_indexentry` (the soak run found it: 5 of ~650 writes failed).
The deadlock then aborted the whole request's transaction and the post was
lost with a 500.

Here each index write runs in its own savepoint and is retried on a
deadlock or serialisation failure; if it still fails, the savepoint is rolled
back, the error is logged and the member's post is saved all the same (the
entry is rewritten at the next save of that item, or by `update_index`).
"""

import logging
import time
from functools import wraps

from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)
ATTEMPTS = 4


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
