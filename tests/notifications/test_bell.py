"""The bell's count updates live over the member's websocket (/ws/me/)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from cop.asgi import application
from notifications.models import Kind, Notification
from notifications.services import Event, notification_mark_read, notify


async def connect_as(user):
    client = Client()
    await sync_to_async(client.force_login)(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    communicator = WebsocketCommunicator(
        application,
        "/ws/me/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", cookie.encode())],
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.django_db(transaction=True)
async def test_a_new_notification_pushes_the_count_and_reading_it_pushes_again(
    member, other_member
):
    communicator = await connect_as(member)
    spy = await connect_as(other_member)
    event = Event(
        kind=Kind.MENTION, title="Tom mentioned you", url="/t/1/", actor=other_member
    )
    created = await sync_to_async(notify)(event=event, recipients=[member])
    message = await communicator.receive_json_from(timeout=5)
    assert message["type"] == "notification"
    assert message["notification"]["unread"] == 1
    assert message["notification"]["item"]["title"] == "Tom mentioned you"
    # Another member's socket hears nothing about it.
    assert await spy.receive_nothing(timeout=0.2)

    await sync_to_async(notify)(event=event, recipients=[member])
    assert (await communicator.receive_json_from(timeout=5))["notification"][
        "unread"
    ] == 2

    await sync_to_async(notification_mark_read)(
        user=member, notification_id=created[0].pk
    )
    message = await communicator.receive_json_from(timeout=5)
    assert message["notification"] == {"unread": 1}
    assert await sync_to_async(Notification.objects.filter(read_at=None).count)() == 1
    await communicator.disconnect()
    await spy.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_bell_can_ask_for_its_count_after_a_reconnect(member):
    await sync_to_async(Notification.objects.create)(
        recipient=member, kind=Kind.REPLY, title="Missed while offline"
    )
    communicator = await connect_as(member)
    await communicator.send_json_to({"type": "unread"})
    message = await communicator.receive_json_from(timeout=5)
    assert message == {"type": "notification", "notification": {"unread": 1}}
    await communicator.disconnect()
