"""The benchmark harness's pure helpers. No load runs here: performance is
measured by `make bench`, never by timed tests."""

import asyncio

import pytest

from bench import BENCHMARKS, load_all
from bench.harness import cpu_use, parse_proc_stat, redact
from bench.loadgen import (
    ProtocolError,
    parse_wrk_output,
    parse_wrk_time,
    percentile,
    read_response,
    summary,
)
from bench.serving import best_run, commands, conclude, ratios

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:41234/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   150.52ms   40.10ms   1.02s    80.00%
    Req/Sec   106.33     20.12   150.00     70.00%
  Latency Distribution
     50%  136.67ms
     75%  160.00ms
     90%  190.00ms
     99%  219.80ms
  1063 requests in 10.01s, 4.60MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 3
Requests/sec:    106.20
Transfer/sec:    470.00KB
"""

WRK_CLEAN = """\
Running 5s test @ http://127.0.0.1:41234/robots.txt
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.85ms    2.10ms  40.00ms   90.00%
    Req/Sec     1.60k   100.00     1.80k    75.00%
  Latency Distribution
     50%    9.30ms
     75%   10.00ms
     90%   12.00ms
     99%  812.00us
  7934 requests in 5.00s, 1.20MB read
Requests/sec:   1586.80
Transfer/sec:    245.00KB
"""


@pytest.mark.parametrize(
    ("q", "expected"),
    [(0, 1.0), (50, 3.0), (100, 5.0), (25, 2.0), (99, 4.96)],
)
def test_percentile_interpolates_linearly(q, expected):
    assert percentile([5.0, 1.0, 4.0, 2.0, 3.0], q) == pytest.approx(expected)


def test_percentile_of_one_value_and_of_none():
    assert percentile([7.5], 99) == 7.5
    assert percentile([], 50) is None


def test_percentile_rejects_out_of_range():
    with pytest.raises(ValueError):
        percentile([1.0], 101)


@pytest.mark.parametrize(
    ("text", "ms"),
    [("812.00us", 0.812), ("6.51ms", 6.51), ("1.02s", 1020.0), ("1.50m", 90_000.0)],
)
def test_parse_wrk_time_units(text, ms):
    assert parse_wrk_time(text) == pytest.approx(ms)


def test_parse_wrk_time_rejects_garbage():
    with pytest.raises(ValueError):
        parse_wrk_time("fast")


def test_parse_wrk_output_with_errors():
    parsed = parse_wrk_output(WRK_OUTPUT)
    assert parsed["requests"] == 1063
    assert parsed["seconds"] == pytest.approx(10.01)
    assert parsed["rps"] == pytest.approx(106.2)
    assert parsed["percentiles_ms"][50] == pytest.approx(136.67)
    assert parsed["percentiles_ms"][99] == pytest.approx(219.8)
    assert parsed["mean_ms"] == pytest.approx(150.52)
    assert parsed["max_ms"] == pytest.approx(1020.0)
    assert parsed["errors"] == {
        "connect": 0,
        "read": 2,
        "write": 0,
        "timeout": 1,
        "status": 3,
    }


def test_parse_wrk_output_without_error_lines_has_zero_errors():
    parsed = parse_wrk_output(WRK_CLEAN)
    assert sum(parsed["errors"].values()) == 0
    assert parsed["percentiles_ms"][99] == pytest.approx(0.812)
    assert parsed["requests"] == 7934


def test_parse_wrk_output_rejects_other_text():
    with pytest.raises(ValueError):
        parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused")


def test_summary_counts_errors_and_rate():
    result = summary(
        generator="test",
        requests=500,
        seconds=5.0,
        p50_ms=1.234,
        p99_ms=9.876,
        errors={"read": 1, "status": 2},
    )
    assert result["rps"] == 100.0
    assert result["errors"] == 3
    assert result["p50_ms"] == 1.23


def _read(raw):
    async def go():
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        reader.feed_eof()
        return await read_response(reader)

    return asyncio.run(go())


def test_read_response_content_length_keep_alive():
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
    )
    assert _read(raw) == (200, True, 5)


def test_read_response_connection_close():
    raw = b"HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno"
    assert _read(raw) == (404, False, 2)


def test_read_response_chunked():
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    assert _read(raw) == (200, True, 11)


def test_read_response_until_close_without_length():
    assert _read(b"HTTP/1.1 200 OK\r\n\r\nbody") == (200, False, 4)


def test_read_response_rejects_a_non_http_reply():
    with pytest.raises(ProtocolError):
        _read(b"SSH-2.0-OpenSSH\r\n\r\n")


def _run(rps, p50=10.0, p99=20.0, errors=0):
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def test_ratios_are_asgi_over_wsgi():
    results = {
        "gunicorn": {"/": _run(100.0), "/robots.txt": _run(1000.0, 5.0, 10.0)},
        "uvicorn": {"/": _run(50.0, 20.0, 40.0), "/robots.txt": _run(250.0)},
    }
    found = ratios(results)
    assert found == {
        "uvicorn/gunicorn": {
            "/": {"rps": 0.5, "p50": 2.0, "p99": 2.0, "cpu_per_request": None},
            "/robots.txt": {
                "rps": 0.25,
                "p50": 2.0,
                "p99": 2.0,
                "cpu_per_request": None,
            },
        }
    }


def _server(page_rps, page_cpu=None, errors=0):
    page = _run(page_rps, errors=errors)
    page["server_cpu_ms_per_request"] = page_cpu
    return {"/": page, "/robots.txt": _run(1000.0)}


@pytest.mark.parametrize(
    ("asgi_rps", "start"),
    [
        (80.0, "WSGI serves pages faster"),
        (120.0, "ASGI serves pages faster"),
        (102.0, "WSGI and ASGI serve pages equally fast"),
    ],
)
def test_conclusion_names_the_faster_kind(asgi_rps, start):
    results = {"gunicorn": _server(100.0), "uvicorn": _server(asgi_rps)}
    text = conclude(results, rounds=3)
    assert text.startswith(start)
    assert "One round only" not in text


def test_conclusion_warns_when_cpu_per_page_disagrees():
    results = {"gunicorn": _server(100.0, 7.0), "uvicorn": _server(103.0, 10.5)}
    text = conclude(results, rounds=3)
    assert "equally fast" in text
    assert "ASGI spends 1.50x the CPU per page" in text


def test_conclusion_warns_when_other_work_loaded_the_machine():
    results = {"gunicorn": _server(100.0), "uvicorn": _server(80.0)}
    results["gunicorn"]["/"]["other_load_cores"] = 1.2
    text = conclude(results, rounds=3)
    assert text.startswith("UNRELIABLE, other work kept up to 1.2 cores busy")


def test_conclusion_asks_for_rounds_after_one():
    results = {"gunicorn": _server(100.0), "uvicorn": _server(80.0)}
    assert "confirm with --rounds 3" in conclude(results)


def test_conclusion_flags_errors_and_failed_servers():
    results = {
        "gunicorn": _server(100.0, errors=4),
        "uvicorn": _server(80.0),
        "daphne": {"error": "exited"},
    }
    text = conclude(results)
    assert text.startswith("UNRELIABLE, 4 errors")
    assert "Did not run: daphne" in text
    assert conclude({"gunicorn": {"error": "exited"}}).startswith("Not enough")


def test_servers_start_on_loopback_with_the_same_workers():
    found = commands(45678, workers=2)
    assert set(found) == {"uvicorn", "gunicorn"}  # daphne runs one process only
    assert "--workers=2" in found["uvicorn"]
    assert "--workers=2" in found["gunicorn"]
    assert "--bind=127.0.0.1:45678" in found["gunicorn"]
    assert "daphne" in commands(45678, workers=1)


def test_redact_hides_passwords():
    assert (
        redact("postgres://bench:s3cret@db:5432/cop")
        == "postgres://bench:***@db:5432/cop"
    )
    assert redact("redis://127.0.0.1:6379/1") == "redis://127.0.0.1:6379/1"


def test_registry_lists_serving():
    load_all()
    assert "serving" in BENCHMARKS
    assert callable(BENCHMARKS["serving"].run)


def test_parse_proc_stat_copes_with_spaces_in_the_command():
    line = (
        "4242 (gunicorn: worker [x]) S 4241 4240 4240 0 -1 4194560 9 0 0 0 "
        "150 25 0 0 20 0 1 0 100 1000 10 18446744073709551615"
    )
    assert parse_proc_stat(line) == {
        "name": "gunicorn: worker [x]",
        "pgrp": 4240,
        "utime": 150,
        "stime": 25,
    }


def test_cpu_use_splits_server_from_other_work():
    before = {
        10: (10, "python", 1.0),  # the server's master
        20: (5, "python", 4.0),  # the harness itself
        30: (30, "postgres", 2.0),
        40: (40, "pytest", 0.5),  # someone else's work
    }
    after = {
        10: (10, "python", 1.5),
        11: (10, "python", 3.0),  # a worker started meanwhile
        20: (5, "wrk", 9.0),
        30: (30, "postgres", 5.0),
        40: (40, "pytest", 2.5),
    }
    server, others = cpu_use(before, after, server_pgid=10, own_pgid=5)
    assert server == pytest.approx(3.5)
    assert others == pytest.approx(2.0)


def test_best_run_keeps_the_fastest_rounds_latencies_and_sums_errors():
    def run(rps, p99, errors):
        return {
            "rps": rps,
            "p99_ms": p99,
            "errors": errors,
            "server_log_errors": 0,
            "db_connections_peak": 3,
            "error_detail": {"read": errors},
        }

    chosen = best_run([run(90.0, 30.0, 0), run(110.0, 10.0, 1), run(100.0, 20.0, 0)])
    assert chosen["rps"] == 110.0
    assert chosen["p99_ms"] == 10.0
    assert chosen["rounds_rps"] == [90.0, 110.0, 100.0]
    assert chosen["errors"] == 1
    assert chosen["error_detail"] == {"read": 1}
    assert best_run([run(90.0, 30.0, 0)])["rps"] == 90.0


def test_peak_rss_of_a_running_process_and_of_one_that_has_gone(tmp_path):
    import subprocess
    import sys
    import time

    from bench.harness import Server

    # A child that holds 64 MB and waits: its peak must show at least that.
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; b = bytearray(64 << 20); sys.stdin.read()"],
        stdin=subprocess.PIPE,
    )
    running = Server("child", 0, child, tmp_path / "child.log")
    try:
        deadline = time.monotonic() + 10
        peak = running.peak_rss_mb()
        while (peak is None or peak < 64) and time.monotonic() < deadline:
            time.sleep(0.05)
            peak = running.peak_rss_mb()
        assert peak >= 64
    finally:
        child.communicate(input=b"", timeout=10)
    assert running.peak_rss_mb() is None
