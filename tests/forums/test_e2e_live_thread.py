"""Two people on one thread in two browsers: a reply typed in one appears in the other."""

import re
import time

import pytest
from playwright.sync_api import expect

from forums.models import Post
from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.e2e


def test_reply_in_one_browser_appears_in_the_other_within_a_second(
    live_url, thread, member, other_member, browser_page, new_browser_page
):
    # Data first: Playwright's sync API keeps an event loop running in this
    # thread once the browser starts, and services broadcast on commit.
    reader = browser_page
    writer = new_browser_page()
    sign_in(reader, live_url, member.email)
    sign_in(writer, live_url, other_member.email)
    url = f"{live_url}{thread.get_absolute_url()}"
    reader.goto(url)
    writer.goto(url)
    for page in (reader, writer):
        expect(page.locator("#posts")).to_have_attribute("data-live", "true")

    writer.get_by_label("Your reply").fill(
        "We used the **Digital Economy Act** gateway."
    )
    started = time.monotonic()
    writer.get_by_role("button", name="Post reply").click()

    new_post = reader.locator("#posts article", has_text="Digital Economy Act")
    expect(new_post).to_be_visible(timeout=1000)
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"took {elapsed:.2f}s"
    expect(new_post.locator("strong", has_text="Digital Economy Act")).to_be_visible()
    expect(reader.locator("#live-announcer")).to_have_text("New post from Tom Ashworth")
    # Posted over the socket: the writer stays on the page, the box is cleared.
    expect(writer.get_by_label("Your reply")).to_have_value("")
    assert Post.objects.filter(thread=thread, author=other_member).count() == 1

    # Paused readers are not interrupted; resuming catches up.
    toggle = reader.get_by_role("button", name="Pause live updates")
    toggle.click()
    expect(reader.get_by_role("button", name="Resume live updates")).to_have_attribute(
        "aria-pressed", "true"
    )
    writer.get_by_label("Your reply").fill("A second reply while paused")
    writer.get_by_role("button", name="Post reply").click()
    expect(writer.get_by_label("Your reply")).to_have_value("")
    expect(reader.locator("#posts article", has_text="while paused")).to_have_count(0)
    reader.get_by_role("button", name=re.compile("Resume live updates")).click()
    expect(reader.locator("#posts article", has_text="while paused")).to_be_visible()
