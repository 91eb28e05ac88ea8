"""Fan-out: how long a post takes to reach every websocket client on a thread.

Two uvicorn processes share PostgreSQL and the Redis channel layer. N clients
(100, then 500) hold `/ws/threads/<id>/` sockets, half on each process; one
more client posts over its socket to process A, and every client records when
the `post.created` event arrives. Latency is send-to-receive on one clock (all
clients live in this process). In the same run, N raw Redis pub/sub
subscribers receive the same number of messages of the same size from one
publisher: the floor any Redis-based fan-out can reach on this machine.

Target (issue 4): every message delivered to every client at 500, p99 within
2x the raw pub/sub p99.
"""

import asyncio
import json
import os
import re
import subprocess
import sys
import time

from bench import register
from bench.harness import BASE_DIR, free_port, log, server
from bench.loadgen import percentile

SIZES = (100, 500)
PUBLISHED_AT = re.compile(r'"published_at": ([0-9.]+)')
MESSAGES = 20
GAP_S = 0.25
TIMEOUT_S = 10.0
TARGET_RATIO = 2.0

SETUP_SCRIPT = """
import json
from django.test import Client
from django.utils import timezone
from cop.text import render_markdown
from forums.models import Post, Thread
from people.models import Organisation, User
from spaces.models import Membership, Space

org = Organisation.objects.order_by("pk").first() or Organisation.objects.create(
    name="Bench Organisation", abbreviation="BENCH", type="unit"
)
user, _ = User.objects.get_or_create(
    email="bench.fanout@example.gov.uk",
    defaults={"first_name": "Bench", "last_name": "Fanout"},
)
if org and user.profile.organisation_id is None:
    user.profile.organisation = org
    user.profile.save()
space, _ = Space.objects.get_or_create(
    slug="bench-threads",
    defaults={"name": "Bench threads", "purpose": "Benchmarks.", "lead_organisation": org},
)
Membership.objects.get_or_create(space=space, user=user)
POSTS = int(__POSTS__)
thread, _ = Thread.objects.get_or_create(space=space, title=__TITLE__, defaults={"author": user})
have = thread.posts.count()
if have < POSTS:
    body = "A bench post with **some** Markdown and a [link](https://www.gov.uk)."
    html = render_markdown(body)
    Post.objects.bulk_create(
        [Post(thread=thread, author=user, body=body, body_html=html) for _ in range(POSTS - have)]
    )
    thread.post_count = POSTS
    thread.last_post_at = timezone.now()
    thread.save()
client = Client()
client.force_login(user)
print("BENCH:" + json.dumps({"thread": thread.pk, "cookie": client.cookies["sessionid"].value}))
"""


def bench_data(env, *, title, posts):
    """(thread id, session cookie) for a bench member, made through manage.py."""
    script = SETUP_SCRIPT.replace("__POSTS__", str(posts)).replace(
        "__TITLE__", repr(title)
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH:"):
            data = json.loads(line[len("BENCH:") :])
            return data["thread"], f"sessionid={data['cookie']}"
    raise RuntimeError(f"bench data setup failed: {result.stderr[-2000:]}")


def uvicorn(port):
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "cop.asgi:application",
        "--host=127.0.0.1",
        f"--port={port}",
        "--no-access-log",
        "--log-level=warning",
        "--lifespan=off",
    ]


def server_env(env):
    # The poster sends MESSAGES posts in a few seconds: lift the posting limit.
    return {**env, "COP_POST_RATE": "100000/m"}


def stats(latencies, expected):
    return {
        "delivered": len(latencies),
        "expected": expected,
        "p50_ms": _r(percentile(latencies, 50)),
        "p99_ms": _r(percentile(latencies, 99)),
        "max_ms": _r(max(latencies, default=None)),
    }


def _r(value):
    return None if value is None else round(value, 1)


async def _websocket_fanout(ports, path, cookie, clients):
    from websockets.asyncio.client import connect

    sent = {}
    latencies = []
    delivery = []  # server publish -> client receive: the fan-out alone
    failed_connections = 0

    async def open_socket(port):
        return await connect(
            f"ws://127.0.0.1:{port}{path}",
            additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"},
            open_timeout=30,
            max_size=2**22,
        )

    async def listen(socket):
        try:
            async for raw in socket:
                now = time.perf_counter()
                wall = time.time()
                # Read only what the measurement needs, without decoding the
                # whole event: 500 listeners share this one process, and their
                # own parsing would queue later frames and count as latency.
                if '"post.created"' not in raw or "bench-msg-" not in raw:
                    continue
                key = raw.split("bench-msg-", 1)[1].split("-", 1)[0]
                if key in sent:
                    latencies.append((now - sent[key]) * 1000)
                    published = PUBLISHED_AT.search(raw)
                    if published:
                        delivery.append((wall - float(published.group(1))) * 1000)
        except Exception:  # noqa: BLE001 (a closed socket ends its listener)
            return

    sockets = []
    for start in range(0, clients, 50):  # connect in batches, not a stampede
        batch = await asyncio.gather(
            *(
                open_socket(ports[n % 2])
                for n in range(start, min(clients, start + 50))
            ),
            return_exceptions=True,
        )
        for result in batch:
            if isinstance(result, Exception):
                failed_connections += 1
            else:
                sockets.append(result)
    listeners = [asyncio.create_task(listen(socket)) for socket in sockets]
    poster = await open_socket(ports[0])
    # One unmeasured post first: template loading and first-query costs
    # otherwise land on one message and make up the whole p99.
    await poster.send(json.dumps({"type": "post", "body": "bench warm-up"}))
    await asyncio.sleep(1.0)
    for n in range(MESSAGES):
        key = str(n)
        sent[key] = time.perf_counter()
        await poster.send(json.dumps({"type": "post", "body": f"bench-msg-{key}-x"}))
        await asyncio.sleep(GAP_S)
    deadline = time.monotonic() + TIMEOUT_S
    while len(latencies) < len(sockets) * MESSAGES and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    for socket in [*sockets, poster]:
        await socket.close()
    for task in listeners:
        task.cancel()
    result = stats(latencies, clients * MESSAGES)
    result["failed_connections"] = failed_connections
    # Same clock (one machine): publish to receive, without saving the post.
    result["delivery_p50_ms"] = _r(percentile(delivery, 50))
    result["delivery_p99_ms"] = _r(percentile(delivery, 99))
    return result


async def _raw_pubsub(redis_url, clients, payload_size):
    import redis.asyncio as redis

    channel = f"bench:raw:{os.getpid()}:{clients}"
    sent = {}
    latencies = []
    subscribers = []
    for _ in range(clients):
        connection = redis.Redis.from_url(redis_url)
        pubsub = connection.pubsub()
        await pubsub.subscribe(channel)
        await pubsub.get_message(timeout=1.0)  # the subscribe confirmation
        subscribers.append((connection, pubsub))

    async def listen(pubsub):
        while True:
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=1.0
            )
            if message is None:
                continue
            now = time.perf_counter()
            key = message["data"].split(b":", 1)[0].decode()
            if key in sent:
                latencies.append((now - sent[key]) * 1000)

    listeners = [asyncio.create_task(listen(pubsub)) for _, pubsub in subscribers]
    publisher = redis.Redis.from_url(redis_url)
    padding = b"x" * payload_size
    await asyncio.sleep(0.5)
    await publisher.publish(channel, b"warmup:" + padding)
    await asyncio.sleep(0.5)
    for n in range(MESSAGES):
        key = str(n)
        sent[key] = time.perf_counter()
        await publisher.publish(channel, key.encode() + b":" + padding)
        await asyncio.sleep(GAP_S)
    deadline = time.monotonic() + TIMEOUT_S
    while len(latencies) < clients * MESSAGES and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    for task in listeners:
        task.cancel()
    for connection, pubsub in subscribers:
        await pubsub.aclose()
        await connection.aclose()
    await publisher.aclose()
    return stats(latencies, clients * MESSAGES)


# A post.created event's size on the wire (rendered post HTML in JSON).
EVENT_BYTES = 2500


@register(
    "fanout",
    "post-to-receive p50/p99 at 100 and 500 websocket clients over two processes "
    "and Redis, against raw Redis pub/sub",
)
def fanout(ctx):
    env = server_env(ctx.env)
    thread_id, cookie = bench_data(env, title="Bench fan-out thread", posts=1)
    path = f"/ws/threads/{thread_id}/"
    results = {}
    ports = [free_port(), free_port()]
    with (
        server("fanout-a", uvicorn(ports[0]), env, ports[0]) as server_a,
        server("fanout-b", uvicorn(ports[1]), env, ports[1]) as server_b,
    ):
        for clients in SIZES:
            log(f"fanout: {clients} websocket clients")
            ws = asyncio.run(_websocket_fanout(ports, path, cookie, clients))
            log(f"fanout: {clients} raw pub/sub subscribers")
            raw = asyncio.run(_raw_pubsub(env["REDIS_URL"], clients, EVENT_BYTES))
            ratio = (
                round(ws["p99_ms"] / raw["p99_ms"], 2)
                if ws["p99_ms"] and raw["p99_ms"]
                else None
            )
            results[str(clients)] = {
                "websocket": ws,
                "raw_pubsub": raw,
                "delivery_p99_ratio": round(ws["delivery_p99_ms"] / raw["p99_ms"], 2)
                if ws["delivery_p99_ms"] and raw["p99_ms"]
                else None,
                "p99_ratio": ratio,
                "p50_ratio": round(ws["p50_ms"] / raw["p50_ms"], 2)
                if ws["p50_ms"] and raw["p50_ms"]
                else None,
            }
        peak_rss_mb = [server_a.peak_rss_mb(), server_b.peak_rss_mb()]
    top = results[str(SIZES[-1])]
    all_delivered = all(
        r["websocket"]["delivered"] == r["websocket"]["expected"]
        and r["websocket"]["failed_connections"] == 0
        for r in results.values()
    )
    within = top["p99_ratio"] is not None and top["p99_ratio"] <= TARGET_RATIO
    return {
        **results,
        "ok": all_delivered,
        "target_met": all_delivered and within,
        "setup": {
            "servers": "2 uvicorn processes, one worker each",
            "delivery": "forums.live: one Redis pub/sub subscription per process, local fan-out",
            "messages_per_size": MESSAGES,
            "gap_s": GAP_S,
        },
        "servers_peak_rss_mb": peak_rss_mb,
        "conclusion": (
            f"{SIZES[-1]} clients: "
            f"{'all delivered' if all_delivered else 'NOT all delivered'}, "
            f"p99 {top['websocket']['p99_ms']} ms vs raw pub/sub "
            f"{top['raw_pubsub']['p99_ms']} ms ({top['p99_ratio']}x; target "
            f"{TARGET_RATIO}x {'met' if within else 'missed'}). Of that, saving "
            f"the post is the difference between post-to-receive and "
            f"publish-to-receive: delivery alone p99 "
            f"{top['websocket']['delivery_p99_ms']} ms "
            f"({top['delivery_p99_ratio']}x raw)."
        ),
    }
