"""Index writes set `title_norm` for the entries they wrote, without
scanning the whole index (search/indexing.py). PostgreSQL only: the SQLite
backend keeps no title norms."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import services as forum_services
from search.indexing import average_title_length_key
from tests.factories import add_member

from .conftest import make_thread

pytestmark = pytest.mark.usefixtures("postgres")


def _entries():
    from modelsearch.backends.database.postgres.postgres import IndexEntry

    return IndexEntry.objects.all()


def _norm(obj):
    from django.contrib.contenttypes.models import ContentType

    return (
        _entries()
        .get(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
        )
        .title_norm
    )


def _full_refresh(model):
    """What `update_index` does after a rebuild: recount everything."""
    from modelsearch.backends.database.postgres.postgres import PostgresIndex
    from wagtail.search.backends import get_search_backend

    index = get_search_backend().get_index_for_model(model)
    assert isinstance(index, PostgresIndex)
    index._refresh_title_norms(full=True)


def test_a_written_entry_gets_the_norm_a_full_refresh_would_give(member, open_space):
    add_member(open_space, member)
    make_thread(open_space, member, "Otters")
    # The average is counted afresh at the next write.
    cache.delete(average_title_length_key(connection.alias))
    thread = make_thread(open_space, member, "Shared otter ladders for rivers")
    written = _norm(thread)
    assert written != 1.0  # set, not left at the default
    _full_refresh(type(thread))
    assert _norm(thread) == pytest.approx(written)


def test_a_post_does_not_scan_the_index(member, open_space):
    add_member(open_space, member)
    thread = make_thread(open_space, member, "Heron ramps")  # warms the average
    with CaptureQueriesContext(connection) as queries:
        forum_services.post_create(thread=thread, author=member, body="Kingfishers")
    index_sql = [q["sql"] for q in queries if "wagtailsearch_indexentry" in q["sql"]]
    assert index_sql, "the post was not indexed"
    assert not [sql for sql in index_sql if "AVG(" in sql.upper()]
    updates = [sql for sql in index_sql if sql.lstrip().upper().startswith("UPDATE")]
    # Only the entry just written: filtered by its content type and object id.
    assert updates and all('"object_id" IN' in sql for sql in updates)
