"""Per-member websocket: carries that member's live notifications (group user.<id>)."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

# The frames this socket takes ({"type": "ping"}, {"type": "unread"}) are tiny.
MAX_FRAME_CHARS = 1024


def user_group(user_id):
    return f"user.{user_id}"


class UserConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Binary, empty and oversized frames get the same polite refusal as
        # anything else this socket does not take, and the connection stays.
        if not text_data or len(text_data) > MAX_FRAME_CHARS:
            return await self.receive_json(None)
        await self.receive_json(await self.decode_json(text_data))

    async def receive_json(self, content, **kwargs):
        # This socket only listens; anything sent to it gets a polite refusal
        # rather than a dropped connection.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        elif isinstance(content, dict) and content.get("type") == "unread":
            # The bell asks on (re)connect, so a count missed while the
            # socket was down is put right.
            await self.send_json(
                {
                    "type": "notification",
                    "notification": {"unread": await self.unread_count()},
                }
            )
        else:
            await self.send_json(
                {"type": "error", "error": "This connection only receives."}
            )

    @classmethod
    async def decode_json(cls, text_data):
        import json

        try:
            return json.loads(text_data)
        except (TypeError, ValueError, RecursionError):
            return None

    async def notify(self, event):
        await self.send_json(
            {"type": "notification", "notification": event.get("payload", {})}
        )

    @database_sync_to_async
    def unread_count(self):
        from .models import Notification

        return Notification.objects.filter(
            recipient_id=self.scope["user"].pk, read_at__isnull=True
        ).count()
