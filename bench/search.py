"""Search: how fast is one permission-aware search at the issue's scale?

On a scratch PostgreSQL database (`cop_bench_search` beside the benchmark
database, created if missing) seeded with 100,000 posts (in 10,000 threads),
2,000 case studies and 10,000 profiles, a signed-in member of some open,
closed and secret spaces runs `search.selectors.search` (every type, counts,
facets, snippets, page 1), `similar` and `suggest` over a fixed list of
queries, in-process, one at a time. Beside it, the floor: a plain indexed
lookup on the same database (the first 20 posts of a thread, by the
(thread, id) index). Reported: p50/p95/p99 latency and requests per second
(sequential, one thread: 1 / mean latency).

Sizes come from the environment (defaults are the issue's):
COP_BENCH_SEARCH_POSTS, COP_BENCH_SEARCH_CASE_STUDIES,
COP_BENCH_SEARCH_PROFILES; COP_BENCH_SEARCH_DB names the database. Seeding
(bulk_create, then the search backend's own bulk indexer in chunks) happens
once; a later run with the same sizes reuses the data.

    python -m bench --only search --skip-setup
    python -m bench.search seed|measure   (the two halves, as subprocesses)
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time

from bench import register, seeding
from bench.harness import BASE_DIR, ensure_database, log, manage

DEFAULTS = {"posts": 100_000, "case_studies": 2_000, "profiles": 10_000}
POSTS_PER_THREAD = 10
SPACES = 200
SEED = 20261122
MARKER_KEY = "bench_search_sizes"

# A policy vocabulary: common words appear everywhere, rare ones seldom
# (Zipf-like), so queries cover both cheap and expensive matches.
WORDS = [
    "housing",
    "homelessness",
    "tenancy",
    "council",
    "benefits",
    "universal",
    "credit",
    "data",
    "sharing",
    "agreement",
    "evaluation",
    "pilot",
    "outcomes",
    "savings",
    "prevention",
    "families",
    "children",
    "schools",
    "admissions",
    "health",
    "social",
    "care",
    "hospital",
    "discharge",
    "digital",
    "inclusion",
    "broadband",
    "transport",
    "buses",
    "rural",
    "youth",
    "employment",
    "skills",
    "apprenticeships",
    "justice",
    "probation",
    "prisons",
    "courts",
    "victims",
    "policing",
    "neighbourhood",
    "community",
    "safety",
    "domestic",
    "abuse",
    "mental",
    "wellbeing",
    "loneliness",
    "volunteering",
    "charities",
    "procurement",
    "contracts",
    "suppliers",
    "budgets",
    "finance",
    "audit",
    "risk",
    "assurance",
    "governance",
    "workforce",
    "recruitment",
    "retention",
    "training",
    "leadership",
    "culture",
    "equality",
    "diversity",
    "accessibility",
    "climate",
    "energy",
    "retrofit",
    "insulation",
    "heat",
    "pumps",
    "flooding",
    "resilience",
    "emergencies",
    "planning",
    "regeneration",
    "high",
    "streets",
    "markets",
    "tourism",
    "libraries",
    "museums",
    "parks",
    "allotments",
    "waste",
    "recycling",
    "fly-tipping",
    "enforcement",
    "licensing",
    "taxi",
    "alcohol",
    "gambling",
    "debt",
    "advice",
    "pensions",
    "carers",
    "disability",
    "autism",
    "dementia",
    "veterans",
    "refugees",
    "asylum",
    "migration",
    "citizenship",
    "identity",
    "verification",
    "fraud",
    "error",
    "payments",
    "grants",
    "funding",
    "commissioning",
    "partnerships",
    "integration",
    "devolution",
    "combined",
    "authority",
    "metro",
    "mayor",
    "parish",
    "town",
    "county",
    "borough",
    "district",
    "unitary",
    "department",
    "agency",
    "arm's-length",
    "body",
]
RARE = [f"{a}{b}" for a in ("zeph", "quor", "vint", "malk", "brisk") for b in range(40)]
QUERIES = [
    "housing",
    "tenancy sustainment",
    "universal credit data sharing",
    "domestic abuse",
    "heat pumps retrofit",
    "zeph3",
    "quor12 evaluation",
    "flooding resilience county",
    "digital inclusion broadband rural",
    "nothingmatchesthis",
]
SIMILAR = [
    ("Sharing council tax data", "We want a data sharing agreement with councils"),
    ("Hospital discharge pilot", "Evaluation of social care discharge outcomes"),
]
SUGGEST = ["am", "tom a", "ruth", "hous"]


# Zipf-like weights: the first words are common, the last ones much rarer.
WEIGHTS = [1 / (rank + 8) for rank in range(len(WORDS))]


def _words(rng, n):
    picks = rng.choices(WORDS, weights=WEIGHTS, k=n)
    for i in range(n):
        if rng.random() < 0.02:
            picks[i] = rng.choice(RARE)
    return " ".join(picks)


def sizes():
    return {
        "posts": int(os.environ.get("COP_BENCH_SEARCH_POSTS", DEFAULTS["posts"])),
        "case_studies": int(
            os.environ.get("COP_BENCH_SEARCH_CASE_STUDIES", DEFAULTS["case_studies"])
        ),
        "profiles": int(
            os.environ.get("COP_BENCH_SEARCH_PROFILES", DEFAULTS["profiles"])
        ),
    }


def scratch_url(database_url):
    return seeding.scratch_url(database_url, "COP_BENCH_SEARCH_DB", "cop_bench_search")


# --- the two halves, run in a subprocess with Django set up --------------------


def seed():
    """Bulk-create the data and index it, unless it is already there."""
    seeding.setup_django()
    from django.core.cache import cache
    from django.db import transaction
    from django.db.models.signals import post_save
    from django.utils import timezone
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.search.backends import get_search_backend

    from casestudies.models import CaseStudyIndexPage, CaseStudyPage
    from forums.models import Post, Thread
    from home.models import HomePage
    from people.models import Profile
    from spaces.models import Membership, Space

    wanted = sizes()
    if seeding.already_seeded(MARKER_KEY, wanted, Post.objects.all()):
        log(f"search data already seeded: {wanted}")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    started = time.monotonic()
    # Index in bulk below, not row by row on save.
    post_save.disconnect(post_save_signal_handler, sender=CaseStudyPage)
    with transaction.atomic():
        orgs = seeding.organisations(
            60,
            name="Bench organisation",
            slug="bench-org",
            abbreviation="BO",
            type="local authority",
        )
        users = seeding.users(
            rng, wanted["profiles"], email="bench{i}@bench.gov.uk", now=now
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    user=user,
                    organisation=rng.choice(orgs),
                    job_title=_words(rng, 3),
                    handle=f"bench-{i}",
                )
                for i, user in enumerate(users)
            ],
            batch_size=2000,
        )
        spaces = seeding.spaces(
            rng,
            SPACES,
            # Name before purpose: the order of the draws fixes the data.
            describe=lambda i: (f"Bench space {i} {_words(rng, 2)}", _words(rng, 20)),
            slug="bench-space",
            weights=[7, 2, 1],
            orgs=orgs,
            now=now,
        )
        viewer = users[0]
        Membership.objects.bulk_create(
            [Membership(space=space, user=viewer) for space in spaces[::10]]
        )
        threads = Thread.objects.bulk_create(
            [
                Thread(
                    space=rng.choice(spaces),
                    title=_words(rng, 6).capitalize(),
                    marking="official-sensitive" if rng.random() < 0.1 else "official",
                    author=rng.choice(users),
                    created_at=now,
                    last_post_at=now,
                    post_count=POSTS_PER_THREAD,
                )
                for _ in range(max(1, wanted["posts"] // POSTS_PER_THREAD))
            ],
            batch_size=2000,
        )
        batch = []
        for n in range(wanted["posts"]):
            body = _words(rng, rng.randint(20, 80))
            batch.append(
                Post(
                    thread=threads[n // POSTS_PER_THREAD % len(threads)],
                    author=rng.choice(users),
                    body=body,
                    body_html=f"<p>{body}</p>",
                    created_at=now,
                )
            )
            if len(batch) == 5000:
                Post.objects.bulk_create(batch)
                batch = []
        Post.objects.bulk_create(batch)
    log(f"rows created in {time.monotonic() - started:.0f} s")

    home = HomePage.objects.first()
    index = CaseStudyIndexPage.objects.first() or home.add_child(
        instance=CaseStudyIndexPage(title="Case studies", slug="case-studies")
    )
    for i in range(wanted["case_studies"]):
        index.add_child(
            instance=CaseStudyPage(
                title=f"{_words(rng, 5).capitalize()} {i}",
                slug=f"bench-case-study-{i}",
                summary=_words(rng, 30)[:280],
                what_worked=_words(rng, 60),
                marking="official",
            )
        )
        if i % 500 == 499:
            log(f"case studies: {i + 1}")
    log(f"case studies created at {time.monotonic() - started:.0f} s")

    backend = get_search_backend()
    for model in (Space, Thread, Post, Profile, CaseStudyPage):
        queryset = model.get_indexed_objects().order_by("pk")
        total, last = 0, 0
        while True:
            chunk = list(queryset.filter(pk__gt=last)[:2000])
            if not chunk:
                break
            backend.add_bulk(model, chunk)
            total += len(chunk)
            last = chunk[-1].pk
        log(f"indexed {total} {model.__name__} at {time.monotonic() - started:.0f} s")
    seeding.mark_seeded(MARKER_KEY, wanted)
    cache.clear()
    log(f"seeded {wanted} in {time.monotonic() - started:.0f} s")


def _timed(function, duration, args_cycle):
    """Call `function` over `args_cycle` for `duration` seconds; latencies in ms."""
    latencies, n = [], 0
    end = time.monotonic() + duration
    while time.monotonic() < end or n < len(args_cycle):
        args = args_cycle[n % len(args_cycle)]
        t0 = time.perf_counter()
        function(*args)
        latencies.append((time.perf_counter() - t0) * 1000)
        n += 1
    return latencies


def _stats(latencies):
    ordered = sorted(latencies)

    def pct(q):
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))], 2)

    mean = statistics.fmean(ordered)
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

    from forums.models import Post, Thread
    from people.models import User
    from search import selectors

    viewer = User.objects.get(email="bench0@bench.gov.uk")
    thread_ids = list(Thread.objects.values_list("pk", flat=True)[:500])

    def floor(thread_id):
        list(Post.objects.filter(thread_id=thread_id).order_by("id")[:20])

    def run_search(q):
        return selectors.search(viewer, q)

    # Warm: connection, content types, plans.
    for q in QUERIES:
        run_search(q)
    floor(thread_ids[0])
    per_query = {q: run_search(q).total for q in QUERIES}
    result = {
        "floor_indexed_lookup": _stats(
            _timed(floor, duration, [(t,) for t in thread_ids])
        ),
        "search": _stats(_timed(run_search, duration, [(q,) for q in QUERIES])),
        "similar": _stats(
            _timed(
                lambda t, s: selectors.similar(viewer, title=t, summary=s),
                max(1.0, duration / 2),
                SIMILAR,
            )
        ),
        "suggest": _stats(
            _timed(
                lambda q: selectors.suggest(viewer, q),
                max(1.0, duration / 2),
                [(q,) for q in SUGGEST],
            )
        ),
        "matches_per_query": per_query,
        "database": connection.settings_dict["NAME"],
    }
    # Which query is slowest, alone.
    slowest = {}
    for q in QUERIES:
        slowest[q] = _stats(_timed(run_search, 0, [(q,)] * 5))["p50_ms"]
    result["search_p50_ms_by_query"] = slowest
    print(json.dumps(result))


# --- the registered benchmark -----------------------------------------------------


def _run(env, *args, timeout=7200):
    log("bench.search " + " ".join(args))
    completed = subprocess.run(
        [sys.executable, "-m", "bench.search", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.search {args[0]} failed ({completed.returncode})")
    return completed.stdout


@register(
    "search",
    "search p50/p95 and req/s at 100k posts, 2k case studies, 10k profiles, "
    "beside an indexed lookup",
)
def search_benchmark(ctx):
    env = dict(ctx.env)
    env["DATABASE_URL"] = scratch_url(ctx.database_url)
    try:
        ensure_database(env["DATABASE_URL"])
        manage(env, "migrate", "--noinput", timeout=1800)
        _run(env, "seed")
        result = json.loads(_run(env, "measure", str(ctx.duration)).strip())
    except (RuntimeError, SystemExit, subprocess.TimeoutExpired) as exc:
        return {"ok": False, "error": str(exc)}
    floor = result["floor_indexed_lookup"]["p50_ms"]
    search = result["search"]
    result["sizes"] = sizes()
    result["ok"] = True
    result["conclusion"] = (
        f"search p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms, "
        f"{search['rps']} searches/s on one thread; the indexed-lookup floor "
        f"p50 {floor} ms ({round(search['p50_ms'] / floor) if floor else '?'}x)."
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
        raise SystemExit("usage: python -m bench.search seed|measure [seconds]")
