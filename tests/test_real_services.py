"""The same code on the real services: PostgreSQL, Redis as channel layer,
cache and Celery broker. CI sets DATABASE_URL and REDIS_URL, so none of these
skip there (a missing service fails the run)."""

import asyncio
import time

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.cache import cache
from django.db import connection

pytestmark = pytest.mark.services


def test_database_is_postgresql_with_a_connection_pool(postgres, db):
    assert connection.vendor == "postgresql"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
    assert connection.pool is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 130000


def test_cache_is_redis(redis_url):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("services-test", {"n": 1}, 30)
    assert cache.get("services-test") == {"n": 1}
    import redis

    client = redis.Redis.from_url(redis_url)
    assert any(b"services-test" in key for key in client.keys("*services-test*"))


async def test_channel_layer_carries_group_messages_through_redis(redis_url):
    layer = get_channel_layer()
    assert type(layer).__module__.startswith("channels_redis")
    channel = await layer.new_channel()
    await layer.group_add("services-test", channel)
    await layer.group_send("services-test", {"type": "hello", "n": 42})
    message = await asyncio.wait_for(layer.receive(channel), timeout=5)
    assert message == {"type": "hello", "n": 42}
    await layer.group_discard("services-test", channel)


@pytest.mark.django_db(transaction=True)
async def test_member_socket_receives_their_notifications_over_redis(redis_url, member):
    from asgiref.sync import sync_to_async
    from django.test import Client

    from cop.asgi import application

    client = Client()
    await sync_to_async(client.force_login)(member)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    communicator = WebsocketCommunicator(
        application,
        "/ws/me/",
        headers=[(b"cookie", cookie.encode()), (b"origin", b"http://127.0.0.1")],
    )
    connected, _ = await communicator.connect()
    assert connected
    await get_channel_layer().group_send(
        f"user.{member.pk}",
        {"type": "notify", "payload": {"text": "You were mentioned"}},
    )
    received = await communicator.receive_json_from(timeout=5)
    assert received == {
        "type": "notification",
        "notification": {"text": "You were mentioned"},
    }
    await communicator.disconnect()


def test_celery_runs_tasks_on_a_real_worker_over_redis(redis_url):
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping)
    from celery.contrib.testing.worker import start_worker

    from cop.celery import app
    from home.tasks import HEARTBEAT_KEY, heartbeat

    assert app.conf.broker_url.startswith("redis://")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        cache.delete(HEARTBEAT_KEY)
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING"
        ):
            heartbeat.delay()
            deadline = time.monotonic() + 15
            while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
                time.sleep(0.1)
        assert cache.get(HEARTBEAT_KEY) is not None, "the worker never ran the task"
    finally:
        app.conf.task_always_eager = eager
