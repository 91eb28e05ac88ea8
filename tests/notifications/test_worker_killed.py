"""A Celery worker killed in the middle of a digest run leaves nobody without a
digest and nobody with two, once a worker is running again.

Real parts throughout: PostgreSQL (this run's database), a Redis server of
the test's own as the broker (tests/faults.py), real `celery worker`
processes, and an in-process SMTP server (aiosmtpd) that is slow to accept
recipients, so the kill lands while a batch is mid-send. The first worker is
SIGKILLed (no warm shutdown, no chance to requeue); its unacknowledged batch
comes back after the broker's visibility timeout (5 seconds here, set for the
test; 2 hours in production) to the second worker, which skips everyone
already logged and sends the rest.
"""

import asyncio
import contextlib
import datetime
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter

import pytest
from celery import Celery
from django.contrib.auth import get_user_model

from notifications.delivery import due_member_ids
from notifications.digest import current_period, period_window
from notifications.models import DigestLog
from tests.factories import UserFactory, add_member
from tests.faults import redis_server
from tests.servers import BASE_DIR, database_url, free_port

from .conftest import make_document, make_thread

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 5
RCPT_DELAY = 0.4  # seconds the SMTP server waits before accepting a recipient


@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    delivered = []

    class SlowRelay:
        async def handle_RCPT(self, server, session, envelope, address, options):
            await asyncio.sleep(RCPT_DELAY)
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            delivered.extend(envelope.rcpt_tos)
            return "250 OK"

    port = free_port()
    controller = Controller(SlowRelay(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, delivered
    finally:
        controller.stop()


@contextlib.contextmanager
def worker(env):
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cop", "worker",
             "--concurrency=1", "--loglevel=INFO", "--without-mingle",
             "--without-gossip", "--without-heartbeat"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            yield process, log
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def output(log):
    log.seek(0)
    return log.read().decode(errors="replace")[-4000:]


def wait_for(condition, timeout, message, log=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{message}\n{output(log) if log else ''}")
        time.sleep(0.2)


@pytest.fixture
def due_members(open_space, other_member):
    """A lively week in an open space, and 14 members due a digest about it."""
    period = current_period()
    since, _ = period_window(period)
    inside = since + datetime.timedelta(days=1)
    add_member(open_space, other_member)
    for title in ("Thread one", "Thread two"):
        make_thread(
            open_space,
            other_member,
            title=title,
            created_at=inside,
            last_post_at=inside,
        )
    make_document(open_space, other_member, title="Plan", created_at=inside)
    for n in range(12):
        add_member(open_space, UserFactory(email=f"due{n}@dwp.gov.uk"))
    due = list(due_member_ids(period))
    assert len(due) >= 13
    return period, due


def test_a_worker_killed_mid_digest_leaves_exactly_one_digest_each(
    postgres, due_members, smtp_sink
):
    period, due = due_members
    port, delivered = smtp_sink
    expected = sorted(
        get_user_model().objects.filter(pk__in=due).values_list("email", flat=True)
    )
    with redis_server() as broker:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="cop.settings.dev",
            DATABASE_URL=database_url(),
            DB_POOL="false",
            REDIS_URL=broker.url,
            EMAIL_URL=f"smtp://127.0.0.1:{port}",
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            COP_DIGEST_BATCH_SIZE="5",
            PYTHONUNBUFFERED="1",
        )
        env.pop("PYTEST_XDIST_WORKER", None)
        sent = lambda: DigestLog.objects.filter(period=period).count()  # noqa: E731

        with worker(env) as (first, log):
            wait_for(
                lambda: "ready" in output(log),
                60,
                "the first worker did not start",
                log,
            )
            # Not the current app: shared tasks elsewhere in this test run
            # must keep using the project's app, not this broker.
            producer = Celery(broker=broker.url, set_as_current=False)
            producer.send_task("notifications.tasks.digest_dispatch", args=[period])
            producer.close()
            # Mid-run: some digests are out, most are not.
            wait_for(lambda: sent() >= 3, 60, "the first worker sent nothing", log)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        at_kill = sent()
        assert 3 <= at_kill < len(due), at_kill

        time.sleep(VISIBILITY_TIMEOUT + 1)  # the killed batch becomes visible again
        with worker(env) as (_, log):
            wait_for(lambda: sent() == len(due), 90, "digests were lost", log)
            time.sleep(2)  # anything doubled would arrive now

    assert sent() == len(due)
    counts = Counter(delivered)
    assert sorted(counts) == expected, "someone due got no digest"
    doubled = {address: n for address, n in counts.items() if n > 1}
    assert doubled == {}, f"digests sent twice: {doubled}"
