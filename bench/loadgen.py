"""HTTP load generators: wrk when it is installed, else a Python asyncio one.

Both return the same dict (see `summary`), so a benchmark does not care which
ran; the report names the generator, because their numbers are not
interchangeable: wrk is C and barely uses a core, while the Python generator
competes with the server for the machine's 2 cores and may cap the fastest runs.

Load only ever goes to 127.0.0.1 and stops after the given duration.
"""

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field

LOOPBACK = "127.0.0.1"
# A request slower than this counts as an error (wrk's `--timeout`, same value).
REQUEST_TIMEOUT_S = 10.0


# --- statistics --------------------------------------------------------------


def percentile(values, q):
    """The q-th percentile (0-100) by linear interpolation, as numpy's default.

    None for no values: a run with no successful request has no latency.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is not within 0-100")
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(
    *,
    generator,
    requests,
    seconds,
    p50_ms,
    p99_ms,
    errors,
    mean_ms=None,
    max_ms=None,
):
    """One run's result, the same shape whichever generator produced it."""
    return {
        "generator": generator,
        "requests": requests,
        "seconds": round(seconds, 2),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": _round(p50_ms),
        "p99_ms": _round(p99_ms),
        "mean_ms": _round(mean_ms),
        "max_ms": _round(max_ms),
        "errors": sum(errors.values()),
        "error_detail": errors,
    }


def _round(value):
    return None if value is None else round(value, 2)


# --- wrk ---------------------------------------------------------------------

_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_SIZE_SUFFIX = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9}


def parse_wrk_time(text):
    """wrk's human time ("812.00us", "6.51ms", "1.02s", "1.00m") in ms."""
    match = re.fullmatch(r"\s*([\d.]+)\s*(us|ms|s|m|h)\s*", text)
    if not match:
        raise ValueError(f"not a wrk time: {text!r}")
    return float(match[1]) * _TIME_UNITS_MS[match[2]]


def _parse_wrk_count(text):
    # wrk abbreviates counts in the thread stats ("1.23k"); totals are plain.
    match = re.fullmatch(r"([\d.]+)([kKmMgG]?)", text.strip())
    if not match:
        raise ValueError(f"not a wrk count: {text!r}")
    return float(match[1]) * _SIZE_SUFFIX[match[2].lower()]


def parse_wrk_output(output):
    """The numbers in `wrk --latency` output.

    wrk counts as errors: socket errors (connect, read, write, timeout) and
    responses with status >= 400 ("Non-2xx or 3xx responses").
    """
    requests = re.search(r"^\s*(\d+) requests in ([\d.]+\w+),", output, re.M)
    if not requests:
        raise ValueError("no 'N requests in T' line in wrk output")
    latency = re.search(
        r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+%?\s*$", output, re.M
    )
    distribution = {
        int(q): parse_wrk_time(value)
        for q, value in re.findall(r"^\s*(\d+)%\s+(\S+)\s*$", output, re.M)
    }
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0, "status": 0}
    if socket:
        for key, value in zip(
            ("connect", "read", "write", "timeout"), socket.groups(), strict=True
        ):
            errors[key] = int(value)
    if non_2xx:
        errors["status"] = int(non_2xx[1])
    return {
        "requests": int(requests[1]),
        "seconds": parse_wrk_time(requests[2]) / 1000,
        "rps": float(rps[1]) if rps else None,
        "mean_ms": parse_wrk_time(latency[1]) if latency else None,
        "max_ms": parse_wrk_time(latency[3]) if latency else None,
        "percentiles_ms": distribution,
        "errors": errors,
    }


def wrk_version(executable="wrk"):
    # `wrk -v` prints its version and exits 1.
    result = subprocess.run(
        [executable, "-v"], capture_output=True, text=True, timeout=10, check=False
    )
    match = re.search(r"wrk (\S+)", result.stdout + result.stderr)
    return match[1] if match else "unknown"


def find_or_install_wrk(install, log):
    """wrk's path; installs Debian's package first when allowed and root."""
    path = shutil.which("wrk")
    if path or not install:
        return path
    apt = shutil.which("apt-get")
    if not apt or os.geteuid() != 0:
        log("wrk is not installed, and installing it needs apt-get as root")
        return None
    log("wrk is not installed: installing Debian's package (--no-install-wrk skips)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}

    def apt_get(*args):
        subprocess.run(
            [apt, *args],
            stdout=sys.stderr,  # stdout carries only the JSON report
            stderr=sys.stderr,
            env=env,
            timeout=300,
            check=False,
        )

    try:
        apt_get("install", "-y", "-q", "wrk")
        if not shutil.which("wrk"):  # the package list may be stale or missing
            apt_get("update", "-q")
            apt_get("install", "-y", "-q", "wrk")
    except (OSError, subprocess.TimeoutExpired) as exc:
        log(f"apt-get failed: {exc}")
    return shutil.which("wrk")


@dataclass
class Wrk:
    executable: str
    version: str

    @property
    def name(self):
        return f"wrk {self.version}"

    def run(self, port, path, *, duration, concurrency):
        # One wrk thread: it saturates a server on one core easily, and leaves
        # the second core to PostgreSQL and the server's own threads.
        command = [
            self.executable,
            "--latency",
            "-t1",
            f"-c{concurrency}",
            f"-d{max(1, round(duration))}s",
            f"--timeout={int(REQUEST_TIMEOUT_S)}s",
            f"http://{LOOPBACK}:{port}{path}",
        ]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=duration + REQUEST_TIMEOUT_S + 30,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr}")
        parsed = parse_wrk_output(result.stdout)
        return summary(
            generator=self.name,
            requests=parsed["requests"],
            seconds=parsed["seconds"],
            p50_ms=parsed["percentiles_ms"].get(50),
            p99_ms=parsed["percentiles_ms"].get(99),
            mean_ms=parsed["mean_ms"],
            max_ms=parsed["max_ms"],
            errors=parsed["errors"],
        )


# --- Python asyncio generator -------------------------------------------------


class ProtocolError(Exception):
    pass


async def read_response(reader):
    """Read one HTTP/1.1 response; return (status, keep_alive, body_length).

    Enough HTTP for our own servers: Content-Length, chunked, or read-to-close.
    """
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ProtocolError(f"bad status line: {lines[0]!r}")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip().lower()
    keep_alive = headers.get("connection") != "close" and parts[0] == "HTTP/1.1"
    if "chunked" in headers.get("transfer-encoding", ""):
        length = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF
            length += size
            if size == 0:
                return status, keep_alive, length
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
        return status, keep_alive, len(body)
    return status, False, len(await reader.read())


@dataclass
class _Tally:
    latencies_ms: list = field(default_factory=list)
    errors: dict = field(
        default_factory=lambda: {"connect": 0, "read": 0, "timeout": 0, "status": 0}
    )


async def _connection(port, request, deadline, tally):
    reader = writer = None
    while time.perf_counter() < deadline:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection(LOOPBACK, port)
            except OSError:
                tally.errors["connect"] += 1
                await asyncio.sleep(0.01)
                continue
        started = time.perf_counter()  # like wrk: from the write, not the connect
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT_S):
                writer.write(request)
                status, keep_alive, _ = await read_response(reader)
        except TimeoutError:
            tally.errors["timeout"] += 1
            keep_alive = False
        except (
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ProtocolError,
            ValueError,
        ):
            tally.errors["read"] += 1
            keep_alive = False
        else:
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)
            if status >= 400:  # wrk's rule, so both generators count alike
                tally.errors["status"] += 1
        if not keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _run_python(port, path, duration, concurrency):
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\n"
        "User-Agent: joined-up-bench\r\nAccept: */*\r\n\r\n"
    ).encode()
    tally = _Tally()
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(_connection(port, request, deadline, tally) for _ in range(concurrency))
    )
    return tally, time.perf_counter() - started


class PythonGenerator:
    """Keep-alive connections on raw asyncio streams (uvloop when installed).

    Raw streams rather than httpx: the client's own CPU time is the limit on a
    2-core machine, and httpx costs several times more per request.
    """

    def __init__(self):
        try:
            import uvloop

            self._loop_factory = uvloop.new_event_loop
            self.name = "python asyncio streams (uvloop)"
        except ImportError:
            self._loop_factory = None
            self.name = "python asyncio streams"

    def run(self, port, path, *, duration, concurrency):
        with asyncio.Runner(loop_factory=self._loop_factory) as runner:
            tally, seconds = runner.run(_run_python(port, path, duration, concurrency))
        latencies = tally.latencies_ms
        return summary(
            generator=self.name,
            requests=len(latencies),
            seconds=seconds,
            p50_ms=percentile(latencies, 50),
            p99_ms=percentile(latencies, 99),
            mean_ms=sum(latencies) / len(latencies) if latencies else None,
            max_ms=max(latencies, default=None),
            errors=tally.errors,
        )


def choose_generator(name, *, install_wrk, log):
    """`auto`: wrk (installing it if allowed), else Python; or exactly `name`."""
    if name in ("auto", "wrk"):
        path = find_or_install_wrk(install_wrk, log)
        if path:
            return Wrk(path, wrk_version(path))
        if name == "wrk":
            raise SystemExit("--generator wrk: wrk is not installed")
        log("wrk unavailable: falling back to the Python load generator")
    return PythonGenerator()
