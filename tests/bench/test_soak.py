"""The soak report's arithmetic: what counts as an error and as a lost post."""

import time

from bench.soak import Stats, Watcher, summary_text


def test_stats_separate_server_errors_from_client_errors():
    stats = Stats()
    started = time.perf_counter()
    stats.record("page:list", started, status=200)
    stats.record("page:list", started, status=404)
    stats.record("page:list", started, status=500)
    stats.record("post", started, error=ConnectionError("reset"))
    report = stats.report(seconds=2)
    assert report["page:list"]["requests"] == 3
    assert report["page:list"]["server_errors"] == 1
    assert report["page:list"]["client_errors"] == 1
    assert report["page:list"]["failures_sample"] == ["HTTP 500"]
    assert report["post"]["server_errors"] == 1
    assert report["post"]["p50_ms"] is None


def test_watcher_counts_tokens_from_live_html_and_catch_up():
    watcher = Watcher(member=None, port=0, thread=1)
    watcher._note("<p>hello (soak-0123456789ab)</p>", 41)
    watcher._note("<p>again (soak-ba9876543210)</p>", "42")
    assert watcher.seen == {"soak-0123456789ab", "soak-ba9876543210"}
    assert watcher.last_post_id == 42


def test_summary_names_the_verdict():
    report = {
        "seconds": 60.0,
        "members": 4,
        "organisations": 3,
        "servers": 2,
        "pages": {
            "search": {
                "requests": 10,
                "rps": 0.2,
                "p50_ms": 40.0,
                "p95_ms": 90.0,
                "p99_ms": 95.0,
                "server_errors": 0,
            }
        },
        "live": {
            "posts_sent": 5,
            "watchers": 2,
            "expected_deliveries": 10,
            "delivered_live": 9,
            "delivered_after_catch_up": 10,
            "missing": 0,
            "reconnects": 1,
        },
        "server_log_errors": 0,
        "passed": True,
    }
    text = summary_text(report)
    assert "Verdict: PASS" in text
    assert "missing 0" in text
    assert "search" in text
