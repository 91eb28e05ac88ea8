"""Serving: is a page served faster over WSGI or over ASGI?

The home page `/` (a Wagtail page: database queries and a template) side by
side with `/robots.txt` (a minimal Django view, no database), under gunicorn
(WSGI) and uvicorn (ASGI; daphne too when it runs one process), each with the
same number of worker processes. On a stock Wagtail site WSGI won by a wide
margin (docs/architecture.md), so production's split between WSGI and ASGI
processes rests on this benchmark's conclusion for our pages.
"""

import os
import sys

from bench import register
from bench.harness import (
    ConnectionSampler,
    cpu_snapshot,
    cpu_use,
    free_port,
    http_get,
    log,
    server,
)

PATHS = ["/", "/robots.txt"]
WSGI = "gunicorn"
# Within this ratio either way the servers are equally fast for our purposes.
TIE = 0.05
# Other work using more cores than this during a run makes its req/s suspect.
BUSY = 0.25


def commands(port, workers):
    """Each server's command line; daphne runs one process only."""
    python = sys.executable
    host = "127.0.0.1"
    found = {
        "uvicorn": [
            python,
            "-m",
            "uvicorn",
            "cop.asgi:application",
            f"--host={host}",
            f"--port={port}",
            f"--workers={workers}",
            "--no-access-log",
            "--log-level=warning",
            # Channels' router has no lifespan support; "auto" logs about it.
            "--lifespan=off",
        ],
        # The sync worker: one request at a time per process, the
        # conventional way to run Django under gunicorn.
        "gunicorn": [
            python,
            "-m",
            "gunicorn",
            "cop.wsgi:application",
            f"--bind={host}:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
            "--timeout=60",
        ],
    }
    if workers == 1:
        found["daphne"] = [
            python,
            "-m",
            "daphne",
            "-b",
            host,
            "-p",
            str(port),
            "-v",
            "0",
            "cop.asgi:application",
        ]
    return found


KIND = {"uvicorn": "asgi", "daphne": "asgi", "gunicorn": "wsgi"}


def measure(ctx, running, path):
    """Warm up (discarded: first requests fill the pool and caches), then
    measure one path on a running server."""
    status, body = http_get(running.port, path)
    if status != 200:
        raise RuntimeError(
            f"{running.name} {path} answered {status}: {body[:300]!r} (expected 200)"
        )
    if ctx.warmup > 0:
        ctx.generator.run(
            running.port, path, duration=ctx.warmup, concurrency=ctx.concurrency
        )
    errors_before = running.log_errors()
    cpu_before = cpu_snapshot()
    with ConnectionSampler(ctx.database_url) as sampler:
        result = ctx.generator.run(
            running.port, path, duration=ctx.duration, concurrency=ctx.concurrency
        )
    server_cpu, other_cpu = cpu_use(
        cpu_before, cpu_snapshot(), running.process.pid, os.getpgrp()
    )
    result["db_connections_peak"] = sampler.peak
    result["server_log_errors"] = running.log_errors() - errors_before
    result["server_cpu_s"] = round(server_cpu, 2)
    result["server_cpu_ms_per_request"] = (
        round(server_cpu * 1000 / result["requests"], 3) if result["requests"] else None
    )
    # Cores other work on the machine kept busy meanwhile, on average.
    result["other_load_cores"] = round(other_cpu / max(result["seconds"], 0.01), 2)
    log(
        f"{running.name} {path}: {result['rps']} req/s, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms, errors {result['errors']}, "
        f"db connections {sampler.peak}, "
        f"server CPU {result['server_cpu_ms_per_request']} ms/request, "
        f"other load {result['other_load_cores']} cores"
    )
    return result


def ratios(results):
    """ASGI / WSGI for each path: rps above 1 and latency below 1 favour ASGI."""
    wsgi = results.get(WSGI)
    found = {}
    if not wsgi or "error" in wsgi:
        return found
    for name, paths in results.items():
        if KIND.get(name) != "asgi" or "error" in paths:
            continue
        found[f"{name}/{WSGI}"] = {
            path: {
                "rps": _ratio(paths[path]["rps"], wsgi[path]["rps"]),
                "p50": _ratio(paths[path]["p50_ms"], wsgi[path]["p50_ms"]),
                "p99": _ratio(paths[path]["p99_ms"], wsgi[path]["p99_ms"]),
                "cpu_per_request": _ratio(
                    paths[path].get("server_cpu_ms_per_request"),
                    wsgi[path].get("server_cpu_ms_per_request"),
                ),
            }
            for path in PATHS
            if path in paths and path in wsgi
        }
    return found


def _ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def _cpu_ratio(wsgi, asgi):
    before = wsgi.get("server_cpu_ms_per_request")
    after = asgi.get("server_cpu_ms_per_request")
    return after / before if before and after else None


def conclude(results, rounds=1):
    """A verdict from the numbers alone: req/s on the page decides, CPU per
    request and the number of rounds say how far to trust it."""
    errors = sum(
        run.get("errors", 0) + run.get("server_log_errors", 0)
        for paths in results.values()
        if "error" not in paths
        for run in paths.values()
    )
    failed = [name for name, paths in results.items() if "error" in paths]
    asgi = {
        name: paths
        for name, paths in results.items()
        if KIND.get(name) == "asgi" and "error" not in paths and "/" in paths
    }
    wsgi = results.get(WSGI)
    if not asgi or not wsgi or "error" in wsgi:
        return "Not enough servers ran to compare WSGI with ASGI."
    best = max(asgi, key=lambda name: asgi[name]["/"]["rps"])
    page = asgi[best]["/"]["rps"] / wsgi["/"]["rps"]
    trivial = asgi[best]["/robots.txt"]["rps"] / wsgi["/robots.txt"]["rps"]
    cpu = _cpu_ratio(wsgi["/"], asgi[best]["/"])
    numbers = (
        f"the page / at {wsgi['/']['rps']:.0f} req/s under {WSGI} vs "
        f"{asgi[best]['/']['rps']:.0f} under {best} (ASGI/WSGI {page:.2f}), "
        f"p99 {wsgi['/']['p99_ms']} vs {asgi[best]['/']['p99_ms']} ms"
        + (f", server CPU per request ASGI/WSGI {cpu:.2f}" if cpu else "")
        + f"; /robots.txt {wsgi['/robots.txt']['rps']:.0f} vs "
        f"{asgi[best]['/robots.txt']['rps']:.0f} req/s (ASGI/WSGI {trivial:.2f})."
    )
    if page < 1 - TIE:
        verdict = (
            f"WSGI serves pages faster: {numbers} Serve HTTP from WSGI workers "
            "and route /ws/ to ASGI processes."
        )
    elif page > 1 + TIE:
        verdict = (
            f"ASGI serves pages faster: {numbers} Serve everything from ASGI "
            f"({best}) processes."
        )
    else:
        verdict = (
            f"WSGI and ASGI serve pages equally fast (within {TIE:.0%}): {numbers} "
            f"Speed does not justify splitting: one ASGI server type ({best}) "
            "is simpler."
        )
    # One ASGI process can use a second core while its threads wait, so req/s
    # at equal process counts can hide a CPU cost that decides capacity once
    # there are as many workers as cores.
    if cpu and cpu > 1 + TIE and page >= 1 - TIE:
        verdict += (
            f" But ASGI spends {cpu:.2f}x the CPU per page: with a worker per "
            "core WSGI would serve more."
        )
    elif cpu and cpu < 1 - TIE and page <= 1 + TIE:
        verdict += (
            f" But ASGI spends only {cpu:.2f}x the CPU per page: with a worker "
            "per core ASGI would serve more."
        )
    busy = max(
        (
            run.get("other_load_cores") or 0
            for paths in results.values()
            if "error" not in paths
            for run in paths.values()
        ),
        default=0,
    )
    if rounds == 1:
        verdict += " One round only: confirm with --rounds 3 before deciding."
    if failed:
        verdict += f" Did not run: {', '.join(failed)}."
    if busy > BUSY:
        verdict = (
            f"UNRELIABLE, other work kept up to {busy:.1f} cores busy during the "
            "runs (req/s suffer most, CPU per request less); rerun on a quiet "
            "machine. " + verdict
        )
    if errors:
        verdict = f"UNRELIABLE, {errors} errors under load. " + verdict
    return verdict


def best_run(runs):
    """The fastest round stands for its server and path, with its own p50/p99:
    other work on a shared machine only ever slows a run down, so the fastest
    round is the least disturbed (as timeit takes the minimum). Errors and
    connections add up over every round."""
    chosen = dict(max(runs, key=lambda run: run["rps"]))
    if len(runs) > 1:
        chosen["rounds_rps"] = [run["rps"] for run in runs]
        chosen["errors"] = sum(run["errors"] for run in runs)
        chosen["server_log_errors"] = sum(run["server_log_errors"] for run in runs)
        chosen["db_connections_peak"] = max(run["db_connections_peak"] for run in runs)
        chosen["error_detail"] = {
            key: sum(run["error_detail"].get(key, 0) for run in runs)
            for key in chosen["error_detail"]
        }
    return chosen


def run_server(ctx, name, command, port):
    """Start one server and measure every path on it; an error dict if it fails."""
    try:
        with server(name, command, ctx.env, port) as running:
            return {path: measure(ctx, running, path) for path in PATHS}
    except RuntimeError as exc:
        # One server failing still leaves the others' numbers to report.
        log(f"{name} failed: {exc}")
        return {"error": str(exc)}


@register("serving", "req/s and p50/p99 for / and /robots.txt, WSGI vs ASGI")
def serving(ctx):
    available = commands(0, ctx.workers)
    names = [name for name in ctx.servers if name in available]
    skipped = {
        name: f"runs one process only (--workers {ctx.workers})"
        if name == "daphne"
        else "unknown server"
        for name in ctx.servers
        if name not in available
    }
    setup = {}
    runs = {name: [] for name in names}
    # Rounds go through every server in turn, so a burst of other load on the
    # machine hits all servers alike rather than one server's every run.
    for round_number in range(ctx.rounds):
        if ctx.rounds > 1:
            log(f"round {round_number + 1} of {ctx.rounds}")
        for name in names:
            port = free_port()
            command = commands(port, ctx.workers)[name]
            setup[name] = "python " + " ".join(command[1:]).replace(str(port), "PORT")
            runs[name].append(run_server(ctx, name, command, port))
    results = {}
    for name, rounds in runs.items():
        failed = [paths for paths in rounds if "error" in paths]
        results[name] = (
            failed[0]
            if failed
            else {path: best_run([paths[path] for paths in rounds]) for path in PATHS}
        )
    measured = [
        run
        for paths in results.values()
        if "error" not in paths
        for run in paths.values()
    ]
    errors = sum(run["errors"] + run["server_log_errors"] for run in measured)
    env = ctx.env
    return {
        **results,
        "ratios": ratios(results),
        "errors_total": errors,
        "ok": errors == 0 and all("error" not in paths for paths in results.values()),
        "setup": {
            "generator": ctx.generator.name,
            "concurrency": ctx.concurrency,
            "duration_s": ctx.duration,
            "warmup_s": ctx.warmup,
            "rounds": ctx.rounds,
            "workers_per_server": ctx.workers,
            "servers": setup,
            "skipped": skipped,
            "settings": env["DJANGO_SETTINGS_MODULE"],
            "debug": env["DJANGO_DEBUG"],
            "db_pool": {
                key: env.get(key, default)
                for key, default in (
                    ("DB_POOL", "true"),
                    ("DB_POOL_MIN", "2"),
                    ("DB_POOL_MAX", "10"),
                )
            },
        },
        "conclusion": conclude(results, ctx.rounds),
    }
