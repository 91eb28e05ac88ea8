import pytest

from forums import demo
from forums.models import Flag, ModerationLog, Post, Thread
from people.models import Contribution
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_threads_across_a_dozen_spaces_and_is_idempotent(organisation):
    for key, email in demo.PEOPLE.items():
        UserFactory(
            email=email,
            first_name=key.title(),
            last_name="Demo",
            organisation=organisation,
        )
    summary = demo.load()
    assert "14 new threads" in summary
    threads = Thread.objects.count()
    posts = Post.objects.count()
    assert Thread.objects.values("space").distinct().count() == 12
    answered = Thread.objects.filter(kind="question", accepted_answer__isnull=False)
    assert answered.count() >= 3
    assert Thread.objects.filter(kind="question", accepted_answer__isnull=True).exists()
    assert (
        Contribution.objects.filter(kind="accepted_answer").count() == answered.count()
    )
    assert all(t.post_count == t.posts.count() for t in Thread.objects.all())
    demo.load()
    assert (Thread.objects.count(), Post.objects.count()) == (threads, posts)


def test_demo_leaves_a_report_waiting_and_one_dismissed(organisation):
    for key, email in demo.PEOPLE.items():
        UserFactory(email=email, first_name=key.title(), organisation=organisation)
    assert "2 new reports, 1 waiting for a moderator" in demo.load()
    waiting = Flag.objects.get(status=Flag.Status.OPEN)
    assert waiting.reporter.email == demo.PEOPLE["sam"]
    assert "resident" in waiting.reason
    dismissed = Flag.objects.get(status=Flag.Status.DISMISSED)
    log = ModerationLog.objects.get(action=ModerationLog.Action.DISMISS)
    assert (log.post_id, log.actor) == (dismissed.post_id, dismissed.resolved_by)
    assert log.reason.startswith("It names the supplier")
    assert "0 new reports, 1 waiting" in demo.load()
    assert Flag.objects.count() == 2


def test_demo_skips_without_members(db):
    assert demo.load().startswith("skipped")
