"""The live thread socket: who may connect, what reaches them, what is refused."""

import json
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client, override_settings

from cop.asgi import application
from forums import services
from forums.models import Post
from spaces.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = IN_MEMORY
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


async def cookie_for(user):
    client = Client()
    await sync_to_async(client.force_login)(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}"


async def connect(thread_id, user=None, origin=b"http://127.0.0.1"):
    headers = [(b"origin", origin)] if origin else []
    if user is not None:
        headers.append((b"cookie", (await cookie_for(user)).encode()))
    communicator = WebsocketCommunicator(
        application, f"/ws/threads/{thread_id}/", headers=headers
    )
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_member_connects(thread, other_member):
    communicator, connected, _ = await connect(thread.pk, other_member)
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_anonymous_is_refused(thread):
    _, connected, code = await connect(thread.pk)
    assert not connected
    assert code == 4401


async def test_non_member_of_closed_space_is_refused(closed_thread, other_member):
    _, connected, code = await connect(closed_thread.pk, other_member)
    assert not connected
    assert code == 4403


async def test_non_member_of_secret_space_is_refused(sensitive_thread, staff):
    # Staff moderate, but OFFICIAL-SENSITIVE is for the space's members only.
    _, connected, _ = await connect(sensitive_thread.pk, staff)
    assert not connected


async def test_forged_thread_id_is_refused(thread, member):
    _, connected, code = await connect(thread.pk + 999, member)
    assert not connected
    assert code == 4403


async def test_bad_origin_is_refused(thread, member):
    _, connected, _ = await connect(thread.pk, member, origin=b"https://evil.example")
    assert not connected


async def test_broadcast_of_create_edit_hide_and_reactions(
    thread, member, other_member, facilitator
):
    watcher, connected, _ = await connect(thread.pk, member)
    assert connected
    post = await sync_to_async(services.post_create)(
        thread=thread, author=other_member, body="Live **reply**"
    )
    event = await watcher.receive_json_from(timeout=2)
    assert event["type"] == "post.created"
    assert event["post_id"] == post.pk
    assert event["author"] == "Tom Ashworth"
    assert "<strong>reply</strong>" in event["html"]
    assert f'id="post-{post.pk}"' in event["html"]
    assert "LCC" in event["html"]  # organisation badge

    await sync_to_async(services.post_edit)(post=post, user=other_member, body="Edited")
    event = await watcher.receive_json_from(timeout=2)
    assert event["type"] == "post.edited"
    assert "Edited" in event["html"]

    await sync_to_async(services.reaction_toggle)(post=post, user=member, kind="agree")
    event = await watcher.receive_json_from(timeout=2)
    # Every live event says when the server published it (for latency).
    assert abs(event.pop("published_at") - time.time()) < 10
    assert event == {
        "type": "reaction.updated",
        "post_id": post.pk,
        "counts": {"thumbs-up": 0, "thanks": 0, "insightful": 0, "agree": 1},
    }

    await sync_to_async(services.post_hide)(
        post=post, moderator=facilitator, reason="Off topic"
    )
    event = await watcher.receive_json_from(timeout=2)
    assert event["type"] == "post.hidden"
    assert "Edited" not in event["html"]
    assert "A moderator hid this post" in event["html"]
    await watcher.disconnect()


async def test_posting_over_the_socket_uses_the_service(thread, member, other_member):
    watcher, _, _ = await connect(thread.pk, member)
    poster, _, _ = await connect(thread.pk, other_member)
    await poster.send_json_to({"type": "post", "body": "From the socket"})
    ack = await poster.receive_json_from(timeout=2)
    created = await poster.receive_json_from(timeout=2)
    if ack["type"] != "post.ack":  # the broadcast may arrive first
        ack, created = created, ack
    assert ack["type"] == "post.ack"
    assert created["type"] == "post.created"
    event = await watcher.receive_json_from(timeout=2)
    assert event["post_id"] == ack["post_id"]
    post = await Post.objects.aget(pk=ack["post_id"])
    assert post.author_id == other_member.pk
    await watcher.disconnect()
    await poster.disconnect()


@pytest.mark.parametrize(
    "frame",
    [
        "{not json",
        "[1, 2]",
        json.dumps({"type": "dance"}),
        json.dumps({"type": "post", "body": 5}),
        json.dumps({"type": "react", "post_id": "x", "kind": "agree"}),
    ],
)
async def test_malformed_frames_get_an_error_and_keep_the_connection(
    thread, member, frame
):
    communicator, _, _ = await connect(thread.pk, member)
    await communicator.send_to(text_data=frame)
    reply = await communicator.receive_json_from()
    assert reply["type"] == "error" and reply["message"]
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_oversized_frame_is_refused_without_closing(thread, member):
    communicator, _, _ = await connect(thread.pk, member)
    await communicator.send_json_to({"type": "post", "body": "x" * 70_000})
    reply = await communicator.receive_json_from()
    assert reply["type"] == "error"
    assert "64 KB" in reply["message"]
    assert await Post.objects.filter(thread=thread).acount() == 1
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("body", "message"), [("", "Enter your post"), ("x" * 50_000, "20,000")]
)
async def test_bad_posts_over_the_socket_get_errors_and_nothing_is_broadcast(
    thread, member, other_member, body, message
):
    watcher, _, _ = await connect(thread.pk, member)
    poster, _, _ = await connect(thread.pk, other_member)
    await poster.send_json_to({"type": "post", "body": body})
    reply = await poster.receive_json_from()
    assert reply["type"] == "error" and message in reply["message"]
    assert await watcher.receive_nothing(timeout=0.3)
    assert await Post.objects.filter(thread=thread).acount() == 1
    await watcher.disconnect()
    await poster.disconnect()


@override_settings(COP_POST_RATE="2/m")
async def test_rate_limit_over_the_socket(thread, other_member):
    poster, _, _ = await connect(thread.pk, other_member)
    seen = []
    for n in range(3):
        await poster.send_json_to({"type": "post", "body": f"Post {n}"})
    while len([e for e in seen if e["type"] in ("post.ack", "error")]) < 3:
        seen.append(await poster.receive_json_from(timeout=2))
    errors = [e for e in seen if e["type"] == "error"]
    assert len(errors) == 1 and errors[0]["code"] == "rate_limited"
    assert await Post.objects.filter(author=other_member).acount() == 2
    await poster.send_json_to({"type": "ping"})
    assert (await poster.receive_json_from())["type"] in ("pong", "post.created")
    await poster.disconnect()


async def test_member_who_left_cannot_post_over_an_open_socket(
    closed_thread, closed_space, other_member
):
    await sync_to_async(Membership.objects.create)(
        space=closed_space, user=other_member
    )
    poster, connected, _ = await connect(closed_thread.pk, other_member)
    assert connected
    await Membership.objects.filter(space=closed_space, user=other_member).adelete()
    await poster.send_json_to({"type": "post", "body": "Still here"})
    reply = await poster.receive_json_from()
    assert reply["type"] == "error"
    assert await Post.objects.filter(author=other_member).acount() == 0
    await poster.disconnect()


async def test_locked_thread_refuses_socket_posts(thread, other_member, facilitator):
    await sync_to_async(services.thread_lock)(
        thread=thread, moderator=facilitator, reason="Done"
    )
    poster, _, _ = await connect(thread.pk, other_member)
    await poster.send_json_to({"type": "post", "body": "Hello"})
    reply = await poster.receive_json_from()
    assert reply == {
        "type": "error",
        "message": "This thread is locked: no new posts can be added.",
    }
    await poster.disconnect()


async def test_react_over_the_socket(thread, member, other_member):
    post = await Post.objects.filter(thread=thread).afirst()
    communicator, _, _ = await connect(thread.pk, other_member)
    await communicator.send_json_to(
        {"type": "react", "post_id": post.pk, "kind": "thanks"}
    )
    event = await communicator.receive_json_from(timeout=2)
    assert event["type"] == "reaction.updated" and event["counts"]["thanks"] == 1
    await communicator.send_json_to(
        {"type": "react", "post_id": post.pk + 100, "kind": "thanks"}
    )
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.disconnect()


async def test_socket_closes_once_the_member_can_no_longer_read(
    closed_thread, closed_space, other_member, monkeypatch
):
    from forums.consumers import ThreadConsumer

    monkeypatch.setattr(ThreadConsumer, "recheck_seconds", 0.1)
    await sync_to_async(Membership.objects.create)(
        space=closed_space, user=other_member
    )
    communicator, connected, _ = await connect(closed_thread.pk, other_member)
    assert connected
    assert await communicator.receive_nothing(timeout=0.3)
    await Membership.objects.filter(space=closed_space, user=other_member).adelete()
    closed = await communicator.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": 4403}
