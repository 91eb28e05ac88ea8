"""Live thread: one websocket per open thread page, group `thread.<id>`.

The connection is accepted only for a signed-in member who may read the
thread (spaces.access, asked before accept()); the Origin header is checked
by AllowedHostsOriginValidator in cop/asgi.py. Events reach the socket
through forums.live (a per-process Redis subscription, or the channel
layer's `thread.<id>` group without Redis). Frames the member sends are
validated here and handed to the same services the HTTP views use; a bad
frame gets an error event and the connection stays open.
"""

import asyncio
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from spaces import access

from . import live, services
from .models import Post, Thread

MAX_FRAME_BYTES = 64 * 1024


def _load_thread(user, thread_id):
    thread = Thread.objects.select_related("space").filter(pk=thread_id).first()
    if thread is None or not access.can_view(user, thread):
        return None
    return thread


def _reload_user(user_id):
    from people.models import User

    return User.objects.filter(pk=user_id, is_active=True).first()


def _post(user, thread_id, body):
    thread = Thread.objects.select_related("space").get(pk=thread_id)
    post = services.post_create(thread=thread, author=user, body=body)
    return post.pk


def _react(user, thread_id, post_id, kind):
    post = Post.objects.filter(pk=post_id, thread_id=thread_id).first()
    if post is None:
        raise services.ForumError("There is no such post in this thread.")
    added, counts = services.reaction_toggle(post=post, user=user, kind=kind)
    return added, counts


class ThreadConsumer(AsyncJsonWebsocketConsumer):
    # How often an open socket re-asks spaces.access whether its member may
    # still read the thread.
    recheck_seconds = 60

    async def __call__(self, scope, receive, send):
        if live.uses_pubsub():
            # Events arrive through forums.live's per-process subscription, so
            # this socket needs no channel-layer channel of its own (that
            # would cost a Redis receive per socket; under load channels_redis'
            # BZPOPMIN timed out and took sockets down with it).
            self.channel_layer_alias = "forums-live-needs-no-layer"
        return await super().__call__(scope, receive, send)

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        try:
            thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        except (KeyError, TypeError, ValueError):
            await self.close(code=4404)
            return
        thread = await database_sync_to_async(_load_thread)(user, thread_id)
        if thread is None:
            # Same answer for "no such thread" and "not yours to read".
            await self.close(code=4403)
            return
        self.thread_id = thread_id
        await live.join(self, thread_id)
        await self.accept()
        self.recheck = asyncio.create_task(self._recheck_access(user))

    async def _recheck_access(self, user):
        """Close the socket once the member may no longer read the thread
        (left the space, thread moved, account deactivated)."""
        while True:
            await asyncio.sleep(self.recheck_seconds)
            fresh = await database_sync_to_async(_reload_user)(user.pk)
            thread = fresh and await database_sync_to_async(_load_thread)(
                fresh, self.thread_id
            )
            if not thread:
                await self.close(code=4403)
                return

    async def disconnect(self, code):
        if hasattr(self, "recheck"):
            self.recheck.cancel()
        if hasattr(self, "thread_id"):
            await live.leave(self, self.thread_id)

    async def error(self, message, **extra):
        await self.send_json({"type": "error", "message": message, **extra})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        raw = text_data if text_data is not None else bytes_data
        if raw is None:
            return await self.error("Send a JSON object.")
        size = len(raw.encode() if isinstance(raw, str) else raw)
        if size > MAX_FRAME_BYTES:
            return await self.error("That message is too large (64 KB at most).")
        try:
            content = json.loads(raw)
        except (TypeError, ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: JSON nested thousands deep ("[[[[...").
            return await self.error("That was not valid JSON.")
        if not isinstance(content, dict):
            return await self.error("Send a JSON object with a type.")
        try:
            # "\ud800" is valid JSON but not text anything can store.
            json.dumps(content, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            return await self.error("That was not valid JSON.")
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        user = self.scope["user"]
        try:
            if kind == "post":
                body = content.get("body")
                if not isinstance(body, str):
                    return await self.error("A post needs a text body.")
                if "\x00" in body:
                    # The reply form refuses these too; PostgreSQL cannot store them.
                    return await self.error(
                        "Your post contains a character we cannot accept "
                        "(a null character). Remove it and try again."
                    )
                post_id = await database_sync_to_async(_post)(
                    user, self.thread_id, body
                )
                await self.send_json({"type": "post.ack", "post_id": post_id})
            elif kind == "react":
                post_id, reaction = content.get("post_id"), content.get("kind")
                # JSON true is an int to Python; it is not a post id.
                if (
                    not isinstance(post_id, int)
                    or isinstance(post_id, bool)
                    or not isinstance(reaction, str)
                ):
                    return await self.error("A reaction needs a post_id and a kind.")
                await database_sync_to_async(_react)(
                    user, self.thread_id, post_id, reaction
                )
            elif kind == "ping":
                await self.send_json({"type": "pong"})
            else:
                await self.error("Unknown message type.")
        except services.RateLimited as exc:
            await self.error(exc.message, code="rate_limited")
        except services.ForumError as exc:
            await self.error(exc.message)

    async def thread_event(self, message):
        await self.send_json(message["event"])
