"""Redis or PostgreSQL away: pages degrade, writes stand, work is not lost.

"Away" here is real: a Redis URL on a loopback port nothing listens on, and
a broker that refuses connections. The end-to-end versions (a Redis killed
and restarted under two servers, a PostgreSQL outage) are in
tests/forums/test_live_faults.py and tests/test_database_outage.py.
"""

import datetime
import json
import time

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import path

from cop import outbox
from cop.cache import ResilientRedisCache
from cop.models import QueuedTask
from forums import live, services
from forums.models import Post
from tests.factories import add_member
from tests.servers import free_port


def dead_redis_url():
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def dead_cache():
    return ResilientRedisCache(dead_redis_url(), {})


def test_an_unreachable_cache_behaves_as_empty_and_says_so(dead_cache):
    assert dead_cache.get("k", "default") == "default"
    assert dead_cache.degraded
    assert dead_cache.set("k", 1) is None
    assert dead_cache.add("k", 1) is False
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.has_key("k") is False
    with pytest.raises(ValueError):
        dead_cache.incr("k")
    assert dead_cache.get_or_set("k", "computed") == "computed"
    with pytest.raises(Exception):  # noqa: B017 (whatever redis-py raises)
        dead_cache.probe()


def test_the_breaker_skips_redis_while_it_is_away(dead_cache):
    dead_cache.get("k")
    started = time.perf_counter()
    for _ in range(200):
        dead_cache.get("k")
    # No connection attempt per call: 200 calls cost far less than one connect timeout.
    assert time.perf_counter() - started < 0.5


def test_a_working_cache_still_caches(redis_url):
    cache = ResilientRedisCache(redis_url, {"KEY_PREFIX": f"resilience-{time.time()}"})
    cache.set("k", "v", 30)
    assert cache.get("k") == "v"
    assert cache.add("k", "w") is False
    cache.set("n", 1, 30)
    assert cache.incr("n") == 2
    cache.probe()
    assert not cache.degraded


@pytest.mark.django_db
def test_posting_saves_when_the_cache_holding_rate_limits_is_down(
    open_space, member, dead_cache, monkeypatch
):
    add_member(open_space, member)
    thread = services.thread_create(
        space=open_space, author=member, title="Redis is away", body="First post"
    )
    monkeypatch.setattr(services, "cache", dead_cache)
    post = services.post_create(thread=thread, author=member, body="Still saved")
    assert Post.objects.filter(pk=post.pk).exists()


def test_publishing_to_an_unreachable_redis_does_not_raise(settings, caplog):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [dead_redis_url()]},
        }
    }
    live._sync_clients.clear()
    live.publish(1, {"type": "post.created"})
    live._sync_clients.clear()
    assert "could not publish" in caplog.text


# --- the outbox ---------------------------------------------------------------


@pytest.fixture
def broker(settings, monkeypatch):
    """Point the outbox at a Celery app of the test's own (never the project's
    app, whose connection pools other tests share)."""
    from celery import Celery

    settings.CELERY_TASK_ALWAYS_EAGER = False
    made = []

    def use(url, queue="celery"):
        app = Celery("outbox-test", broker=url, set_as_current=False)
        app.conf.task_default_queue = queue
        made.append(app)
        monkeypatch.setattr(outbox, "current_app", app)
        return app

    yield use
    for app in made:
        app.close()


@pytest.fixture
def broker_down(broker):
    return broker(dead_redis_url())


@pytest.mark.django_db(transaction=True)
def test_a_task_the_broker_refuses_waits_in_the_outbox(broker_down):
    from home.tasks import heartbeat

    outbox.enqueue(heartbeat)
    row = QueuedTask.objects.get()
    assert row.task == "home.heartbeat"
    assert row.attempts == 1
    assert row.last_error
    assert outbox.backlog()["queued"] == 1
    # The sweep cannot send either, and keeps it.
    assert outbox.flush(grace=datetime.timedelta(0)) == (0, 1)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_queues_nothing(broker_down):
    from django.db import transaction

    from home.tasks import heartbeat

    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(heartbeat)
        raise RuntimeError("the change failed")
    assert not QueuedTask.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_sweep_sends_the_backlog_once_the_broker_is_back(redis_url, broker):
    from kombu import Connection

    from home.tasks import heartbeat
    from notifications.tasks import send_notification_email

    broker(dead_redis_url())
    outbox.enqueue(heartbeat)
    outbox.enqueue(send_notification_email, 7)
    assert QueuedTask.objects.count() == 2  # the broker refused both

    queue = f"outbox-test-{time.time()}"
    broker(redis_url, queue=queue)  # Redis is back
    assert outbox.flush(grace=datetime.timedelta(0)) == (2, 0)
    with Connection(redis_url) as connection:
        simple = connection.SimpleQueue(queue)
        received = []
        for _ in range(2):
            message = simple.get(timeout=5)
            received.append((message.headers["task"], message.payload[0]))
            message.ack()
        simple.close()
    assert sorted(received) == [
        ("home.heartbeat", []),
        ("notifications.tasks.send_notification_email", [7]),
    ]


@pytest.mark.django_db
def test_healthz_reports_an_outbox_backlog(client):
    row = QueuedTask.objects.create(task="home.heartbeat", args=[])
    QueuedTask.objects.filter(pk=row.pk).update(
        created_at=row.created_at - datetime.timedelta(minutes=5)
    )
    data = json.loads(client.get("/healthz").content)
    assert data["outbox"]["status"] == "backlog"
    assert data["outbox"]["queued"] == 1
    assert data["status"] == "degraded"


# --- the database away ---------------------------------------------------------


def lost_database(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("lost-database/", lost_database)]
handler500 = "cop.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_losing_the_database_gives_a_clear_503(client):
    client.raise_request_exception = False
    response = client.get("/lost-database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "has not been saved" in body
