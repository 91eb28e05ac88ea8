"""Tampered cookies, tokens and headers (issue 9, point 5).

Nothing here is a server error: a tampered session is nobody, a CSRF token
that does not match is a 403, a forged Host is a 400, proxy headers from
the client change no one's access, oversized headers and cookies are
answered, and a signed value (unsubscribe and digest links, the messages
cookie) that was changed is refused without changing anything.
tests/notifications/test_unsubscribe.py has the hand-written token cases.
"""

import json
import string
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.test import Client
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from forums import services as forums
from forums.models import Post
from notifications.emails import (
    BadToken,
    digest_view_token,
    read_unsubscribe_token,
    unsubscribe_token,
)
from notifications.models import Kind, Preference
from tests.factories import add_member

pytestmark = pytest.mark.django_db

SESSION = django_settings.SESSION_COOKIE_NAME
CSRF = django_settings.CSRF_COOKIE_NAME
# Cookie values a browser could send (no separators or spaces).
COOKIE_CHARS = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~:/=?@"


@pytest.fixture
def thread(open_space, member):
    add_member(open_space, member)
    return forums.thread_create(
        space=open_space, author=member, title="Meeting dates", body="Tuesdays?"
    )


@pytest.fixture
def signed_in(member):
    client = Client()
    client.force_login(member)
    return client


# --- sessions -----------------------------------------------------------------


@hypothesis_settings(max_examples=20)
@given(position=st.integers(min_value=0, max_value=31), char=st.sampled_from("0a9z_"))
def test_a_tampered_session_cookie_is_nobody(signed_in, position, char):
    value = signed_in.cookies[SESSION].value
    forged = value[:position] + char + value[position + 1 :]
    client = Client()
    client.cookies[SESSION] = forged
    response = client.get("/notifications/")
    if forged == value:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@given(value=st.text(COOKIE_CHARS, max_size=300))
def test_any_session_cookie_value_is_answered(value):
    client = Client()
    client.cookies[SESSION] = value
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_session_cookie_with_a_nul_character_is_a_400_not_a_database_error():
    # http.cookies reads "\000" in a quoted value as a NUL character, which
    # PostgreSQL would refuse in the session lookup.
    client = Client(HTTP_COOKIE=f'{SESSION}="abcdefgh\\000ijklmnop"')
    response = client.get("/notifications/")
    assert response.status_code == 400
    assert b"Sorry, we could not read that request" in response.content


NUL_REQUESTS = [
    # (where the NUL goes, the request): each reached a query unchecked, and
    # PostgreSQL refuses NUL in text.
    ("path", "/spaces/invitations/ab%00cd/"),
    ("path", "/people/invitations/ab%00cd/"),
    ("path", "/no%00such-page/"),
    ("query", "/people/?q=a%00b"),
    ("query", "/people/?organisation=%00&profession=%00"),
    ("query", "/spaces/{slug}/documents/?tag=%00"),
    ("query", "/forums/ask/?to=a%00b"),
    ("query", "/search/?q=%00"),
]


@pytest.mark.parametrize(("where", "url"), NUL_REQUESTS)
def test_a_nul_character_anywhere_is_a_400_for_anyone(
    signed_in, open_space, member, where, url
):
    add_member(open_space, member)
    url = url.format(slug=open_space.slug)
    for client in (Client(), signed_in):
        response = client.get(url)
        assert response.status_code == 400, (where, url)
        assert b"Sorry, we could not read that request" in response.content


def test_a_nul_character_in_a_posted_field_is_a_400_and_nothing_is_stored(
    signed_in, thread
):
    before = Post.objects.count()
    response = signed_in.post(f"/forums/threads/{thread.pk}/reply/", {"body": "a\x00b"})
    assert response.status_code == 400
    assert Post.objects.count() == before


def test_oversized_cookies_and_headers_are_answered(signed_in):
    response = signed_in.get(
        "/notifications/",
        HTTP_COOKIE=f"{SESSION}={signed_in.cookies[SESSION].value}; "
        + "; ".join(f"junk{n}={'x' * 4000}" for n in range(16)),
        HTTP_USER_AGENT="Mozilla/5.0 " + "A" * 100_000,
        HTTP_ACCEPT_LANGUAGE="en;q=0.9," * 5_000,
        HTTP_REFERER="http://127.0.0.1/" + "a" * 100_000,
    )
    assert response.status_code == 200


# --- CSRF ---------------------------------------------------------------------


def _csrf_client(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get("/forums/")  # sets the CSRF cookie
    return client


@pytest.mark.parametrize(
    ("cookie", "token"),
    [
        (None, None),  # no token at all
        ("keep", "A" * 64),  # a well-formed token for another cookie
        ("keep", "not a token"),
        ("B" * 32, "C" * 32),  # a forged cookie and another forged token
        ("!" * 64, "!" * 64),  # characters a token never has
        ("keep", ""),
    ],
)
def test_csrf_mismatches_are_refused_and_nothing_is_posted(
    member, thread, cookie, token
):
    client = _csrf_client(member)
    if cookie is None:
        del client.cookies[CSRF]
    elif cookie != "keep":
        client.cookies[CSRF] = cookie
    data = {"body": "Forged reply"}
    if token is not None:
        data["csrfmiddlewaretoken"] = token
    before = Post.objects.count()
    response = client.post(f"/forums/threads/{thread.pk}/reply/", data)
    assert response.status_code == 403
    assert Post.objects.count() == before


def test_the_real_csrf_token_is_accepted(member, thread):
    # The refusals above are refusals of the token, not of every post.
    client = _csrf_client(member)
    response = client.post(
        f"/forums/threads/{thread.pk}/reply/",
        {"body": "A real reply", "csrfmiddlewaretoken": client.cookies[CSRF].value},
    )
    assert response.status_code == 302
    assert Post.objects.filter(body="A real reply").exists()


# --- Host and proxy headers ------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "127.0.0.1.evil.example",
        "localhost@evil.example",
        "[::1",
        "a" * 5_000,
        "",
        "evil.example, 127.0.0.1",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_host_is_a_400(signed_in, host, method):
    response = getattr(signed_in, method)("/forums/", HTTP_HOST=host)
    assert response.status_code == 400


SPOOFED = {
    "HTTP_X_FORWARDED_FOR": "127.0.0.1, 10.0.0.1",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "evil.example",
    "HTTP_X_REAL_IP": "127.0.0.1",
    "HTTP_X_ORIGINAL_URL": "/admin/",
    "HTTP_X_REWRITE_URL": "/admin/",
    "HTTP_FORWARDED": "for=127.0.0.1;proto=https;host=evil.example",
}


@pytest.mark.parametrize("production_proxy", [False, True])
def test_proxy_headers_from_the_client_change_no_ones_access(
    settings, member, other_member, secret_space, production_proxy
):
    if production_proxy:
        # What production trusts (cop/settings/production.py): the scheme,
        # never the host or the address.
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    add_member(secret_space, member, "owner")
    outsider = Client()
    outsider.force_login(other_member)
    expected = {
        # (anonymous, a member outside the secret space)
        "/notifications/": (302, 200),
        "/admin/": (302, 403),
        f"/spaces/{secret_space.slug}/": (302, 404),
        f"/forums/spaces/{secret_space.slug}/": (302, 404),
        "/people/invite/": (302, 403),
    }
    for url, statuses in expected.items():
        for client, status in zip((Client(), outsider), statuses, strict=True):
            assert client.get(url).status_code == status, url
            spoofed = client.get(url, **SPOOFED)
            assert spoofed.status_code == status, url
            assert "evil.example" not in spoofed.get("Location", ""), url


# --- signed values ----------------------------------------------------------------

TOKEN_CHARS = string.ascii_letters + string.digits + "-_:"


@given(data=st.data())
def test_a_tampered_unsubscribe_link_changes_nothing(member, data):
    token = unsubscribe_token(member.pk, Kind.DIGEST)
    position = data.draw(st.integers(0, len(token) - 1), label="position")
    char = data.draw(st.sampled_from(TOKEN_CHARS), label="char")
    forged = token[:position] + char + token[position + 1 :]
    try:
        still_valid = read_unsubscribe_token(forged) == (member.pk, Kind.DIGEST)
    except BadToken:
        still_valid = False
    response = Client().post(f"/notifications/unsubscribe/{forged}/")
    if still_valid:
        # Base64's last character carries bits nobody reads: some changes
        # decode to the very same signed value.
        assert response.status_code == 200
        Preference.objects.all().delete()
    else:
        assert response.status_code == 400
        assert b"This unsubscribe link is not valid." in response.content
        assert not Preference.objects.exists()


@given(
    token=st.one_of(
        st.text(TOKEN_CHARS, max_size=200),
        st.text(max_size=50).filter(lambda t: "/" not in t and "\x00" not in t),
    )
)
def test_any_unsubscribe_token_is_answered(member, token):
    path = f"/notifications/unsubscribe/{quote(token or 'x', safe='')}/"
    response = Client().post(path)
    assert response.status_code == 400
    assert not Preference.objects.exists()


@pytest.mark.parametrize(
    "forge",
    [
        # A digest link used as an unsubscribe link: the salt differs.
        lambda uid: digest_view_token(uid, "2026-W01"),
        # Signed with another key.
        lambda uid: signing.dumps(
            {"u": uid, "k": "digest"},
            key="not-our-secret",
            salt="notifications.unsubscribe",
        ),
        # Our key and salt, but a payload our code never writes.
        lambda uid: signing.dumps([uid, "digest"], salt="notifications.unsubscribe"),
        lambda uid: signing.dumps(
            {"u": str(uid), "k": "digest"}, salt="notifications.unsubscribe"
        ),
        lambda uid: signing.dumps(
            {"u": 10**30, "k": "digest"}, salt="notifications.unsubscribe"
        ),
        lambda uid: signing.dumps(
            {"u": uid, "k": "everything"}, salt="notifications.unsubscribe"
        ),
    ],
)
def test_forged_unsubscribe_tokens_are_refused(member, forge):
    response = Client().post(f"/notifications/unsubscribe/{forge(member.pk)}/")
    assert response.status_code == 400
    assert not Preference.objects.exists()


@given(data=st.data())
def test_a_tampered_digest_link_is_a_404(member, data):
    token = digest_view_token(member.pk, "2026-W01")
    position = data.draw(st.integers(0, len(token) - 1), label="position")
    forged = (
        token[:position]
        + data.draw(st.sampled_from(TOKEN_CHARS))
        + token[position + 1 :]
    )
    response = Client().get(f"/notifications/digest/view/{forged}/")
    assert response.status_code in {200, 404}
    if response.status_code == 200:
        assert signing.loads(forged, salt="notifications.digest-view") == {
            "u": member.pk,
            "p": "2026-W01",
        }


@given(value=st.text(COOKIE_CHARS, max_size=500))
def test_a_tampered_messages_cookie_is_ignored(signed_in, value):
    signed_in.cookies["messages"] = value
    response = signed_in.get("/notifications/")
    assert response.status_code == 200
    assert b"govuk-notification-banner--success" not in response.content


def test_a_forged_signed_message_is_not_shown(signed_in):
    # A well-formed messages cookie whose signature is not ours.
    payload = json.dumps([["__json_message", 0, 25, "You are now an admin"]])
    signed_in.cookies["messages"] = (
        f"{signing.b64_encode(payload.encode()).decode()}:forged"
    )
    response = signed_in.get("/notifications/")
    assert response.status_code == 200
    assert b"You are now an admin" not in response.content
