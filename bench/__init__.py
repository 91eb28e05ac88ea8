"""Benchmarks for Joined Up: `make bench` (or `python -m bench`) prints a JSON report.

A benchmark is a function registered by name that takes the run's
`harness.Context` and returns a JSON-able dict. To add one, write a module with

    @register("name", "what it measures")
    def name(ctx): ...

and list the module in MODULES, so `--list` and `--only` see it without the
CLI knowing about it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

# Modules that register benchmarks, in the order they run.
MODULES = [
    "bench.serving",
    "bench.search",
    "bench.directory",
    "bench.digest",
    "bench.documents",
    "bench.fanout",
    "bench.threads",
    "bench.casestudies",
]


@dataclass(frozen=True)
class Benchmark:
    name: str
    help: str
    run: Callable[..., dict]


BENCHMARKS: dict[str, Benchmark] = {}


def register(name, help_text):
    def decorator(function):
        if name in BENCHMARKS:
            raise ValueError(f"benchmark {name!r} registered twice")
        BENCHMARKS[name] = Benchmark(name, help_text, function)
        return function

    return decorator


def load_all():
    for module in MODULES:
        import_module(module)
    return BENCHMARKS
