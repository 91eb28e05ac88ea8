"""Live threads survive faults: Redis restarted, an ASGI process killed.

Two uvicorn processes (A and B) share this run's database and a Redis server
of the test's own (tests/faults.py), so killing it disturbs nothing else. A
member watches the thread in Chromium through B; another posts through A
over plain HTTP. The channel layer is at most once, so what proves "nothing
lost" is the page: every post must end up on it, live or by the catch-up the
page makes when its socket comes back or the server says "resync".
"""

import json
import os
import re
import shutil
import time

import httpx
import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from forums.models import Post
from tests.conftest import require_service
from tests.e2e.helpers import sign_in
from tests.faults import redis_server
from tests.servers import server_env, server_group

pytestmark = [pytest.mark.e2e, pytest.mark.services]

# The page reconnects with backoff (1, 2, 4 ... seconds): allow a few steps.
RECOVERY_MS = 40_000


@pytest.fixture
def private_redis():
    require_service(
        "redis-server (apt-get install redis-server)", shutil.which("redis-server")
    )
    with redis_server() as server:
        yield server


@pytest.fixture
def servers(private_redis, transactional_db):
    env = server_env(redis_url=private_redis.url, run_id=f"-faults-{os.getpid()}")
    with server_group(2, env=env) as group:
        yield group


def base(server):
    return f"http://127.0.0.1:{server.port}"


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def reply_over_http(server, cookie, thread, body):
    """The no-JavaScript path: GET the thread for a CSRF token, POST a reply."""
    with httpx.Client(
        base_url=base(server), headers={"Cookie": cookie}, timeout=20
    ) as http:
        page = http.get(f"/forums/threads/{thread.pk}/")
        assert page.status_code == 200, page.text[:300]
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text
        ).group(1)
        response = http.post(
            f"/forums/threads/{thread.pk}/reply/",
            data={"body": body, "csrfmiddlewaretoken": token},
            headers={
                "Cookie": f"{cookie}; csrftoken={page.cookies['csrftoken']}",
                "Referer": base(server) + "/",
            },
        )
    assert response.status_code == 302, response.text[:500]


def healthz(server):
    response = httpx.get(base(server) + "/healthz", timeout=20)
    return response.status_code, json.loads(response.text)


def watch(page, server, thread, member):
    sign_in(page, base(server), member.email)
    page.goto(base(server) + thread.get_absolute_url())
    expect(page.locator("#posts")).to_have_attribute("data-live", "true")


def test_a_redis_restart_loses_no_post(
    servers, private_redis, thread, member, other_member, browser_page
):
    a, b = servers
    cookie = session_cookie(other_member)
    watch(browser_page, b, thread, member)
    posts = browser_page.locator("#posts")

    reply_over_http(a, cookie, thread, "Before the restart")
    expect(posts.locator("article", has_text="Before the restart")).to_be_visible()

    private_redis.kill()
    # Pages render and posting saves while Redis is away; health says what is degraded.
    reply_over_http(a, cookie, thread, "During the outage")
    assert Post.objects.filter(thread=thread, body="During the outage").exists()
    status, report = healthz(a)
    assert status == 200, report
    assert report["status"] == "degraded"
    assert {"cache", "channel_layer"} <= set(report["degraded"])
    assert report["checks"]["database"]["status"] == "ok"

    private_redis.start()
    expect(posts.locator("article", has_text="During the outage")).to_be_visible(
        timeout=RECOVERY_MS
    )
    expect(posts).to_have_attribute("data-live", "true", timeout=RECOVERY_MS)
    reply_over_http(a, cookie, thread, "After the restart")
    expect(posts.locator("article", has_text="After the restart")).to_be_visible(
        timeout=RECOVERY_MS
    )
    for text in ("Before the restart", "During the outage", "After the restart"):
        expect(posts.locator("article", has_text=text)).to_have_count(1)
    status, report = healthz(a)
    assert status == 200 and report["status"] == "ok", report


def test_killing_the_watchers_server_loses_no_post(
    servers, thread, member, other_member, browser_page
):
    a, b = servers
    cookie = session_cookie(other_member)
    watch(browser_page, b, thread, member)
    posts = browser_page.locator("#posts")

    b.kill()  # SIGKILL: the page's socket drops without a goodbye
    expect(posts).to_have_attribute("data-live", "false")
    expect(browser_page.locator("#live-status")).to_have_text(
        re.compile("Reconnecting")
    )
    reply_over_http(a, cookie, thread, "Posted while B was down")
    assert not posts.locator("article", has_text="Posted while B was down").count()

    b.start()  # as a supervisor would, on the same port
    b.wait_ready(deadline=time.monotonic() + 60)
    expect(posts.locator("article", has_text="Posted while B was down")).to_be_visible(
        timeout=RECOVERY_MS
    )
    expect(posts).to_have_attribute("data-live", "true")
    reply_over_http(a, cookie, thread, "Live again")
    expect(posts.locator("article", has_text="Live again")).to_be_visible()
