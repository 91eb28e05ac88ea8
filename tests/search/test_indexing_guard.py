"""A failed index write never breaks the request that saved the content."""

import pytest
from django.db import OperationalError, connection, transaction

from people.models import Organisation
from search import indexing

pytestmark = pytest.mark.django_db


def test_a_deadlocked_index_write_is_retried_then_given_up_without_breaking_the_save():
    calls = []

    def deadlocks(instance):
        calls.append(instance)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        raise OperationalError("deadlock detected")

    guarded = indexing._guarded(deadlocks)
    with transaction.atomic():
        Organisation.objects.create(name="Saved anyway", type="unit")
        assert guarded("item") is None
        # The outer transaction is still usable: the savepoint took the blow.
        assert Organisation.objects.filter(name="Saved anyway").exists()
    assert len(calls) == indexing.ATTEMPTS


def test_a_write_that_succeeds_on_retry_returns_its_result():
    attempts = []

    def flaky(instance):
        attempts.append(1)
        if len(attempts) < 2:
            raise OperationalError("could not serialize access")
        return "indexed"

    assert indexing._guarded(flaky)("item") == "indexed"
    assert len(attempts) == 2


def test_modelsearch_index_writes_are_guarded():
    from modelsearch import index

    assert index.insert_or_update_object.cop_guarded
    assert index.remove_object.cop_guarded
