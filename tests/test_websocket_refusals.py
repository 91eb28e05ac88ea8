"""Websocket connections are refused from other origins and for visitors."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from cop.asgi import application


async def connect(path, *, origin=b"http://127.0.0.1", cookie=None):
    headers = [(b"origin", origin)] if origin else []
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def session_cookie(user):
    client = Client()
    await sync_to_async(client.force_login)(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.django_db(transaction=True)
async def test_visitor_is_refused():
    communicator, connected, code = await connect("/ws/me/")
    assert not connected
    assert code == 4401


@pytest.mark.django_db(transaction=True)
async def test_other_origin_is_refused_even_when_signed_in(member):
    cookie = await session_cookie(member)
    communicator, connected, _ = await connect(
        "/ws/me/", origin=b"https://evil.example", cookie=cookie
    )
    assert not connected


@pytest.mark.django_db(transaction=True)
async def test_malformed_frames_get_an_error_and_keep_the_connection(member):
    cookie = await session_cookie(member)
    communicator, connected, _ = await connect("/ws/me/", cookie=cookie)
    assert connected
    await communicator.send_to(text_data="{not json")
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()
