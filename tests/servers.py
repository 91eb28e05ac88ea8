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

BASE_DIR = Path(__file__).resolve().parents[1]


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


def server_env(*, redis_url, run_id, db_url=None, **extra):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cop.settings.test",
        DATABASE_URL=db_url or database_url(),
        REDIS_URL=redis_url,
        COP_TEST_RUN_ID=run_id,
        DB_POOL="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


class Server:
    """One uvicorn process on a fixed loopback port, which can be killed and
    started again on the same port (as a supervisor would)."""

    def __init__(self, env, port=None):
        self.env = env
        self.port = port or free_port()
        self.process = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "cop.asgi:application",
                "--host=127.0.0.1",
                f"--port={self.port}",
                "--lifespan=off",
                "--log-level=warning",
                "--no-access-log",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_ready(self, deadline):
        while not _ready(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + self.output()[-3000:])
            time.sleep(0.2)

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def kill(self):
        """SIGKILL: no graceful shutdown, sockets dropped mid-stream."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self):
        self.stop()
        self.log.close()


@contextlib.contextmanager
def server_group(count, *, env, timeout=60):
    servers = [Server(env) for _ in range(count)]
    try:
        for server in servers:
            server.start()
        deadline = time.monotonic() + timeout
        for server in servers:
            server.wait_ready(deadline)
        yield servers
    finally:
        for server in servers:
            server.close()


@contextlib.contextmanager
def asgi_servers(count, *, redis_url, run_id, timeout=60):
    """`count` uvicorn processes sharing this run's database and Redis.

    COP_TEST_RUN_ID gives them one cache and channel-layer prefix, so a group
    message sent by one reaches sockets held by another.
    """
    env = server_env(redis_url=redis_url, run_id=run_id)
    with server_group(count, env=env, timeout=timeout) as servers:
        yield [server.port for server in servers]
