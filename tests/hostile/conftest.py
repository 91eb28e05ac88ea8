"""Hostile input (issue 9, point 5): the Hypothesis profile and the world.

The profile is deterministic (derandomize, and no example database) so a
run that passes here passes in CI, and small enough for the suite's time
budget; HYPOTHESIS_PROFILE=hostile-more runs fifteen times the examples when
hunting. (Hypothesis's .hypothesis/ cache carries its own .gitignore.)

Every hostile test runs with the database refusing NUL characters in text,
as PostgreSQL does, so input that reaches a query unchecked fails on SQLite
too.
"""

import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings

settings.register_profile(
    "hostile",
    derandomize=True,
    database=None,
    max_examples=20,
    deadline=None,
    print_blob=True,
    # The world is built once per module and each test runs its examples
    # against it; function-scoped fixtures (client, settings) are meant to
    # be shared by the examples of one test.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "hostile-more", settings.get_profile("hostile"), max_examples=300
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "hostile"))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at the
    end; each test's own transaction (the `db` fixture) nests inside it, so
    every test starts from the same world."""
    from tests.hostile.world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _texts(params):
    if isinstance(params, str):
        yield params
    elif isinstance(params, dict):
        for value in params.values():
            yield from _texts(value)
    elif isinstance(params, list | tuple):
        for value in params:
            yield from _texts(value)


def _refuse_nul(execute, sql, params, many, context):
    from django.db import DataError

    if any("\x00" in text for text in _texts(params)):
        # What psycopg says on PostgreSQL (CI, production); SQLite would
        # store the character and hide the failure.
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return execute(sql, params, many, context)


@pytest.fixture(autouse=True)
def _nul_refused_as_on_postgresql():
    """The database refuses NUL characters in text, as PostgreSQL does, so
    input that reaches a query unchecked fails here too."""
    from django.db import connection

    with connection.execute_wrapper(_refuse_nul):
        yield
