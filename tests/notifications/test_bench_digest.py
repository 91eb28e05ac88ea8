"""bench/digest.py's verdict (no load runs here: `make bench` measures)."""

from bench import load_all
from bench.digest import conclude


def report(ms, load=0.5):
    return {
        "members": 10000,
        "batch_size": 500,
        "build": {
            "ms_per_member": 1.0,
            "cpu_ms_per_member": 0.9,
            "queries_per_batch": 16,
        },
        "send": {
            "ms_per_member": ms,
            "cpu_ms_per_member": 4.0,
            "members_per_s": 1000 / ms,
        },
        "peak_rss_mb": 150.0,
        "loadavg_1m_at_end": load,
    }


def test_the_digest_benchmark_is_registered():
    assert "digest" in load_all()


def test_the_verdict_compares_with_the_aim_and_flags_a_busy_machine():
    assert "meets the aim of 10 ms" in conclude(report(8.0))
    assert "misses the aim of 10 ms" in conclude(report(18.0))
    assert "UNRELIABLE" in conclude(report(8.0, load=99))
    assert "16 queries per batch of 500" in conclude(report(8.0))
