"""The per-process Redis subscription that carries thread events (forums.live)."""

import os

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from cop.asgi import application
from forums import live, services

from .test_consumer import cookie_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_layer(redis_url, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"cop-test-live-{os.getpid()}"},
        }
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


async def test_one_subscription_per_process_fans_out_and_is_dropped(
    redis_layer, thread, member, other_member
):
    assert live.uses_pubsub()
    sockets = []
    for user in (member, other_member):
        communicator = WebsocketCommunicator(
            application,
            f"/ws/threads/{thread.pk}/",
            headers=[
                (b"origin", b"http://127.0.0.1"),
                (b"cookie", (await cookie_for(user)).encode()),
            ],
        )
        connected, _ = await communicator.connect()
        assert connected
        sockets.append(communicator)
    channel = live.redis_channel(thread.pk)
    assert len(live.hub().watchers[channel]) == 2

    post = await sync_to_async(services.post_create)(
        thread=thread, author=other_member, body="Over Redis"
    )
    for communicator in sockets:
        event = await communicator.receive_json_from(timeout=5)
        assert event["type"] == "post.created" and event["post_id"] == post.pk

    for communicator in sockets:
        await communicator.disconnect()
    assert channel not in live.hub().watchers
