"""Start real ASGI server processes on loopback for cross-process tests."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    """The URL of the database this test run is using, for the servers."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _ready(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return r.status == 200
    except (OSError, urllib.error.URLError):
        return False


@contextlib.contextmanager
def asgi_servers(count, *, redis_url, run_id, timeout=60):
    """`count` uvicorn processes sharing this run's database and Redis.

    COP_TEST_RUN_ID gives them one cache and channel-layer prefix, so a group
    message sent by one reaches sockets held by another.
    """
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cop.settings.test",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        COP_TEST_RUN_ID=run_id,
        DB_POOL="false",
        PYTHONUNBUFFERED="1",
    )
    env.pop("PYTEST_XDIST_WORKER", None)
    processes = []
    logs = []
    stack = contextlib.ExitStack()
    try:
        for _ in range(count):
            port = free_port()
            log = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
            logs.append(log)
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "cop.asgi:application",
                    "--host=127.0.0.1",
                    f"--port={port}",
                    "--lifespan=off",
                    "--log-level=warning",
                    "--no-access-log",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            processes.append((process, port))
        deadline = time.monotonic() + timeout
        for (process, port), log in zip(processes, logs, strict=True):
            while not _ready(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(
                        "server did not start:\n" + log.read().decode()[-3000:]
                    )
                time.sleep(0.2)
        yield [port for _, port in processes]
    finally:
        for process, _ in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _ in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        stack.close()
