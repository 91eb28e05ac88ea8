"""Hostile frames on both websockets (issue 9, point 5).

ws/threads/<id>/ takes {"type": "post", "body"}, {"type": "react",
"post_id", "kind"} and {"type": "ping"}; ws/me/ takes {"type": "ping"} and
{"type": "unread"}. Hypothesis sends everything else: arbitrary JSON, wrong
types for each field, forged post ids, unknown types, text that is not
JSON, binary frames, empty and oversized frames, JSON nested thousands
deep. For every frame: an error event comes back, the connection stays
open (a ping afterwards still gets its pong), no Post or Reaction row is
made, and a second connected member hears nothing.

tests/forums/test_consumer.py and tests/test_websocket_refusals.py have the
hand-written cases (who may connect, a few malformed frames, rate limits).
"""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from cop.asgi import application
from forums import services
from forums.models import Post, Reaction
from tests.factories import add_member
from tests.hostile.strategies import PAYLOADS, live_markup

pytestmark = pytest.mark.django_db(transaction=True)

REACTION_KINDS = list(Reaction.Kind.values)


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def fresh_layer():
    """Each Hypothesis example runs in its own event loop: give it its own
    in-memory layer (one made in an earlier loop holds queues bound to it)."""
    channel_layers.backends.clear()


@pytest.fixture
def thread(open_space, member, other_member):
    add_member(open_space, member)
    add_member(open_space, other_member)
    return services.thread_create(
        space=open_space,
        author=member,
        title="Sharing benefit data with councils",
        body="How are others handling the agreement?",
    )


@pytest.fixture
def elsewhere(secret_space, other_member):
    """A post the member cannot see: a forged post_id points at it."""
    add_member(secret_space, other_member, "owner")
    secret = services.thread_create(
        space=secret_space, author=other_member, title="Private", body="Not yours."
    )
    return secret.posts.first()


@pytest.fixture
def cookies(member, other_member):
    made = {}

    async def cookie(user):
        if user.pk not in made:
            client = Client()
            await sync_to_async(client.force_login)(user)
            name = django_settings.SESSION_COOKIE_NAME
            made[user.pk] = f"{name}={client.cookies[name].value}"
        return made[user.pk]

    return cookie


async def connect(path, cookie):
    communicator = WebsocketCommunicator(
        application,
        path,
        headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", cookie.encode())],
    )
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    return communicator


async def rows():
    return await Post.objects.acount(), await Reaction.objects.acount()


async def send(communicator, frame):
    # send_input, not send_to: send_to will not send an empty frame.
    key = "bytes" if isinstance(frame, bytes) else "text"
    await communicator.send_input({"type": "websocket.receive", key: frame})


# --- what to send -------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(PAYLOADS[:12]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
not_text = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
not_an_id = st.one_of(
    st.none(),
    st.booleans(),  # true is 1 to Python
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.just("1"),
    st.lists(st.integers(), max_size=2),
    st.integers(min_value=2**63, max_value=2**200),
    st.integers(max_value=0),
)
unknown_types = st.one_of(
    json_values.filter(lambda v: v not in ("post", "react", "ping", "unread")),
    st.sampled_from(["Post", "PING", "post ", "post.created", "react\x00", ""]),
)
bad_bodies = st.one_of(
    not_text,
    st.sampled_from(["", "   ", "\n\t", "x" * 20_001, "Nul\x00byte", "\x00"]),
)


def thread_frames(post_ids, forged_id):
    """Frames ws/threads/<id>/ must refuse, given the thread's post ids."""
    bad_ids = st.one_of(
        not_an_id,
        st.just(forged_id),
        st.integers(min_value=1, max_value=2**31).filter(lambda n: n not in post_ids),
    )
    bad_kinds = st.one_of(
        not_text, st.text(max_size=20).filter(lambda k: k not in REACTION_KINDS)
    )
    messages = st.one_of(
        json_values.filter(
            lambda v: (
                not isinstance(v, dict)
                or v.get("type") not in ("post", "react", "ping")
            )
        ),
        st.fixed_dictionaries({"type": unknown_types}, optional={"body": json_values}),
        st.fixed_dictionaries({"type": st.just("post")}, optional={"body": bad_bodies}),
        st.fixed_dictionaries(
            {"type": st.just("react"), "post_id": bad_ids},
            optional={"kind": st.one_of(st.sampled_from(REACTION_KINDS), bad_kinds)},
        ),
        st.fixed_dictionaries(
            {"type": st.just("react"), "kind": bad_kinds},
            optional={"post_id": st.sampled_from(sorted(post_ids))},
        ),
    )
    return st.one_of(
        messages.map(json.dumps),
        raw_frames,
    )


# Frames that once broke a socket, or could: each is also sent on its own.
AWKWARD_FRAMES = [
    "",
    b"",
    b'{"type": "ping"',
    b"\xff\xfe\x00binary",
    "[" * 60_000,  # nested too deep for the decoder
    '{"type": "post", "body": "' + "x" * 70_000 + '"}',  # over 64 KB
    '{"type": "post", "body": "\\ud800"}',  # a lone surrogate
    '{"type": "ping", "extra": ' + "9" * 5_000 + "}",  # too many digits
    "\ufeff{}",
    "NaN",
]
raw_frames = st.one_of(
    # Text that is not JSON (filtered: a bare number or string is JSON).
    st.text(max_size=50).filter(lambda text: not _is_json(text)),
    st.binary(max_size=50),
    st.sampled_from(AWKWARD_FRAMES),
)


def _is_json(text):
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


# --- ws/threads/<id>/ -----------------------------------------------------------

# Frames the thread socket must refuse whatever else it is sent.
THREAD_REFUSALS = [
    *AWKWARD_FRAMES,
    json.dumps({"type": "post", "body": "Nul\x00byte"}),  # PostgreSQL refuses NUL
    json.dumps({"type": "react", "post_id": True, "kind": "thanks"}),  # true is 1
    json.dumps({"type": "react", "post_id": 2**70, "kind": "thanks"}),
    json.dumps({"type": "react", "post_id": 1.0, "kind": "thanks"}),
    json.dumps({"type": "post", "body": ["a list"]}),
    json.dumps({"type": ["post"], "body": "A list for a type"}),
]


async def refused_on_thread(thread, sender_user, watcher_user, cookies, frame):
    """Send `frame`: an error comes back, the socket stays open, no row is
    made and the other member hears nothing."""
    path = f"/ws/threads/{thread.pk}/"
    sender = await connect(path, await cookies(sender_user))
    watcher = await connect(path, await cookies(watcher_user))
    before = await rows()
    await send(sender, frame)
    reply = await sender.receive_json_from(timeout=2)
    assert reply["type"] == "error" and reply["message"], reply
    # The connection stays open: a ping still gets its pong.
    await sender.send_json_to({"type": "ping"})
    assert await sender.receive_json_from(timeout=2) == {"type": "pong"}
    assert await rows() == before
    assert await watcher.receive_nothing(timeout=0.05)
    await sender.disconnect()
    await watcher.disconnect()


@pytest.mark.parametrize("frame", THREAD_REFUSALS, ids=lambda f: repr(f)[:30])
async def test_awkward_frames_on_a_thread_socket(
    thread, member, other_member, cookies, frame
):
    await refused_on_thread(thread, member, other_member, cookies, frame)


@given(data=st.data())
async def test_hostile_frames_on_a_thread_socket(
    thread, elsewhere, member, other_member, cookies, data
):
    fresh_layer()
    post_ids = {
        pk
        async for pk in Post.objects.filter(thread=thread).values_list("pk", flat=True)
    }
    frame = data.draw(thread_frames(post_ids, elsewhere.pk), label="frame")
    await refused_on_thread(thread, member, other_member, cookies, frame)


async def test_hostile_text_in_valid_posts_is_broadcast_escaped(
    thread, member, other_member, cookies, settings
):
    settings.COP_POST_RATE = "1000/m"
    path = f"/ws/threads/{thread.pk}/"
    sender = await connect(path, await cookies(other_member))
    watcher = await connect(path, await cookies(member))
    bodies = [p for p in PAYLOADS if p.strip() and "\x00" not in p and len(p) <= 20_000]
    for body in bodies:
        await sender.send_json_to({"type": "post", "body": body})
        event = await watcher.receive_json_from(timeout=5)
        assert event["type"] == "post.created", (body, event)
        assert live_markup(event["html"]) == [], body
        seen = {(await sender.receive_json_from(timeout=5))["type"] for _ in range(2)}
        assert seen == {"post.ack", "post.created"}, (body, seen)
    assert await Post.objects.filter(thread=thread).acount() == 1 + len(bodies)
    await sender.disconnect()
    await watcher.disconnect()


# --- ws/me/ -------------------------------------------------------------------

me_frames = st.one_of(
    json_values.filter(
        lambda v: not isinstance(v, dict) or v.get("type") not in ("ping", "unread")
    ).map(json.dumps),
    st.fixed_dictionaries({"type": unknown_types}).map(json.dumps),
    raw_frames,
    st.just(json.dumps({"type": "ping", "pad": "x" * 5_000})),  # over 1 KB
)


async def refused_on_me(member, cookies, frame):
    sender = await connect("/ws/me/", await cookies(member))
    other_tab = await connect("/ws/me/", await cookies(member))

    await send(sender, frame)
    reply = await sender.receive_json_from(timeout=2)
    assert reply["type"] == "error" and reply["error"], reply
    await sender.send_json_to({"type": "ping"})
    assert await sender.receive_json_from(timeout=2) == {"type": "pong"}
    assert await other_tab.receive_nothing(timeout=0.05)
    await sender.disconnect()
    await other_tab.disconnect()


@given(frame=me_frames)
async def test_hostile_frames_on_the_notification_socket(member, cookies, frame):
    fresh_layer()
    await refused_on_me(member, cookies, frame)


@pytest.mark.parametrize("frame", AWKWARD_FRAMES, ids=lambda f: repr(f)[:30])
async def test_awkward_frames_on_the_notification_socket(member, cookies, frame):
    await refused_on_me(member, cookies, frame)
