"""Delivering thread events to the sockets watching a thread.

Two ways, chosen by the channel layer in settings:

- With Redis (production, CI): one Redis pub/sub subscription per server
  process and thread, fanned out to that process's sockets in memory. A post
  costs one Redis message per process, not one per socket. The stock
  channel-layer group costs one Redis message per socket, which measured
  3-4x slower than raw pub/sub at 500 clients (../shared/DESIGN.md, Measured
  constraints); this is the "per-process subscription" design measured there.
- Without Redis (development, most tests): the channel layer's groups, so
  the in-memory layer and `WebsocketCommunicator` work as usual.

Either way `publish(thread_id, event)` is called from synchronous service
code after commit, and consumers call `join` / `leave`.
"""

import asyncio
import contextlib
import json
import logging
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)


def thread_group(thread_id):
    return f"thread.{thread_id}"


def _layer_config():
    return settings.CHANNEL_LAYERS.get("default", {})


def uses_pubsub():
    return _layer_config().get("BACKEND", "").startswith("channels_redis")


def _redis_url():
    hosts = _layer_config().get("CONFIG", {}).get("hosts") or []
    host = hosts[0] if hosts else settings.REDIS_URL
    return host["address"] if isinstance(host, dict) else host


def redis_channel(thread_id):
    prefix = _layer_config().get("CONFIG", {}).get("prefix", "asgi")
    return f"{prefix}:forums:{thread_group(thread_id)}"


# --- publishing (sync) ------------------------------------------------------

_sync_clients = {}
_sync_lock = threading.Lock()


def _sync_client():
    import redis

    url = _redis_url()
    with _sync_lock:
        if url not in _sync_clients:
            _sync_clients[url] = redis.Redis.from_url(
                url, socket_connect_timeout=1, socket_timeout=1
            )
        return _sync_clients[url]


def publish(thread_id, event):
    """Send `event` (a dict with a "type") to everyone watching the thread.

    Never raises: live delivery is at most once by design. The post is saved
    before this runs, and watchers fetch what they missed (`?after=` catch-up)
    when their socket reconnects or the hub tells them to resync.
    """
    # When the server sent it (seconds since the epoch): lets a client, or
    # the fan-out benchmark, tell delivery time from time spent saving.
    event = {**event, "published_at": round(time.time(), 6)}
    try:
        _publish(thread_id, event)
    except Exception:  # noqa: BLE001 (Redis away: the save stands, catch-up covers it)
        logger.warning(
            "forums live: could not publish to thread %s", thread_id, exc_info=True
        )


def _publish(thread_id, event):
    if uses_pubsub():
        _sync_client().publish(redis_channel(thread_id), json.dumps(event))
        return
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "thread.event", "event": event}
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(thread_group(thread_id), message)
        return
    # Called from a thread that runs an event loop (rare: scripts, browser
    # tests): async_to_sync refuses there, so send from a helper thread.
    sender = threading.Thread(
        target=async_to_sync(layer.group_send), args=(thread_group(thread_id), message)
    )
    sender.start()
    sender.join(timeout=5)


# --- receiving (async, one hub per process and event loop) -------------------


class _TrackedPubSub(PubSub):
    """redis-py reconnects a dropped pub/sub by itself and resubscribes; what
    was published in between is gone, so every reconnect after the first
    connection asks the hub to resync its sockets."""

    def __init__(self, *args, on_reconnect, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_reconnect = on_reconnect
        self.connects = 0

    async def on_connect(self, connection):
        self.connects += 1
        await super().on_connect(connection)
        if self.connects > 1:
            self.on_reconnect()


class Hub:
    """One Redis connection per process; sockets register per thread."""

    def __init__(self, url):
        import redis.asyncio as redis

        self.redis = redis.Redis.from_url(url)
        self.pubsub = self._new_pubsub()
        self.watchers = {}  # redis channel -> set of consumers
        self.reader = None
        self.lock = asyncio.Lock()

    async def join(self, thread_id, consumer):
        channel = redis_channel(thread_id)
        async with self.lock:
            watchers = self.watchers.setdefault(channel, set())
            if not watchers:
                await self.pubsub.subscribe(channel)
            watchers.add(consumer)
            if self.reader is None or self.reader.done():
                self.reader = asyncio.create_task(self._read())

    async def leave(self, thread_id, consumer):
        channel = redis_channel(thread_id)
        async with self.lock:
            watchers = self.watchers.get(channel)
            if not watchers:
                return
            watchers.discard(consumer)
            if not watchers:
                del self.watchers[channel]
                await self.pubsub.unsubscribe(channel)

    async def _read(self):
        while True:
            try:
                if not self.pubsub.subscribed:
                    await asyncio.sleep(0.05)
                    if not self.watchers:
                        return
                    continue
                message = await self.pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 (a dropped connection: resubscribe)
                logger.warning("forums live: Redis subscription lost; resubscribing")
                await self._recover()
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"].decode()
            text = message["data"].decode()
            consumers = list(self.watchers.get(channel, ()))
            if consumers:
                await asyncio.gather(
                    *(consumer.send(text_data=text) for consumer in consumers),
                    return_exceptions=True,
                )

    def _new_pubsub(self):
        return _TrackedPubSub(
            self.redis.connection_pool,
            ignore_subscribe_messages=True,
            on_reconnect=self._resync_soon,
        )

    def _resync_soon(self):
        asyncio.get_running_loop().create_task(self._resync())

    async def _resync(self):
        consumers = {c for watchers in self.watchers.values() for c in watchers}
        text = json.dumps({"type": "resync"})
        await asyncio.gather(
            *(consumer.send(text_data=text) for consumer in consumers),
            return_exceptions=True,
        )

    async def _recover(self):
        """Resubscribe with backoff, then tell every watcher to catch up.

        Whatever was published while the subscription was down is gone (pub/sub
        keeps nothing), so each socket gets a "resync" event and its page
        fetches the posts after the last one it has.
        """
        delay = 0.5
        while True:
            await asyncio.sleep(delay)
            if await self._resubscribe():
                break
            delay = min(delay * 2, 10)
        await self._resync()

    async def _resubscribe(self):
        async with self.lock:
            with contextlib.suppress(Exception):
                await self.pubsub.aclose()
            self.pubsub = self._new_pubsub()
            if not self.watchers:
                return True
            try:
                await self.pubsub.subscribe(*self.watchers)
            except Exception as exc:  # noqa: BLE001 (still down: the caller backs off)
                logger.info("forums live: resubscribe failed (%s)", exc)
                return False
            return True


_hubs = {}


def hub():
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = Hub(_redis_url())
    return found


async def join(consumer, thread_id):
    if uses_pubsub():
        await hub().join(thread_id, consumer)
    else:
        await consumer.channel_layer.group_add(
            thread_group(thread_id), consumer.channel_name
        )


async def leave(consumer, thread_id):
    if uses_pubsub():
        await hub().leave(thread_id, consumer)
    else:
        await consumer.channel_layer.group_discard(
            thread_group(thread_id), consumer.channel_name
        )
