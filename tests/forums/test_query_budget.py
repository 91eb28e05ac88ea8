"""Page cost does not grow with rows: thread page at 10 and 500 posts, lists at two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums.models import Post, Reaction, Thread
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


def make_posts(thread, authors, count):
    Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                author=authors[n % len(authors)],
                body=f"Post {n}",
                body_html=f"<p>Post {n}</p>",
                created_at=timezone.now(),
            )
            for n in range(count)
        ]
    )
    posts = list(Post.objects.filter(thread=thread).order_by("id")[:30])
    Reaction.objects.bulk_create(
        [Reaction(post=post, user=authors[0], kind="thanks") for post in posts],
        ignore_conflicts=True,
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=count + 1)


def queries_for(client, url):
    client.get(url)  # warm per-process caches (content types, session) first
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def authors(space, organisation, other_organisation):
    people = [
        UserFactory(organisation=organisation if n % 2 else other_organisation)
        for n in range(6)
    ]
    for person in people:
        add_member(space, person)
    return people


def test_thread_page_is_constant_at_10_and_500_posts(client, thread, member, authors):
    client.force_login(member)
    make_posts(thread, authors, 10)
    small = queries_for(client, thread.get_absolute_url())
    make_posts(thread, authors, 490)
    large = queries_for(client, thread.get_absolute_url())
    last_page = queries_for(client, thread.get_absolute_url() + "?page=last")
    assert small == large == last_page
    assert large <= 20


def test_catch_up_is_constant(client, thread, member, authors):
    client.force_login(member)
    url = reverse("forums:posts_after", args=[thread.pk]) + "?after=0"
    make_posts(thread, authors, 5)
    small = queries_for(client, url)
    make_posts(thread, authors, 100)
    assert queries_for(client, url) == small


def make_threads(space, author, count):
    for n in range(count):
        Thread.objects.create(
            space=space, author=author, title=f"Thread {n}", kind="question"
        )


def test_lists_are_constant(client, space, member):
    client.force_login(member)
    urls = [
        reverse("forums:index"),
        reverse("forums:index") + "?sort=liveliest",
        reverse("forums:space", args=[space.slug]),
        reverse("forums:space", args=[space.slug]) + "?tab=unanswered",
    ]
    make_threads(space, member, 3)
    small = [queries_for(client, url) for url in urls]
    make_threads(space, member, 60)
    large = [queries_for(client, url) for url in urls]
    assert small == large


def test_moderation_queue_is_constant(client, space, thread, facilitator, authors):
    from forums.models import Flag

    client.force_login(facilitator)
    url = reverse("forums:moderation", args=[space.slug])
    make_posts(thread, authors, 40)
    posts = list(Post.objects.filter(thread=thread))
    Flag.objects.bulk_create(
        [Flag(post=post, reporter=authors[0], reason="x") for post in posts[:2]]
    )
    small = queries_for(client, url)
    Flag.objects.bulk_create(
        [Flag(post=post, reporter=authors[1], reason="y") for post in posts[2:40]]
    )
    assert queries_for(client, url) == small
