"""Thread page: requests/s for a thread of 500 posts, signed in, under uvicorn.

The page shows 25 posts at a time; its query count does not grow with the
thread (tests/forums/test_query_budget.py), so this measures rendering and
the per-request cost of sessions and access checks. The first page and the
last page are measured side by side.
"""

import asyncio
import time

from bench import register
from bench.fanout import bench_data, server_env, uvicorn
from bench.harness import free_port, log, server
from bench.loadgen import LOOPBACK, _connection, _Tally, percentile, summary

POSTS = 500


async def _load(port, path, cookie, duration, concurrency):
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\n"
        f"Cookie: {cookie}\r\nUser-Agent: joined-up-bench\r\nAccept: text/html\r\n\r\n"
    ).encode()
    tally = _Tally()
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(_connection(port, request, deadline, tally) for _ in range(concurrency))
    )
    return tally, time.perf_counter() - started


def measure(port, path, cookie, ctx):
    if ctx.warmup:
        asyncio.run(_load(port, path, cookie, ctx.warmup, ctx.concurrency))
    tally, seconds = asyncio.run(
        _load(port, path, cookie, ctx.duration, ctx.concurrency)
    )
    latencies = tally.latencies_ms
    return summary(
        generator="python asyncio streams (with session cookie)",
        requests=len(latencies),
        seconds=seconds,
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        mean_ms=sum(latencies) / len(latencies) if latencies else None,
        max_ms=max(latencies, default=None),
        errors=tally.errors,
    )


@register("threads", f"thread page req/s at {POSTS} posts (first and last page)")
def threads(ctx):
    env = server_env(ctx.env)
    thread_id, cookie = bench_data(env, title=f"Bench thread of {POSTS}", posts=POSTS)
    port = free_port()
    results = {}
    with server("threads-uvicorn", uvicorn(port), env, port) as running:
        for label, path in (
            ("first_page", f"/forums/threads/{thread_id}/"),
            ("last_page", f"/forums/threads/{thread_id}/?page=last"),
        ):
            log(f"threads: {label}")
            results[label] = measure(port, path, cookie, ctx)
        peak_rss_mb = running.peak_rss_mb()
    errors = sum(run["errors"] for run in results.values())
    first, last = results["first_page"], results["last_page"]
    return {
        **results,
        "ratio_last_to_first_rps": round(last["rps"] / first["rps"], 2)
        if first["rps"]
        else None,
        "ok": errors == 0,
        "setup": {
            "posts": POSTS,
            "concurrency": ctx.concurrency,
            "server": "uvicorn, 1 worker",
        },
        "server_peak_rss_mb": peak_rss_mb,
        "conclusion": (
            f"thread of {POSTS} posts: {first['rps']} req/s (p99 {first['p99_ms']} ms) "
            f"on the first page, {last['rps']} req/s on the last."
        ),
    }
