"""Rules of posting, moderation, reactions and answers, through the services."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from forums import services, signals
from forums.models import Flag, ModerationLog, Post, PostRevision, Reaction, Thread
from people.models import Contribution
from people.services import follow_set, follow_state
from spaces.models import Membership
from tests.factories import SpaceFactory, add_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mentions():
    """Collect post_created signals (sent on commit)."""
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    signals.post_created.connect(receiver)
    yield received
    signals.post_created.disconnect(receiver)


def test_thread_create_makes_the_opening_post_and_follows(thread, member):
    assert thread.post_count == 1
    post = thread.posts.get()
    assert post.author == member
    assert follow_state(member, thread) == "following"


def test_reply_updates_counters_and_organisations(thread, other_member):
    services.post_create(thread=thread, author=other_member, body="We use a DSA.")
    thread.refresh_from_db()
    assert thread.post_count == 2
    assert thread.organisations_count == 2
    # A second reply from an organisation already taking part counts the
    # post, not the organisation.
    services.post_create(thread=thread, author=other_member, body="And a template.")
    services.post_create(thread=thread, author=thread.author, body="Thank you.")
    thread.refresh_from_db()
    assert thread.post_count == 4
    assert thread.organisations_count == 2
    assert thread.post_count == thread.posts.count()


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Enter your post"), ("   \n ", "Enter your post"), ("x" * 50_000, "20,000")],
)
def test_bad_bodies_are_refused_and_nothing_saved(thread, other_member, body, message):
    with pytest.raises(services.ForumError, match=message):
        services.post_create(thread=thread, author=other_member, body=body)
    assert Post.objects.filter(thread=thread).count() == 1


def test_script_tags_and_javascript_links_are_sanitised(thread, other_member):
    post = services.post_create(
        thread=thread,
        author=other_member,
        body="<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    assert "<script" not in post.body_html
    assert "javascript:" not in post.body_html
    assert "<img" not in post.body_html
    assert "&lt;script&gt;" in post.body_html


def test_locked_thread_refuses_posts(thread, facilitator, other_member):
    services.thread_lock(thread=thread, moderator=facilitator, reason="Off topic")
    with pytest.raises(services.ForumError, match="locked"):
        services.post_create(thread=thread, author=other_member, body="Hello")
    assert Post.objects.filter(thread=thread).count() == 1


def test_space_you_left_refuses_posts(thread, space, other_member):
    Membership.objects.filter(space=space, user=other_member).delete()
    with pytest.raises(services.ForumError, match="Only members"):
        services.post_create(thread=thread, author=other_member, body="Still here?")
    assert Post.objects.filter(thread=thread).count() == 1


def test_outsider_cannot_post_in_open_space(thread, outsider):
    with pytest.raises(services.ForumError):
        services.post_create(thread=thread, author=outsider, body="Hi")


@override_settings(COP_POST_RATE="3/m")
def test_rate_limit(thread, other_member):
    for n in range(3):
        services.post_create(thread=thread, author=other_member, body=f"Post {n}")
    with pytest.raises(services.RateLimited):
        services.post_create(thread=thread, author=other_member, body="One more")
    assert Post.objects.filter(thread=thread, author=other_member).count() == 3


def test_marking_above_ceiling_is_refused(space, member):
    with pytest.raises(services.ForumError, match="holds nothing above"):
        services.thread_create(
            space=space,
            author=member,
            title="T",
            body="B",
            marking="official-sensitive",
        )
    assert not Thread.objects.exists()


def test_mentions_send_the_signal_only_for_readers(
    thread, member, other_member, outsider, mentions, secret_space
):
    services.post_create(
        thread=thread,
        author=member,
        body="@tom-ashworth and @olu-bankole and @amara-okafor and @nobody, thoughts?",
    )
    event = mentions[-1]
    # Open space: the outsider can read it, so is mentioned; the author is not.
    assert {u.pk for u in event["mentioned"]} == {other_member.pk, outsider.pk}
    assert event["is_first_post"] is False
    assert event["thread"] == thread


def test_mentions_in_sensitive_thread_skip_non_members(
    sensitive_thread, member, other_member, mentions
):
    services.post_create(
        thread=sensitive_thread, author=member, body="@tom-ashworth can you see this?"
    )
    assert mentions[-1]["mentioned"] == []


def test_opening_post_signal_says_so(space, member, mentions):
    services.thread_create(space=space, author=member, title="New", body="Opening")
    assert mentions[-1]["is_first_post"] is True


def test_failed_post_sends_no_signal(thread, other_member, mentions):
    before = len(mentions)
    with pytest.raises(services.ForumError):
        services.post_create(thread=thread, author=other_member, body="")
    assert len(mentions) == before


def test_posting_does_not_unmute(thread, other_member):
    follow_set(user=other_member, target=thread, muted=True)
    services.post_create(thread=thread, author=other_member, body="Reply")
    assert follow_state(other_member, thread) == "muted"


def test_edit_keeps_a_revision_and_only_author_may_edit(thread, member, other_member):
    post = thread.posts.get()
    with pytest.raises(services.ForumError, match="your own"):
        services.post_edit(post=post, user=other_member, body="Vandalised")
    services.post_edit(post=post, user=member, body="Updated **text**")
    post.refresh_from_db()
    assert post.edited_at is not None
    assert "<strong>text</strong>" in post.body_html
    assert PostRevision.objects.get(post=post).body.startswith("How are others")


def test_members_cannot_moderate(thread, other_member):
    post = thread.posts.get()
    with pytest.raises(services.ForumError, match="facilitators"):
        services.post_hide(post=post, moderator=other_member, reason="Rude")
    with pytest.raises(services.ForumError):
        services.thread_lock(thread=thread, moderator=other_member, reason="Stop")
    post.refresh_from_db()
    assert not post.hidden
    assert not ModerationLog.objects.exists()


def test_moderation_needs_a_reason(thread, facilitator):
    with pytest.raises(services.ForumError, match="Say why"):
        services.post_hide(post=thread.posts.get(), moderator=facilitator, reason=" ")


def test_hide_restore_and_log(thread, facilitator, other_member):
    post = thread.posts.get()
    flag = services.flag_create(post=post, user=other_member, reason="Personal data")
    services.post_hide(
        post=post, moderator=facilitator, reason="Contains personal data"
    )
    post.refresh_from_db()
    flag.refresh_from_db()
    assert post.hidden and post.hidden_by == facilitator
    assert flag.status == Flag.Status.ACTIONED
    services.post_restore(post=post, moderator=facilitator, reason="Redacted by author")
    post.refresh_from_db()
    assert not post.hidden
    actions = list(ModerationLog.objects.values_list("action", "actor", "reason"))
    assert actions == [
        ("restore", facilitator.pk, "Redacted by author"),
        ("hide", facilitator.pk, "Contains personal data"),
    ]


def test_moderators_group_and_staff_can_moderate(thread, outsider, staff):
    outsider.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    services.thread_lock(thread=thread, moderator=outsider, reason="Cooling off")
    services.thread_unlock(thread=thread, moderator=staff, reason="Calm again")
    thread.refresh_from_db()
    assert not thread.locked


def test_move_needs_a_space_the_moderator_facilitates(
    thread, facilitator, organisation
):
    other = SpaceFactory(name="Other space", lead_organisation=organisation)
    with pytest.raises(services.ForumError, match="you facilitate"):
        services.thread_move(
            thread=thread, moderator=facilitator, to_space=other, reason="Better fit"
        )
    add_member(other, facilitator, "facilitator")
    services.thread_move(
        thread=thread, moderator=facilitator, to_space=other, reason="Better fit"
    )
    thread.refresh_from_db()
    assert thread.space == other
    assert ModerationLog.objects.filter(action="move").count() == 2


def test_move_refuses_a_space_whose_ceiling_is_too_low(
    sensitive_thread, secret_space, organisation, facilitator
):
    add_member(secret_space, facilitator, "facilitator")
    low = SpaceFactory(name="Low ceiling", lead_organisation=organisation)
    add_member(low, facilitator, "facilitator")
    with pytest.raises(services.ForumError):
        services.thread_move(
            thread=sensitive_thread, moderator=facilitator, to_space=low, reason="x"
        )
    sensitive_thread.refresh_from_db()
    assert sensitive_thread.space == secret_space


def test_reaction_toggle(thread, other_member):
    post = thread.posts.get()
    added, counts = services.reaction_toggle(
        post=post, user=other_member, kind="thanks"
    )
    assert added and counts["thanks"] == 1
    added, counts = services.reaction_toggle(
        post=post, user=other_member, kind="thanks"
    )
    assert not added and counts["thanks"] == 0
    with pytest.raises(services.ForumError):
        services.reaction_toggle(post=post, user=other_member, kind="angry")
    assert not Reaction.objects.exists()


def test_accepted_answer_by_asker_records_contribution(question, member, other_member):
    answered = []

    def receiver(sender, **kwargs):
        answered.append(kwargs)

    signals.answer_accepted.connect(receiver)
    try:
        answer = services.post_create(
            thread=question, author=other_member, body="The Digital Economy Act."
        )
        with pytest.raises(services.ForumError, match="Only the person"):
            services.answer_accept(thread=question, post=answer, user=other_member)
        services.answer_accept(thread=question, post=answer, user=member)
    finally:
        signals.answer_accepted.disconnect(receiver)
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert (
        Contribution.objects.filter(user=other_member, kind="accepted_answer").count()
        == 1
    )
    assert answered[0]["answered_by"] == other_member
    assert answered[0]["accepted_by"] == member


def test_facilitator_can_accept_and_replacing_moves_contribution(
    question, facilitator, other_member, member
):
    first = services.post_create(thread=question, author=other_member, body="A")
    second = services.post_create(thread=question, author=facilitator, body="B")
    services.answer_accept(thread=question, post=first, user=facilitator)
    services.answer_accept(thread=question, post=second, user=member)
    assert list(
        Contribution.objects.filter(kind="accepted_answer").values_list(
            "user", flat=True
        )
    ) == [facilitator.pk]


def test_discussions_and_opening_posts_cannot_be_answers(thread, question, member):
    with pytest.raises(services.ForumError, match="Only questions"):
        services.answer_accept(thread=thread, post=thread.posts.get(), user=member)
    with pytest.raises(services.ForumError, match="question itself"):
        services.answer_accept(thread=question, post=question.posts.get(), user=member)


def test_flag_needs_reason_and_once_per_person(thread, other_member):
    post = thread.posts.get()
    with pytest.raises(services.ForumError):
        services.flag_create(post=post, user=other_member, reason="")
    services.flag_create(post=post, user=other_member, reason="Off topic")
    with pytest.raises(services.ForumError, match="already"):
        services.flag_create(post=post, user=other_member, reason="Again")
    assert Flag.objects.count() == 1


@override_settings(COP_ASK_PER_DAY=1)
def test_ask_this_person(space, member, other_member, outsider):
    thread = services.ask_create(
        asker=member, to_user=other_member, space=space, title="Q", body="How?"
    )
    assert thread.kind == "question"
    assert "@tom-ashworth" in thread.posts.get().body
    with pytest.raises(services.RateLimited):
        services.ask_create(
            asker=member, to_user=other_member, space=space, title="Q2", body="Again"
        )
    with pytest.raises(services.ForumError, match="both belong"):
        services.ask_create(
            asker=other_member, to_user=outsider, space=space, title="Q", body="x"
        )


def test_a_new_post_is_broadcast_as_rendered_from_the_database_without_reading_it_back(
    thread, other_member, monkeypatch
):
    """The live post.created event renders the post from the objects in hand
    (no re-read, no reaction count): the same HTML a re-read renders."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forums import live

    sent = []
    monkeypatch.setattr(live, "publish", lambda thread_id, event: sent.append(event))
    with CaptureQueriesContext(connection) as queries:
        post = services.post_create(
            thread=thread, author=other_member, body="We use a **DSA**."
        )
    (created,) = [event for event in sent if event["type"] == "post.created"]
    assert not [q for q in queries if "forums_reaction" in q["sql"]]
    services._broadcast_post("post.created", post)  # read back, as edits are
    reread = sent[-1]
    assert created["html"] == reread["html"]
    assert created["author"] == reread["author"] == other_member.display_name
    assert "<strong>DSA</strong>" in created["html"]
