"""Seeding a data benchmark's scratch database (bench.directory, bench.search).

Such a benchmark runs its `seed` and `measure` halves as subprocesses on a
database of its own beside the benchmark database. Seeding bulk-creates rows
once and leaves a marker (key -> the sizes seeded), so a later run with the
same sizes reuses the data.

Django is imported inside the functions: the benchmark modules are imported
by `python -m bench` before Django is set up. The seeders draw from the
caller's `random.Random` in a fixed order, so one seed gives the same rows.
"""

import json
import os
import sys

from bench.harness import BASE_DIR

FIRST = [
    "Amara",
    "Tom",
    "Ruth",
    "Priya",
    "Owen",
    "Sian",
    "Chidi",
    "Grace",
    "Hamza",
    "Ewan",
    "Leah",
    "Nadia",
    "Marek",
    "Ffion",
]
LAST = [
    "Okafor",
    "Ashworth",
    "Adeyemi",
    "Shah",
    "Jones",
    "Evans",
    "Nwosu",
    "Patel",
    "Begum",
    "Reid",
    "Kowalski",
]


def scratch_url(database_url, env_var, default_name):
    """`database_url` with its database name replaced by the scratch one
    ($`env_var`, else `default_name`)."""
    name = os.environ.get(env_var, default_name)
    head, _, _ = database_url.rpartition("/")
    return f"{head}/{name}"


def setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop.settings.dev")
    sys.path.insert(0, str(BASE_DIR))
    django.setup()


def already_seeded(key, wanted, others):
    """True if the data for `wanted` (under marker `key`) is there already.

    A database with a marker for other sizes, or with no marker but rows in
    the queryset `others`, holds other data: refused, never mixed in.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_marker (key text primary key, value text)"
        )
        cursor.execute("SELECT value FROM bench_marker WHERE key = %s", [key])
        row = cursor.fetchone()
    if row and json.loads(row[0]) == wanted:
        return True
    if row or others.exists():
        raise SystemExit(
            "the scratch database holds other data; drop it "
            f"({connection.settings_dict['NAME']}) and run again"
        )
    return False


def mark_seeded(key, wanted):
    """Refresh the planner's statistics and record what was seeded."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "INSERT INTO bench_marker (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [key, json.dumps(wanted)],
        )


def organisations(count, *, name, slug, abbreviation, type):
    """`count` organisations: "{name} {i}", "{slug}-{i}", "{abbreviation}{i}"."""
    from people.models import Organisation

    return Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{name} {i}",
                slug=f"{slug}-{i}",
                abbreviation=f"{abbreviation}{i}",
                type=type,
            )
            for i in range(count)
        ]
    )


def users(rng, count, *, email, now):
    """`count` users with unusable passwords; `email` is formatted with `i`."""
    from people.models import User

    return User.objects.bulk_create(
        [
            User(
                email=email.format(i=i),
                first_name=rng.choice(FIRST),
                last_name=f"{rng.choice(LAST)}{i}",
                password="!",  # noqa: S106 - unusable
                date_joined=now,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )


def spaces(rng, count, *, describe, slug, weights, orgs, now):
    """`count` spaces, slugs "{slug}-{i}", open/closed/secret by `weights`.

    `describe(i)` gives (name, purpose); it is called before the space's own
    draws (visibility, then lead organisation), as the seeded data expects.
    """
    from spaces.models import Space

    made = []
    for i in range(count):
        name, purpose = describe(i)
        visibility = rng.choices(["open", "closed", "secret"], weights=weights)[0]
        made.append(
            Space(
                name=name,
                slug=f"{slug}-{i}",
                purpose=purpose,
                visibility=visibility,
                ceiling="official-sensitive",
                lead_organisation=rng.choice(orgs),
                created_at=now,
            )
        )
    return Space.objects.bulk_create(made)
