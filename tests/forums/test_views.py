"""Pages: lists, thread, replies by plain POST, deep links, moderation, ask."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from forums import services
from forums.models import Flag, ModerationLog, Post, Thread
from people.services import follow_state
from tests.factories import SpaceFactory, add_member, give_totp

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_pages_need_sign_in(client, thread):
    for url in (reverse("forums:index"), thread.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_index_lists_readable_threads_only(
    client, thread, closed_thread, sensitive_thread, other_member
):
    response = login(client, other_member).get(reverse("forums:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert thread.title in content
    assert closed_thread.title not in content
    assert sensitive_thread.title not in content


def test_index_sorts_liveliest_between_organisations(
    client, space, thread, question, member, other_member
):
    services.post_create(thread=question, author=other_member, body="From LCC")
    login(client, member)
    content = client.get(
        reverse("forums:index"), {"sort": "liveliest"}
    ).content.decode()
    assert content.index(question.title) < content.index(thread.title)


def test_index_empty_state(client, outsider):
    response = login(client, outsider).get(reverse("forums:index"))
    assert "There are no discussions you can read yet" in response.content.decode()


def test_thread_page_shows_post_author_badge_and_reply_form(
    client, thread, other_member
):
    response = login(client, other_member).get(thread.get_absolute_url())
    content = response.content.decode()
    assert "Amara Okafor" in content
    assert "app-org-badge" in content and "DWP" in content
    assert 'aria-live="polite"' in content
    assert "Pause live updates" in content
    assert "Post reply" in content


def test_unreadable_and_forged_threads_are_404(client, closed_thread, other_member):
    login(client, other_member)
    assert client.get(closed_thread.get_absolute_url()).status_code == 404
    assert client.get(reverse("forums:thread", args=[999999])).status_code == 404
    assert client.get(reverse("forums:post", args=[999999])).status_code == 404
    post = closed_thread.posts.get()
    assert client.get(reverse("forums:post", args=[post.pk])).status_code == 404
    response = client.post(
        reverse("forums:reply", args=[closed_thread.pk]), {"body": "Let me in"}
    )
    assert response.status_code == 404
    assert closed_thread.posts.count() == 1


def test_reply_by_plain_post(client, thread, other_member):
    response = login(client, other_member).post(
        reverse("forums:reply", args=[thread.pk]), {"body": "Here is what we did."}
    )
    post = Post.objects.latest("id")
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:post", args=[post.pk])
    assert post.author == other_member


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Enter your reply"),
        ("x" * 50_000, "20,000 characters or fewer"),
    ],
)
def test_bad_replies_show_errors(client, thread, other_member, body, error):
    response = login(client, other_member).post(
        reverse("forums:reply", args=[thread.pk]), {"body": body}
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert thread.posts.count() == 1


def test_reply_to_locked_thread_shows_error(client, thread, other_member, facilitator):
    services.thread_lock(thread=thread, moderator=facilitator, reason="Closed")
    response = login(client, other_member).post(
        reverse("forums:reply", args=[thread.pk]), {"body": "Hi"}
    )
    assert response.status_code == 400
    assert "locked" in response.content.decode()
    assert thread.posts.count() == 1


def test_deep_link_redirects_to_the_right_page(client, thread, other_member, settings):
    settings.COP_POSTS_PER_PAGE = 3
    settings.COP_POST_RATE = "100/m"
    posts = [
        services.post_create(thread=thread, author=other_member, body=f"Reply {n}")
        for n in range(6)
    ]
    login(client, other_member)
    response = client.get(reverse("forums:post", args=[posts[-1].pk]))
    assert (
        response["Location"]
        == f"{thread.get_absolute_url()}?page=3#post-{posts[-1].pk}"
    )
    response = client.get(reverse("forums:post", args=[posts[0].pk]))
    assert response["Location"] == f"{thread.get_absolute_url()}#post-{posts[0].pk}"


def test_catch_up_returns_posts_after_an_id(client, thread, other_member):
    first = thread.posts.get()
    later = services.post_create(thread=thread, author=other_member, body="Later")
    response = login(client, other_member).get(
        reverse("forums:posts_after", args=[thread.pk]), {"after": first.pk}
    )
    data = response.json()
    assert [p["id"] for p in data["posts"]] == [later.pk]
    assert "Later" in data["posts"][0]["html"]
    bad = client.get(reverse("forums:posts_after", args=[thread.pk]), {"after": "x"})
    assert bad.status_code == 400


def test_space_page_lists_and_unanswered_tab(
    client, space, thread, question, other_member
):
    login(client, other_member)
    url = reverse("forums:space", args=[space.slug])
    content = client.get(url).content.decode()
    assert thread.title in content and question.title in content
    content = client.get(url, {"tab": "unanswered"}).content.decode()
    assert question.title in content and thread.title not in content
    answer = services.post_create(thread=question, author=other_member, body="Answer")
    services.answer_accept(thread=question, post=answer, user=question.author)
    content = client.get(url, {"tab": "unanswered"}).content.decode()
    assert question.title not in content
    assert "Every question here has an accepted answer" in content


def test_start_thread_by_form(client, space, other_member):
    response = login(client, other_member).post(
        reverse("forums:thread_create", args=[space.slug]),
        {"kind": "question", "title": "Anyone using GOV.UK Notify?", "body": "Tell me"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert thread.kind == "question" and thread.author == other_member


def test_start_thread_errors(client, space, other_member):
    response = login(client, other_member).post(
        reverse("forums:thread_create", args=[space.slug]),
        {"kind": "question", "title": "", "body": ""},
    )
    assert response.status_code == 200
    assert "Enter a title" in response.content.decode()
    assert not Thread.objects.exists()


def test_non_member_cannot_start_thread(client, space, outsider):
    response = login(client, outsider).post(
        reverse("forums:thread_create", args=[space.slug]),
        {"kind": "discussion", "title": "Hello", "body": "Hi"},
    )
    assert response.status_code == 302
    assert not Thread.objects.exists()


def test_edit_own_post_only(client, thread, member, other_member):
    post = thread.posts.get()
    login(client, other_member)
    url = reverse("forums:post_edit", args=[post.pk])
    assert client.get(url).status_code == 404
    login(client, member)
    response = client.post(url, {"body": "Better wording"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Better wording" and post.revisions.count() == 1


def test_moderators_see_edit_history(client, thread, member, facilitator):
    post = thread.posts.get()
    services.post_edit(post=post, user=member, body="Second version")
    login(client, facilitator)
    content = client.get(reverse("forums:history", args=[post.pk])).content.decode()
    assert "Second version" in content
    assert "How are others handling the data sharing agreement?" in content
    page = client.get(thread.get_absolute_url()).content.decode()
    assert reverse("forums:history", args=[post.pk]) in page


def test_react_report_and_follow_by_post(client, thread, other_member):
    post = thread.posts.get()
    login(client, other_member)
    client.post(reverse("forums:react", args=[post.pk]), {"kind": "insightful"})
    assert post.reactions.filter(user=other_member, kind="insightful").exists()
    client.post(reverse("forums:report", args=[post.pk]), {"reason": "Off topic"})
    assert Flag.objects.filter(post=post, reporter=other_member).exists()
    client.post(reverse("forums:follow", args=[thread.pk]), {"state": "mute"})
    assert follow_state(other_member, thread) == "muted"
    client.post(reverse("forums:follow", args=[thread.pk]), {"state": "forget"})
    assert follow_state(other_member, thread) is None


def test_report_needs_reason(client, thread, other_member):
    post = thread.posts.get()
    response = login(client, other_member).post(
        reverse("forums:report", args=[post.pk]), {"reason": ""}
    )
    assert "Say what is wrong with this post" in response.content.decode()
    assert not Flag.objects.exists()


def test_accept_answer_by_post(client, question, member, other_member):
    answer = services.post_create(thread=question, author=other_member, body="Yes")
    login(client, other_member)
    client.post(reverse("forums:accept", args=[answer.pk]))
    question.refresh_from_db()
    assert question.accepted_answer is None
    login(client, member)
    client.post(reverse("forums:accept", args=[answer.pk]))
    question.refresh_from_db()
    assert question.accepted_answer == answer
    content = client.get(question.get_absolute_url()).content.decode()
    assert "Accepted answer from Tom Ashworth" in content


def test_moderation_pages_are_for_moderators(client, space, thread, other_member):
    post = thread.posts.get()
    login(client, other_member)
    for url in (
        reverse("forums:moderation", args=[space.slug]),
        reverse("forums:hide", args=[post.pk]),
        reverse("forums:history", args=[post.pk]),
        reverse("forums:lock", args=[thread.pk]),
        reverse("forums:move", args=[thread.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("forums:hide", args=[post.pk]), {"reason": "x"})
    assert response.status_code == 404
    post.refresh_from_db()
    assert not post.hidden


def test_moderator_hides_and_sees_queue_and_log(
    client, space, thread, facilitator, other_member
):
    post = thread.posts.get()
    services.flag_create(post=post, user=other_member, reason="Personal data")
    login(client, facilitator)
    content = client.get(
        reverse("forums:moderation", args=[space.slug])
    ).content.decode()
    assert "Personal data" in content
    response = client.post(reverse("forums:hide", args=[post.pk]), {"reason": ""})
    assert "Say why" in response.content.decode()
    client.post(
        reverse("forums:hide", args=[post.pk]), {"reason": "Has a phone number"}
    )
    post.refresh_from_db()
    assert post.hidden
    content = client.get(
        reverse("forums:moderation", args=[space.slug])
    ).content.decode()
    assert "Has a phone number" in content and "No reports are waiting" in content
    # Members see a placeholder, moderators the text.
    login(client, other_member)
    content = client.get(thread.get_absolute_url()).content.decode()
    assert "A moderator hid this post" in content
    assert "How are others handling" not in content


def test_global_moderator_can_lock(client, thread, outsider):
    # Moderators must use two-factor (COP_TWO_FACTOR_GROUPS).
    give_totp(outsider)
    outsider.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    login(client, outsider)
    client.post(reverse("forums:lock", args=[thread.pk]), {"reason": "Heated"})
    thread.refresh_from_db()
    assert thread.locked
    assert ModerationLog.objects.get().actor == outsider


def test_move_form(client, thread, facilitator, organisation):
    target = SpaceFactory(name="Target space", lead_organisation=organisation)
    add_member(target, facilitator, "facilitator")
    login(client, facilitator)
    client.post(
        reverse("forums:move", args=[thread.pk]),
        {"to_space": target.pk, "reason": "Belongs there"},
    )
    thread.refresh_from_db()
    assert thread.space == target


def test_guidelines_page_uses_the_compact(client):
    content = client.get(reverse("forums:guidelines")).content.decode()
    assert "Share information analysis solutions" in content
    assert "Blame culture" in content


@override_settings(COP_ASK_PER_DAY=5)
def test_ask_this_person_view(client, space, member, other_member, outsider):
    login(client, member)
    url = reverse("forums:ask") + "?to=tom-ashworth"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"space": space.pk, "title": "Can you help?", "body": "Your DSA template?"}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert thread.kind == "question"
    assert thread.posts.get().body.startswith("@tom-ashworth")
    assert client.get(reverse("forums:ask") + "?to=nobody").status_code == 404
    content = client.get(reverse("forums:ask") + "?to=olu-bankole").content.decode()
    assert "do not share a space" in content
