"""Directory: how fast is a people search at 10,000 profiles?

On a scratch PostgreSQL database (`cop_bench_directory` beside the benchmark
database, created if missing) seeded with 10,000 profiles (grades,
professions, regions, areas of work, 2-4 expertise tags each) and 20,000
contributions spread over open, closed and secret spaces, a signed-in member
of some of those spaces requests `/people/?q=...` (with and without facets)
through Django's full request stack (middleware, view, ranking, facets,
template), in-process, one request at a time, first as configured and then
with PostgreSQL's JIT off (PGOPTIONS). Reported: p50/p95/p99 latency,
requests per second (sequential, one thread: 1 / mean latency), and the
number of queries per request, which must be the same for every query.

Sizes: COP_BENCH_DIRECTORY_PROFILES (default 10,000);
COP_BENCH_DIRECTORY_DB names the database. Seeding (bulk_create) happens once;
a later run with the same size reuses the data.

    python -m bench --only directory --skip-setup
    python -m bench.directory seed|measure   (the two halves, as subprocesses)
"""

import json
import os
import random
import subprocess
import sys
import time

from bench import register, seeding
from bench.harness import BASE_DIR, ensure_database, log, manage

DEFAULT_PROFILES = 10_000
SPACES = 100
CONTRIBUTIONS_PER_PROFILE = 2
SEED = 20261122
MARKER_KEY = "bench_directory_profiles"

THEMES = [
    "Data sharing", "Shared services", "Digital services", "Policy making",
    "Evidence and evaluation", "Public health", "Criminal justice",
    "Children and families", "Early years", "Invest to save",
    "Joint funding and pooled budgets", "Local and regional delivery",
    "Neighbourhood renewal", "Workforce and capability", "Leadership",
    "Commercial and procurement", "Climate and environment",
    "Emergencies and resilience", "Cyber and information assurance",
    "Service design and customer insight",
]  # fmt: skip
WORDS = [
    "councils",
    "partners",
    "agreements",
    "outcomes",
    "pilots",
    "evaluation",
    "funding",
    "housing",
    "benefits",
    "schools",
    "hospitals",
    "probation",
    "courts",
    "transport",
    "skills",
    "welfare",
    "digital",
    "platforms",
    "records",
    "procurement",
    "budgets",
    "prevention",
    "community",
    "resilience",
]
QUERIES = [
    ("data sharing", {}),
    ("shared services", {"profession": "Policy"}),
    ("evaluation", {"region": "London", "grade": "Grade 7"}),
    ("amara", {}),
    ("", {}),
    ("", {"profession": "Analysis"}),
    ("nothingmatchesthis", {}),
]


def profiles_wanted():
    return int(os.environ.get("COP_BENCH_DIRECTORY_PROFILES", DEFAULT_PROFILES))


def scratch_url(database_url):
    return seeding.scratch_url(
        database_url, "COP_BENCH_DIRECTORY_DB", "cop_bench_directory"
    )


def seed():
    """Bulk-create organisations, profiles, tags and contributions, once."""
    seeding.setup_django()
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag

    from people.models import Contribution, Profile, TaggedExpertise, User, topics_key
    from people.reference import GRADES, PROFESSIONS, REGIONS
    from spaces.models import Membership, Space

    wanted = profiles_wanted()
    others = User.objects.filter(email__endswith="@dir.bench.gov.uk")
    if seeding.already_seeded(MARKER_KEY, wanted, others):
        log(f"directory data already seeded: {wanted} profiles")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    started = time.monotonic()
    grades = [grade for grade, _band in GRADES]
    with transaction.atomic():
        orgs = seeding.organisations(
            40,
            name="Directory bench organisation",
            slug="dir-bench-org",
            abbreviation="DBO",
            type="ministerial department",
        )
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in THEMES}
        users = seeding.users(rng, wanted, email="dir{i}@dir.bench.gov.uk", now=now)
        profiles = [
            Profile(
                user=user,
                organisation=rng.choice(orgs),
                handle=f"dir-bench-{i}",
                job_title=f"{rng.choice(WORDS).capitalize()} lead",
                team=f"{rng.choice(THEMES)} team",
                grade=rng.choice(grades),
                profession=rng.choice(PROFESSIONS),
                region=rng.choice(REGIONS),
                area_of_work=(
                    f"I work on {rng.choice(THEMES).lower()} with "
                    f"{rng.choice(WORDS)} and {rng.choice(WORDS)}."
                ),
                happy_to_advise_on=rng.choice(THEMES),
                last_active_at=now - timedelta(days=rng.choice([1, 30, 200, 800])),
                last_confirmed_at=now - timedelta(days=rng.randint(1, 400)),
            )
            for i, user in enumerate(users)
        ]
        chosen_tags = [rng.sample(THEMES, k=rng.randint(2, 4)) for _ in profiles]
        for profile, names in zip(profiles, chosen_tags, strict=True):
            # bulk_create skips save(), which keeps search_text in step.
            profile.search_text = profile.build_search_text(tag_names=names)
        profiles = Profile.objects.bulk_create(profiles, batch_size=2000)
        TaggedExpertise.objects.bulk_create(
            [
                TaggedExpertise(content_object=profile, tag=tags[name])
                for profile, names in zip(profiles, chosen_tags, strict=True)
                for name in names
            ],
            batch_size=5000,
        )
        spaces = seeding.spaces(
            rng,
            SPACES,
            describe=lambda i: (f"Directory bench space {i}", "Benchmark space."),
            slug="dir-bench-space",
            weights=[6, 3, 1],
            orgs=orgs,
            now=now,
        )
        viewer = users[0]
        Membership.objects.bulk_create(
            [Membership(space=space, user=viewer) for space in spaces[::7]]
        )
        space_type = ContentType.objects.get_for_model(Space)
        batch, n = [], 0
        for user in users:
            for _ in range(CONTRIBUTIONS_PER_PROFILE):
                space = rng.choice(spaces)
                topics = rng.sample(THEMES, k=2)
                n += 1
                batch.append(
                    Contribution(
                        user=user,
                        kind=rng.choice(Contribution.Kind.values),
                        content_type=space_type,
                        object_id=n,
                        title=f"Bench contribution {n}",
                        topics=topics,
                        topics_key=topics_key(topics),  # bulk_create skips save()
                        space=space,
                        marking="official-sensitive"
                        if rng.random() < 0.1
                        else "official",
                        created_at=now,
                    )
                )
            if len(batch) >= 5000:
                Contribution.objects.bulk_create(batch)
                batch = []
        Contribution.objects.bulk_create(batch)
    seeding.mark_seeded(MARKER_KEY, wanted)
    log(f"seeded {wanted} profiles in {time.monotonic() - started:.0f} s")


def _stats(latencies):
    ordered = sorted(latencies)

    def pct(q):
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))], 2)

    mean = sum(ordered) / len(ordered)
    return {
        "requests": len(ordered),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "mean_ms": round(mean, 2),
        "rps": round(1000 / mean, 1) if mean else None,
    }


def measure(duration):
    seeding.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people import selectors
    from people.models import User

    viewer = User.objects.get(email="dir0@dir.bench.gov.uk")
    client = Client(SERVER_NAME="localhost")
    client.force_login(viewer)

    def get(query, facets):
        response = client.get("/people/", {"q": query, **facets})
        if response.status_code != 200:
            raise RuntimeError(f"/people/?q={query} answered {response.status_code}")
        return response

    for query, facets in QUERIES:  # warm: connection, content types, plans
        get(query, facets)
    queries, matches = {}, {}
    for query, facets in QUERIES:
        with CaptureQueriesContext(connection) as captured:
            get(query, facets)
        label = query + (f" {facets}" if facets else "")
        queries[label] = len(captured)
        chosen = {name: [value] for name, value in facets.items()}
        matches[label] = selectors.directory_search(viewer, query, chosen).total
    latencies, by_query = [], {}
    end = time.monotonic() + duration
    n = 0
    while time.monotonic() < end or n < len(QUERIES):
        query, facets = QUERIES[n % len(QUERIES)]
        t0 = time.perf_counter()
        get(query, facets)
        elapsed = (time.perf_counter() - t0) * 1000
        latencies.append(elapsed)
        by_query.setdefault(query + (f" {facets}" if facets else ""), []).append(
            elapsed
        )
        n += 1
    print(
        json.dumps(
            {
                "directory": _stats(latencies),
                "p50_ms_by_query": {
                    label: _stats(values)["p50_ms"]
                    for label, values in by_query.items()
                },
                "queries_per_request": queries,
                "matches_per_query": matches,
                "database": connection.settings_dict["NAME"],
            }
        )
    )


def _run(env, *args, timeout=3600):
    log("bench.directory " + " ".join(args))
    completed = subprocess.run(
        [sys.executable, "-m", "bench.directory", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.directory {args[0]} failed ({completed.returncode})")
    return completed.stdout


@register(
    "directory",
    "people directory search req/s and p50/p95 at 10k profiles (full view, facets)",
)
def directory_benchmark(ctx):
    env = dict(ctx.env)
    env["DATABASE_URL"] = scratch_url(ctx.database_url)
    try:
        ensure_database(env["DATABASE_URL"])
        manage(env, "migrate", "--noinput", timeout=1800)
        _run(env, "seed")
        result = json.loads(_run(env, "measure", str(ctx.duration)).strip())
        # PostgreSQL's JIT compiles the ranking expression for every search
        # (its cost estimate passes jit_above_cost) and spends longer
        # compiling than running it; the same load with JIT off, for the
        # decision in docs/people.md.
        jit_off = dict(env, PGOPTIONS=f"{env.get('PGOPTIONS', '')} -c jit=off")
        result["jit_off"] = json.loads(
            _run(jit_off, "measure", str(ctx.duration)).strip()
        )["directory"]
    except (RuntimeError, SystemExit, subprocess.TimeoutExpired) as exc:
        return {"ok": False, "error": str(exc)}
    stats = result["directory"]
    # A search with no results skips the page and its prefetch: compare the rest.
    counts = {
        label: n
        for label, n in result["queries_per_request"].items()
        if result["matches_per_query"].get(label)
    }
    constant = len(set(counts.values())) == 1
    result["profiles"] = profiles_wanted()
    result["ok"] = constant
    result["conclusion"] = (
        f"directory search at {profiles_wanted()} profiles: p50 {stats['p50_ms']} ms, "
        f"p95 {stats['p95_ms']} ms, {stats['rps']} requests/s on one thread; "
        + (
            f"{next(iter(counts.values()))} queries for every search with results"
            if constant
            else f"query counts differ: {counts}"
        )
        + "."
    )
    off = result["jit_off"]
    result["conclusion"] += (
        f" With PostgreSQL JIT off: p50 {off['p50_ms']} ms, p95 {off['p95_ms']} ms, "
        f"{off['rps']} requests/s."
    )
    log(result["conclusion"])
    return result


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "seed":
        seed()
    elif command == "measure":
        measure(float(sys.argv[2]) if len(sys.argv) > 2 else 10.0)
    else:
        raise SystemExit("usage: python -m bench.directory seed|measure [seconds]")
