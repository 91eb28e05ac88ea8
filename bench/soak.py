"""`make soak`: the production shape on this machine, driven by simulated members.

Starts PostgreSQL-backed Joined Up as production runs it (two ASGI server
processes sharing the Redis channel layer, one Celery worker and beat), then
for a bounded time (default 5 minutes) simulated members from several
organisations browse, search, post, react, upload and watch threads live over
websockets. At the end every watcher catches up on what it missed (the
channel layer is at-most-once; catch-up is how nothing is lost) and the report
compares posts sent with posts each watcher saw.

Prints a short text summary to stderr and writes the JSON report to
bench/results/soak.json. Exit status 1 when any server error happened or any
watcher is missing a post, so CI or a release check can gate on it.

    python -m bench.soak [--duration 300] [--members 12] [--watchers 12]
"""

import argparse
import asyncio
import json
import random
import re
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack

from bench.harness import (
    BASE_DIR,
    RESULTS_DIR,
    bench_env,
    connect,
    ensure_database,
    free_port,
    install_signal_handlers,
    log,
    prepare,
    redact,
    server,
    write_report,
)
from bench.loadgen import percentile

DEMO_PASSWORD = "joined-up-demo"  # noqa: S105 (the demo accounts' password)
SOAK_DATABASE = "postgres://postgres@127.0.0.1:5432/cop_soak"
SOAK_REDIS = "redis://127.0.0.1:6379/2"
SEARCH_TERMS = [
    "data sharing",
    "homelessness",
    "evaluation",
    "procurement",
    "digital inclusion",
    "net zero",
    "troubled families",
    "workforce",
    "Leicestershire",
    "safeguarding",
]
# Weights of what a member does next.
ACTIONS = {"browse": 45, "search": 20, "post": 15, "react": 12, "upload": 8}
UPLOAD_BYTES = ("Minutes of the working group\n" * 400).encode()


class Stats:
    """Latencies and outcomes per page type."""

    def __init__(self):
        self.latency = defaultdict(list)
        self.server_errors = defaultdict(int)
        self.client_errors = defaultdict(int)
        self.failures = defaultdict(list)

    def record(self, kind, started, status=None, error=None):
        elapsed = (time.perf_counter() - started) * 1000
        if error is not None or status is None:
            self.server_errors[kind] += 1
            self.failures[kind].append(str(error)[:200])
        elif status >= 500:
            self.server_errors[kind] += 1
            self.failures[kind].append(f"HTTP {status}")
        else:
            if status >= 400:
                self.client_errors[kind] += 1
            self.latency[kind].append(elapsed)

    def report(self, seconds):
        kinds = sorted(set(self.latency) | set(self.server_errors))
        out = {}
        for kind in kinds:
            values = self.latency[kind]
            out[kind] = {
                "requests": len(values) + self.server_errors[kind],
                "rps": round(len(values) / seconds, 2),
                "p50_ms": _round(percentile(values, 50)),
                "p95_ms": _round(percentile(values, 95)),
                "p99_ms": _round(percentile(values, 99)),
                "server_errors": self.server_errors[kind],
                "client_errors": self.client_errors[kind],
                "failures_sample": self.failures[kind][:5],
            }
        return out


def _round(value):
    return None if value is None else round(value, 1)


# --- the world as the database has it ------------------------------------------


def load_world(database_url, members_wanted):
    """Members across organisations, their spaces and threads, from the soak DB."""
    with connect(database_url) as conn:
        rows = conn.execute(
            """
            SELECT u.id, u.email, p.organisation_id
            FROM people_user u JOIN people_profile p ON p.user_id = u.id
            WHERE u.is_active AND NOT u.is_staff AND NOT u.is_superuser
              AND EXISTS (SELECT 1 FROM spaces_membership m WHERE m.user_id = u.id)
              AND NOT EXISTS (
                SELECT 1 FROM people_user_groups ug WHERE ug.user_id = u.id)
            ORDER BY p.organisation_id, u.id
            """
        ).fetchall()
        by_org = defaultdict(list)
        for user_id, email, org in rows:
            by_org[org].append((user_id, email))
        members = []
        while len(members) < members_wanted and any(by_org.values()):
            for org in list(by_org):
                if by_org[org] and len(members) < members_wanted:
                    members.append(by_org[org].pop(0))
        world = {"members": []}
        for user_id, email in members:
            threads = [
                row[0]
                for row in conn.execute(
                    """SELECT t.id FROM forums_thread t
                    JOIN spaces_membership m ON m.space_id = t.space_id
                    JOIN spaces_space s ON s.id = t.space_id
                    WHERE m.user_id = %s AND NOT t.locked AND NOT s.archived
                    ORDER BY t.id""",
                    [user_id],
                ).fetchall()
            ]
            spaces = [
                row[0]
                for row in conn.execute(
                    """SELECT s.slug FROM spaces_space s
                    JOIN spaces_membership m ON m.space_id = s.id
                    WHERE m.user_id = %s AND NOT s.archived ORDER BY s.id""",
                    [user_id],
                ).fetchall()
            ]
            world["members"].append(
                {"id": user_id, "email": email, "threads": threads, "spaces": spaces}
            )
        world["posts"] = {
            thread: [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM forums_post WHERE thread_id = %s AND NOT hidden "
                    "ORDER BY id DESC LIMIT 20",
                    [thread],
                ).fetchall()
            ]
            for member in world["members"]
            for thread in member["threads"]
        }
        world["browse"] = ["/", "/spaces/", "/forums/", "/people/", "/case-studies/"]
        world["case_studies"] = [
            row[0]
            for row in conn.execute(
                """SELECT p.url_path FROM wagtailcore_page p
                JOIN django_content_type ct ON ct.id = p.content_type_id
                WHERE ct.model = 'casestudypage' AND p.live LIMIT 30"""
            ).fetchall()
        ]
    # Threads every watcher and poster share: the liveliest common ones.
    counts = defaultdict(int)
    for member in world["members"]:
        for thread in member["threads"]:
            counts[thread] += 1
    world["hot_threads"] = [
        t for t, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:3]
    ]
    return world


def _page_path(url_path):
    # Wagtail url_path starts with the root page's slug ("/home/...").
    parts = url_path.strip("/").split("/")
    return "/" + "/".join(parts[1:]) + "/" if len(parts) > 1 else "/"


# --- a member ---------------------------------------------------------------------


class Member:
    def __init__(self, base_url, info, world, stats, sent):
        import httpx

        self.info = info
        self.world = world
        self.stats = stats
        self.sent = sent
        self.base_url = base_url
        self.client = httpx.AsyncClient(
            base_url=base_url, timeout=30.0, follow_redirects=False
        )

    async def request(self, kind, method, path, **kwargs):
        started = time.perf_counter()
        try:
            response = await self.client.request(method, path, **kwargs)
        except Exception as exc:  # a dropped connection is a failure we report
            self.stats.record(kind, started, error=exc)
            return None
        self.stats.record(kind, started, status=response.status_code)
        return response

    def _csrf(self):
        return self.client.cookies.get("csrftoken", "")

    async def sign_in(self):
        await self.request("sign-in", "GET", "/accounts/login/")
        response = await self.request(
            "sign-in",
            "POST",
            "/accounts/login/",
            data={
                "login": self.info["email"],
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": self._csrf(),
            },
        )
        if response is None or response.status_code != 302:
            raise RuntimeError(
                f"{self.info['email']} could not sign in "
                f"({response.status_code if response else 'no response'})"
            )

    def session_cookie(self):
        return self.client.cookies.get("sessionid", "")

    async def browse(self):
        choice = random.random()
        if choice < 0.35:
            await self.request("page:list", "GET", random.choice(self.world["browse"]))
        elif choice < 0.6 and self.info["threads"]:
            thread = random.choice(self.info["threads"])
            await self.request("page:thread", "GET", f"/forums/threads/{thread}/")
        elif choice < 0.8 and self.info["spaces"]:
            slug = random.choice(self.info["spaces"])
            path = random.choice([f"/spaces/{slug}/", f"/spaces/{slug}/documents/"])
            await self.request("page:space", "GET", path)
        elif self.world["case_studies"]:
            path = _page_path(random.choice(self.world["case_studies"]))
            await self.request("page:case-study", "GET", path)

    async def search(self):
        term = random.choice(SEARCH_TERMS)
        await self.request("search", "GET", "/search/", params={"q": term})

    async def post(self):
        threads = self.world["hot_threads"] + self.info["threads"]
        threads = [t for t in threads if t in self.info["threads"]]
        if not threads:
            return
        thread = (
            random.choice(threads[:3])
            if random.random() < 0.7
            else random.choice(threads)
        )
        token = f"soak-{uuid.uuid4().hex[:12]}"
        response = await self.request(
            "post",
            "POST",
            f"/forums/threads/{thread}/reply/",
            data={
                "body": f"Checking in from the soak run ({token}): agreed, and "
                "we saw the same in our area.",
                "csrfmiddlewaretoken": self._csrf(),
            },
            headers={"Referer": f"{self.base_url}/forums/threads/{thread}/"},
        )
        if response is not None and response.status_code in (302, 303):
            self.sent[thread].add(token)

    async def react(self):
        candidates = [t for t in self.info["threads"] if self.world["posts"].get(t)]
        if not candidates:
            return
        post = random.choice(self.world["posts"][random.choice(candidates)])
        await self.request(
            "react",
            "POST",
            f"/forums/posts/{post}/react/",
            data={
                "kind": random.choice(["thumbs-up", "thanks", "insightful", "agree"]),
                "csrfmiddlewaretoken": self._csrf(),
            },
        )

    async def upload(self):
        if not self.info["spaces"]:
            return
        slug = random.choice(self.info["spaces"])
        await self.request(
            "upload",
            "POST",
            f"/spaces/{slug}/documents/upload/",
            data={
                "title": f"Working group minutes {uuid.uuid4().hex[:6]}",
                "description": "Notes from this week's call.",
                "marking": "official",
                "csrfmiddlewaretoken": self._csrf(),
            },
            files={"file": ("minutes.txt", UPLOAD_BYTES, "text/plain")},
        )

    async def run(self, until):
        actions, weights = zip(*ACTIONS.items(), strict=True)
        while time.monotonic() < until:
            action = random.choices(actions, weights)[0]
            await getattr(self, action)()
            await asyncio.sleep(random.uniform(0.1, 0.6))

    async def close(self):
        await self.client.aclose()


# --- watchers ---------------------------------------------------------------------


class Watcher:
    """A member with a thread open: live events, then catch-up at the end."""

    def __init__(self, member, port, thread):
        self.member = member
        self.port = port
        self.thread = thread
        self.seen = set()
        self.last_post_id = 0
        self.reconnects = 0
        self.live = 0

    def _note(self, html, post_id):
        for token in re.findall(r"soak-[0-9a-f]{12}", html or ""):
            self.seen.add(token)
        if post_id:
            self.last_post_id = max(self.last_post_id, int(post_id))

    async def watch(self, until):
        import websockets

        url = f"ws://127.0.0.1:{self.port}/ws/threads/{self.thread}/"
        headers = {
            "Cookie": f"sessionid={self.member.session_cookie()}",
            "Origin": f"http://127.0.0.1:{self.port}",
        }
        delay = 0.5
        while time.monotonic() < until:
            try:
                async with websockets.connect(
                    url, additional_headers=headers
                ) as socket:
                    delay = 0.5
                    while time.monotonic() < until:
                        try:
                            raw = await asyncio.wait_for(
                                socket.recv(),
                                timeout=max(0.1, until - time.monotonic()),
                            )
                        except TimeoutError:
                            break
                        event = json.loads(raw)
                        if event.get("type") == "post.created":
                            self.live += 1
                            self._note(event.get("html"), event.get("post_id"))
            except Exception:  # dropped: back off and reconnect, catch-up fills gaps
                self.reconnects += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 8)
                await self.catch_up()

    async def catch_up(self):
        response = await self.member.request(
            "catch-up",
            "GET",
            f"/forums/threads/{self.thread}/posts/",
            params={"after": self.last_post_id},
        )
        if response is not None and response.status_code == 200:
            for post in response.json().get("posts", []):
                self._note(post.get("html"), post.get("id"))


# --- orchestration ------------------------------------------------------------------


def start_celery(stack, env, name, args):
    log_path = RESULTS_DIR / f"soak-{name}.log"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    handle = open(log_path, "w")  # noqa: SIM115 (closed by the stack)
    stack.callback(handle.close)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cop", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def stop():
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)
    log(f"started celery {name} (pid {process.pid})")
    return process


async def drive(ports, world, duration, watchers_wanted):
    stats = Stats()
    sent = defaultdict(set)
    until = time.monotonic() + duration
    members = [
        Member(f"http://127.0.0.1:{ports[i % 2]}", info, world, stats, sent)
        for i, info in enumerate(world["members"])
    ]
    signed_in = await asyncio.gather(
        *(member.sign_in() for member in members), return_exceptions=True
    )
    for member, outcome in zip(members, signed_in, strict=True):
        if isinstance(outcome, Exception):
            # Some demo accounts cannot sign in by design (no verified email,
            # no demo password): leave them out, and say so.
            log(f"left out: {outcome}")
            await member.close()
    members = [m for m, o in zip(members, signed_in, strict=True) if o is None]
    if len(members) < 2:
        raise RuntimeError("fewer than two members could sign in")
    # Watchers sit on the *other* process from the member's own requests, so
    # every live post crosses processes through Redis.
    watchers = []
    for i in range(watchers_wanted):
        member = members[i % len(members)]
        threads = [t for t in world["hot_threads"] if t in member.info["threads"]]
        if not threads:
            continue
        port = ports[(i + 1) % 2]
        watchers.append(Watcher(member, port, threads[i % len(threads)]))
    for watcher in watchers:
        await watcher.catch_up()  # start from the newest post
        watcher.seen.clear()
    started = time.monotonic()
    await asyncio.gather(
        *(member.run(until) for member in members),
        *(watcher.watch(until + 2) for watcher in watchers),
    )
    seconds = time.monotonic() - started
    for watcher in watchers:
        await watcher.catch_up()
    live = {
        "posts_sent": sum(len(tokens) for tokens in sent.values()),
        "watchers": len(watchers),
        "expected_deliveries": 0,
        "delivered_live": 0,
        "delivered_after_catch_up": 0,
        "reconnects": sum(w.reconnects for w in watchers),
    }
    for watcher in watchers:
        expected = sent[watcher.thread]
        live["expected_deliveries"] += len(expected)
        live["delivered_after_catch_up"] += len(expected & watcher.seen)
        live["delivered_live"] += min(watcher.live, len(expected))
    live["missing"] = live["expected_deliveries"] - live["delivered_after_catch_up"]
    for member in members:
        await member.close()
    return stats.report(seconds), live, seconds


def summary_text(report):
    lines = [
        f"Soak: {report['seconds']:.0f} s, {report['members']} members from "
        f"{report['organisations']} organisations, {report['servers']} ASGI processes.",
        f"{'page type':<18}{'req':>7}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'5xx':>6}",
    ]
    for kind, row in report["pages"].items():
        lines.append(
            f"{kind:<18}{row['requests']:>7}{row['rps']:>8}{row['p50_ms'] or 0:>8}"
            f"{row['p95_ms'] or 0:>8}{row['p99_ms'] or 0:>8}{row['server_errors']:>6}"
        )
    live = report["live"]
    lines.append(
        f"Live: {live['posts_sent']} posts sent; {live['watchers']} watchers expected "
        f"{live['expected_deliveries']} deliveries, saw {live['delivered_live']} live "
        f"and {live['delivered_after_catch_up']} after catch-up "
        f"(missing {live['missing']}, reconnects {live['reconnects']})."
    )
    lines.append(
        f"Server log errors: {report['server_log_errors']}. "
        f"Verdict: {'PASS' if report['passed'] else 'FAIL'}."
    )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--duration", type=float, default=300.0)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--watchers", type=int, default=12)
    parser.add_argument("--database-url", default=SOAK_DATABASE)
    parser.add_argument("--redis-url", default=SOAK_REDIS)
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args(argv)
    install_signal_handlers()

    env = bench_env()
    env.update(DATABASE_URL=args.database_url, REDIS_URL=args.redis_url)
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    log(f"soak on {redact(args.database_url)} and {args.redis_url}")
    ensure_database(args.database_url)
    if not args.skip_prepare:
        prepare(env, collectstatic=True)
    world = load_world(args.database_url, args.members)
    if not world["members"] or not world["hot_threads"]:
        raise SystemExit(
            "the demo data has no members with threads: run load_demo_data"
        )

    ports = [free_port(), free_port()]
    with ExitStack() as stack:
        servers = []
        for n, port in enumerate(ports):
            command = [
                sys.executable, "-m", "uvicorn", "cop.asgi:application",
                "--host=127.0.0.1", f"--port={port}", "--no-access-log",
                "--log-level=warning", "--lifespan=off",
            ]  # fmt: skip
            servers.append(
                stack.enter_context(server(f"soak-asgi-{n + 1}", command, env, port))
            )
        start_celery(stack, env, "worker", ["worker", "-l", "warning", "-c", "1"])
        start_celery(
            stack,
            env,
            "beat",
            ["beat", "-l", "warning", "-s", str(RESULTS_DIR / "soak-beat-schedule")],
        )
        log(
            f"{len(world['members'])} members, hot threads {world['hot_threads']}, "
            f"{args.duration:.0f} s"
        )
        pages, live, seconds = asyncio.run(
            drive(ports, world, args.duration, args.watchers)
        )
        log_errors = sum(s.log_errors() for s in servers)

    with connect(args.database_url) as conn:
        organisations = conn.execute(
            "SELECT COUNT(DISTINCT organisation_id) FROM people_profile "
            "WHERE user_id = ANY(%s)",
            [[m["id"] for m in world["members"]]],
        ).fetchone()[0]
    server_errors = sum(row["server_errors"] for row in pages.values())
    report = {
        "seconds": round(seconds, 1),
        "members": len(world["members"]),
        "organisations": organisations,
        "servers": len(ports),
        "requests_per_second": round(
            sum(row["requests"] for row in pages.values()) / max(seconds, 0.01), 2
        ),
        "pages": pages,
        "live": live,
        "server_errors": server_errors,
        "server_log_errors": log_errors,
        "passed": server_errors == 0 and log_errors == 0 and live["missing"] == 0,
    }
    write_report(report, RESULTS_DIR / "soak.json")
    text = summary_text(report)
    (RESULTS_DIR / "soak.txt").write_text(text + "\n")
    print(text, file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
