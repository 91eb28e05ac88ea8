"""`python -m bench [--only NAME] [--duration S] ...`: run benchmarks, print JSON.

Progress goes to stderr; stdout carries only the report, which is also written
to bench/results/latest.json.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

from bench import load_all
from bench.harness import (
    RESULTS_DIR,
    Context,
    bench_env,
    ensure_database,
    install_signal_handlers,
    log,
    machine_info,
    prepare,
    redact,
    write_report,
)
from bench.loadgen import choose_generator


def positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    return parse


def parser(benchmarks):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--list", action="store_true", help="list benchmarks and exit")
    p.add_argument(
        "--only",
        action="append",
        choices=sorted(benchmarks),
        metavar="NAME",
        help="run only this benchmark (repeatable); default: all",
    )
    p.add_argument(
        "--duration",
        type=positive(float),
        default=10.0,
        help="seconds of load per measurement (default 10)",
    )
    p.add_argument(
        "--warmup",
        type=float,
        default=2.0,
        help="seconds of discarded load before each measurement (default 2)",
    )
    p.add_argument(
        "--concurrency",
        type=positive(int),
        default=16,
        help="concurrent connections (default 16)",
    )
    p.add_argument(
        "--workers",
        type=positive(int),
        default=1,
        help="worker processes per server (default 1)",
    )
    p.add_argument(
        "--rounds",
        type=positive(int),
        default=1,
        help="measure every server this many times, interleaved; report the "
        "fastest round (default 1; 3 when the machine is shared or busy)",
    )
    p.add_argument(
        "--servers",
        default="uvicorn,gunicorn,daphne",
        help="comma-separated servers to compare (default uvicorn,gunicorn,daphne)",
    )
    p.add_argument(
        "--generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk if installed (default auto), else Python",
    )
    p.add_argument(
        "--no-install-wrk",
        dest="install_wrk",
        action="store_false",
        help="do not apt-get install wrk when it is missing",
    )
    p.add_argument(
        "--skip-setup",
        action="store_true",
        help="skip migrate / load_demo_data / collectstatic (database ready)",
    )
    p.add_argument(
        "--collectstatic",
        action="store_true",
        help="run collectstatic even if STATIC_ROOT already has files",
    )
    p.add_argument(
        "--output",
        type=Path,
        default=RESULTS_DIR / "latest.json",
        help="where to write the report (default bench/results/latest.json)",
    )
    return p


def main(argv=None):
    benchmarks = load_all()
    args = parser(benchmarks).parse_args(argv)
    if args.list:
        for benchmark in benchmarks.values():
            print(f"{benchmark.name}: {benchmark.help}")
        return 0
    install_signal_handlers()
    started = time.monotonic()
    env = bench_env()
    generator = choose_generator(args.generator, install_wrk=args.install_wrk, log=log)
    log(f"load generator: {generator.name}")
    ensure_database(env["DATABASE_URL"])
    if not args.skip_setup:
        prepare(env, collectstatic=args.collectstatic)
    ctx = Context(
        duration=args.duration,
        warmup=args.warmup,
        concurrency=args.concurrency,
        workers=args.workers,
        rounds=args.rounds,
        servers=[name.strip() for name in args.servers.split(",") if name.strip()],
        generator=generator,
        env=env,
        database_url=env["DATABASE_URL"],
    )
    report = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(env),
        "config": {
            "database": redact(env["DATABASE_URL"]),
            "redis": redact(env["REDIS_URL"]),
            "settings": env["DJANGO_SETTINGS_MODULE"],
            "debug": False,
            "generator": generator.name,
        },
        "benchmarks": {},
    }
    for name in args.only or list(benchmarks):
        log(f"running {name}")
        report["benchmarks"][name] = benchmarks[name].run(ctx)
    report["conclusion"] = " ".join(
        f"{name}: {result['conclusion']}"
        for name, result in report["benchmarks"].items()
        if result.get("conclusion")
    )
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    print(write_report(report, args.output))
    log(f"report written to {args.output}")
    # Non-zero when a benchmark saw errors or could not run: its numbers are
    # not to be relied on, and scripts should notice.
    failed = [
        name
        for name, result in report["benchmarks"].items()
        if not result.get("ok", True)
    ]
    if failed:
        log(f"not ok: {', '.join(failed)} (errors or a server failed; see the report)")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # The servers were stopped as the stack unwound.
        log("interrupted")
        sys.exit(130)
