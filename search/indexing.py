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


def install():
    """Wrap modelsearch's index writes (idempotent)."""
    from modelsearch import index

    for name in ("insert_or_update_object", "remove_object"):
        function = getattr(index, name)
        if not getattr(function, "cop_guarded", False):
            setattr(index, name, _guarded(function))
