"""What every benchmark needs: the services, the database, and server processes.

Benchmarks run against the real services, as in production: PostgreSQL
(DATABASE_URL, else a local `cop_bench` database, created if missing) and Redis
(REDIS_URL, else local database 1) for the cache and the channel layer, with
cop.settings.dev and DEBUG off.
"""

import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cop_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
RESERVED_PORTS = {8000}  # `make run`'s port: never take it from a developer


def log(message):
    # stdout carries only the JSON report.
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Context:
    """Handed to every benchmark: options, the servers' environment, the generator."""

    duration: float
    warmup: float
    concurrency: int
    workers: int
    rounds: int
    servers: list
    generator: object
    env: dict
    database_url: str


# --- environment and database -------------------------------------------------


def bench_env():
    """The environment for manage.py and the servers: production-like settings."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cop.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        REDIS_URL=os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        # The load goes to 127.0.0.1 whatever a developer's shell allows.
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def _conninfo(database_url, dbname=None):
    # libpq reads postgres:// and postgresql:// URLs as they are.
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(database_url)
    if dbname:
        params["dbname"] = dbname
    return make_conninfo(**params)


def connect(database_url, dbname=None):
    import psycopg

    return psycopg.connect(_conninfo(database_url, dbname), autocommit=True)


def ensure_database(database_url):
    """Create the benchmark database if it is missing (CREATE DATABASE needs
    a connection to another database: the maintenance `postgres` one)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"benchmarks run on PostgreSQL, not {redact(database_url)}")
    name = conninfo_to_dict(_conninfo(database_url)).get("dbname")
    if not name:
        raise SystemExit(f"DATABASE_URL names no database: {redact(database_url)}")
    try:
        with connect(database_url):
            return False
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise SystemExit(
                f"cannot reach PostgreSQL at {redact(database_url)}: {exc}"
            ) from exc
    with connect(database_url, dbname="postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    log(f"created database {name}")
    return True


def redact(url):
    # Never print a password into a report that may be shared.
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def manage(env, *args, timeout=600):
    log("manage.py " + " ".join(args))
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=sys.stderr,
        stderr=sys.stderr,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode})")


def static_root(env):
    return Path(env.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")


def prepare(env, *, collectstatic=False):
    """Database up to date with demo data; static files collected if needed."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_data")
    # With DEBUG off only STATIC_ROOT is served (WhiteNoise warns at every
    # start without it); the pages we measure do not need it otherwise.
    root = static_root(env)
    if collectstatic or not root.is_dir() or not any(root.iterdir()):
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")


# --- machine -------------------------------------------------------------------


def _cpu_model():
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or None


def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info(env):
    info = {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        # Load from other work on the machine when the run started.
        "loadavg_1m_at_start": round(os.getloadavg()[0], 2),
        "packages": {
            name: _version(name)
            for name in ("django", "wagtail", "channels", "uvicorn", "gunicorn")
            + ("daphne", "psycopg", "channels-redis")
        },
    }
    with connect(env["DATABASE_URL"]) as conn:
        info["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
        info["postgres_max_connections"] = int(
            conn.execute("SHOW max_connections").fetchone()[0]
        )
    try:
        import redis

        client = redis.Redis.from_url(env["REDIS_URL"], socket_timeout=5)
        info["redis"] = client.info("server")["redis_version"]
        client.close()
    except Exception as exc:  # the report still stands without it
        info["redis"] = f"unknown ({type(exc).__name__})"
    return info


# --- PostgreSQL connections --------------------------------------------------


class ConnectionSampler:
    """Peak PostgreSQL connections to the benchmark database while active.

    Polls pg_stat_activity from a thread: cheap (one query per 100 ms), and it
    shows whether the servers stay within the pool or exhaust PostgreSQL.
    """

    def __init__(self, database_url, interval=0.1):
        self.database_url = database_url
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = None
        self._conn = None

    def __enter__(self):
        self._conn = connect(self.database_url)
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def _poll(self):
        query = (
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        while not self._stop.is_set():
            count = self._conn.execute(query).fetchone()[0]
            self.peak = max(self.peak, count)
            self._stop.wait(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        self._conn.close()


# --- server processes ----------------------------------------------------------


def free_port():
    """A free loopback port (never a reserved one) for the next server."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def http_get(port, path, timeout=5.0):
    """(status, body) for one GET to our server; (None, error) if unreachable."""
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (OSError, urllib.error.URLError) as exc:
        return None, str(exc).encode()


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines=40):
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        return ""

    def peak_rss_mb(self):
        """The process's peak resident memory so far (VmHWM), in MB, or None
        once it has gone or where /proc has no such line."""
        with contextlib.suppress(OSError):
            for line in (
                Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
            ):
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        return None

    def log_errors(self):
        """Tracebacks and error lines the server logged: errors the client
        may not see (e.g. a 500 page still counts as a response)."""
        with contextlib.suppress(OSError):
            text = self.log_path.read_text()
            return text.count("Traceback") + text.count("[ERROR]")
        return 0


# --- CPU accounting --------------------------------------------------------------

# Services our requests use: their CPU is part of serving, not other load.
SERVICE_PROCESSES = {"postgres", "redis-server"}


def parse_proc_stat(text):
    """name, pgrp, utime and stime (clock ticks) from a /proc/PID/stat line.
    The name is in parentheses and may hold spaces and ")": split after the
    last one."""
    end = text.rindex(")")
    rest = text[end + 2 :].split()
    # rest[0] is field 3 (state); pgrp is field 5, utime 14, stime 15.
    return {
        "name": text[text.index("(") + 1 : end],
        "pgrp": int(rest[2]),
        "utime": int(rest[11]),
        "stime": int(rest[12]),
    }


def cpu_snapshot():
    """{pid: (pgrp, name, CPU seconds so far)} for every process."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = parse_proc_stat(stat.read_text())
            seconds = (fields["utime"] + fields["stime"]) / ticks
            found[int(stat.parent.name)] = (fields["pgrp"], fields["name"], seconds)
    return found


def cpu_use(before, after, server_pgid, own_pgid):
    """CPU seconds used between two snapshots by the server's process group
    (master and workers), and by other work on the machine: anything but the
    server, this harness with its load generator, PostgreSQL and Redis.

    Server CPU per request is steadier than req/s on a shared machine; other
    work's CPU says how far to trust req/s at all.
    """
    server = others = 0.0
    for pid, (pgrp, name, seconds) in after.items():
        used = seconds - before.get(pid, (None, None, 0.0))[2]
        if pgrp == server_pgid:
            server += used
        elif pgrp != own_pgid and name not in SERVICE_PROCESSES:
            others += used
    return server, others


def _die_with_parent():
    """In the server's child process, before exec: have Linux send SIGTERM if
    the harness dies without cleaning up (SIGKILL, OOM), so no server outlives
    the run. Best effort: a no-op where prctl is unavailable."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop(process, grace=10.0):
    """SIGTERM the server's process group (it is the leader of its own
    session, so this reaches its workers and nothing else), then SIGKILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def server(name, command, env, port, *, ready_path="/healthz", start_timeout=60.0):
    """Run a server subprocess until the block ends, whatever ends it.

    Ready when `ready_path` answers 200: /healthz checks the database, the
    cache and the channel layer, so a server that starts but cannot reach a
    service fails here, not halfway through a measurement.
    """
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS_DIR / f"{name}.log"
    with open(log_path, "w") as log_file:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # our own group: Ctrl-C reaches us, we stop it
            preexec_fn=_die_with_parent,
        )
    running = Server(name, port, process, log_path)
    try:
        log(f"started {name} (pid {process.pid}) on 127.0.0.1:{port}")
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited ({process.returncode}) before it was ready:\n"
                    + running.log_tail()
                )
            status, body = http_get(port, ready_path, timeout=2)
            if status == 200:
                break
            if time.monotonic() > deadline:
                detail = body.decode(errors="replace")[:500]
                raise RuntimeError(f"{name} not ready after {start_timeout}s: {detail}")
            time.sleep(0.2)
        yield running
    finally:
        _stop(process)
        log(f"stopped {name}")


def install_signal_handlers():
    """SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so every
    `server` block's finally clause stops its process."""

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def write_report(report, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    path.write_text(text + "\n")
    return text
