"""Across processes: a post made through server A reaches a socket held by server B.

Two uvicorn processes on loopback share this run's database and the real
Redis channel layer. Needs REDIS_URL (skips locally without it, fails in CI).
"""

import asyncio
import json
import os
import re

import httpx
import pytest
from django.conf import settings
from django.test import Client
from websockets.asyncio.client import connect

from forums.models import Post
from tests.servers import asgi_servers

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.fixture
def servers(redis_url, thread):
    with asgi_servers(
        2, redis_url=redis_url, run_id=f"-forums2p-{os.getpid()}"
    ) as ports:
        yield ports


async def next_event(socket, wanted, timeout=5):
    async def wait():
        while True:
            event = json.loads(await socket.recv())
            if event["type"] == wanted:
                return event

    return await asyncio.wait_for(wait(), timeout)


def test_post_through_one_process_reaches_a_socket_on_another(
    servers, thread, member, other_member
):
    port_a, port_b = servers
    watcher_cookie = session_cookie(member)
    poster_cookie = session_cookie(other_member)
    path = f"/ws/threads/{thread.pk}/"

    async def scenario():
        async with (
            connect(
                f"ws://127.0.0.1:{port_b}{path}",
                additional_headers={
                    "Cookie": watcher_cookie,
                    "Origin": f"http://127.0.0.1:{port_b}",
                },
            ) as watcher,
            connect(
                f"ws://127.0.0.1:{port_a}{path}",
                additional_headers={
                    "Cookie": poster_cookie,
                    "Origin": f"http://127.0.0.1:{port_a}",
                },
            ) as poster,
        ):
            # Over the socket to A.
            await poster.send(json.dumps({"type": "post", "body": "Via process A"}))
            ack = await next_event(poster, "post.ack")
            event = await next_event(watcher, "post.created")
            assert event["post_id"] == ack["post_id"]
            assert "Via process A" in event["html"]

            # Over plain HTTP to A, the no-JavaScript path.
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port_a}",
                headers={"Cookie": poster_cookie},
            ) as http:
                page = await http.get(f"/forums/threads/{thread.pk}/")
                assert page.status_code == 200
                token = re.search(
                    r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
                ).group(1)
                response = await http.post(
                    f"/forums/threads/{thread.pk}/reply/",
                    data={"body": "Via HTTP on A", "csrfmiddlewaretoken": token},
                    headers={
                        "Cookie": f"{poster_cookie}; csrftoken={page.cookies['csrftoken']}",
                        "Referer": f"http://127.0.0.1:{port_a}/",
                    },
                )
                assert response.status_code == 302, response.text[:500]
            event = await next_event(watcher, "post.created")
            assert "Via HTTP on A" in event["html"]

    asyncio.run(scenario())
    assert Post.objects.filter(thread=thread).count() == 3
