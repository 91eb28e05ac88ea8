"""Digests go out once per member per week, whatever is re-run or retried;
instant emails honour preferences at send time; every email can unsubscribe."""

import datetime
from email import message_from_bytes, policy
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications import tasks
from notifications.delivery import digest_send_batch, notification_email_send
from notifications.digest import current_period, period_window
from notifications.models import Delivery, DigestLog, Kind, Notification
from notifications.services import preference_set
from tests.factories import UserFactory, add_member

from .conftest import make_document, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    return current_period()


@pytest.fixture
def busy_space(open_space, other_member, period):
    """An open space with a lively week: every member of it gets a digest."""
    since, _ = period_window(period)
    inside = since + datetime.timedelta(days=1)
    add_member(open_space, other_member)
    for title in ("Thread one", "Thread two"):
        make_thread(
            open_space,
            other_member,
            title=title,
            created_at=inside,
            last_post_at=inside,
        )
    make_document(open_space, other_member, title="Plan", created_at=inside)
    return open_space


@pytest.fixture
def readers(busy_space):
    users = [UserFactory(email=f"reader{i}@dwp.gov.uk") for i in range(5)]
    for user in users:
        add_member(busy_space, user)
    return users


def digests_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_dispatch_twice_sends_one_digest_each(readers, other_member, period, settings):
    settings.COP_DIGEST_BATCH_SIZE = 2  # three batches of ids
    tasks.digest_dispatch.delay(period)
    tasks.digest_dispatch.delay(period)
    for user in readers:
        assert len(digests_to(user.email)) == 1
    assert DigestLog.objects.filter(period=period, status="sent").count() == 6
    message = digests_to(readers[0].email)[0]
    assert message.subject == "2 lively discussions and a new document"
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert message.extra_headers["List-Unsubscribe"].startswith(
        f"<{settings.COP_SITE_URL}/notifications/unsubscribe/"
    )
    html = message.alternatives[0][0]
    assert "Change what you get" in html and "/notifications/preferences/" in html
    assert "/notifications/digest/view/" in message.body


def test_a_batch_retried_after_a_crash_midway_sends_each_digest_once(
    readers, period, monkeypatch
):
    from notifications import delivery

    real_send = delivery.digest_email_send
    sent = []

    def crash_on_the_third(digest, **kwargs):
        if len(sent) == 2:
            raise ConnectionError("SMTP server went away")
        sent.append(digest.user.pk)
        return real_send(digest, **kwargs)

    ids = [user.pk for user in readers]
    monkeypatch.setattr(delivery, "digest_email_send", crash_on_the_third)
    with pytest.raises(ConnectionError):
        tasks.digest_send_batch.delay(ids, period)
    assert len(mail.outbox) == 2
    # The member whose send failed has no log: the retry will serve them.
    assert DigestLog.objects.filter(period=period).count() == 2
    monkeypatch.setattr(delivery, "digest_email_send", real_send)
    tasks.digest_send_batch.delay(ids, period)  # Celery redelivers the batch
    tasks.digest_send_batch.delay(ids, period)  # and once more for luck
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in readers)


def test_digest_off_and_deactivated_members_get_nothing(readers, period):
    preference_set(user=readers[0], kind=Kind.DIGEST, delivery=Delivery.OFF)
    readers[1].is_active = False
    readers[1].save()
    counts = digest_send_batch(user_ids=[u.pk for u in readers[:3]], period=period)
    assert counts == {"sent": 1, "skipped": 0, "already": 0, "refused": 1, "missing": 1}
    assert [m.to for m in mail.outbox] == [[readers[2].email]]
    assert not DigestLog.objects.filter(user__in=readers[:2]).exists()


def test_too_little_is_logged_as_skipped_and_not_sent(member, open_space, period):
    add_member(open_space, member)
    counts = digest_send_batch(user_ids=[member.pk], period=period)
    assert counts["skipped"] == 1
    assert mail.outbox == []
    assert DigestLog.objects.get(user=member).status == "skipped"


def test_a_bad_period_is_refused(readers):
    with pytest.raises(ValueError):
        digest_send_batch(user_ids=[readers[0].pk], period="next week")
    assert mail.outbox == []


def test_the_sensitive_canary_never_reaches_a_mailbox(
    organisation, readers, other_member, period
):
    from tests.factories import SpaceFactory

    since, _ = period_window(period)
    inside = since + datetime.timedelta(days=1)
    space = SpaceFactory(
        name="Sensitive work",
        visibility="open",
        ceiling="official-sensitive",
        lead_organisation=organisation,
    )
    add_member(space, readers[0])
    add_member(space, other_member)
    from people.services import follow_set

    follow_set(user=readers[1], target=space)  # follows, not a member
    make_thread(
        space, other_member, title="CANARY thread", marking="official-sensitive",
        created_at=inside, last_post_at=inside,
    )  # fmt: skip
    make_document(
        space, other_member, title="CANARY doc", marking="official-sensitive",
        created_at=inside,
    )  # fmt: skip
    tasks.digest_dispatch.delay(period)
    assert mail.outbox
    for message in mail.outbox:
        assert "CANARY" not in message.subject
        assert "CANARY" not in message.body
        assert "CANARY" not in message.alternatives[0][0]
    member_mail = digests_to(readers[0].email)[0]
    assert "marked OFFICIAL-SENSITIVE in Sensitive work" in member_mail.body
    assert "Sensitive work" not in digests_to(readers[1].email)[0].body


def test_instant_email_is_sent_once_and_honours_a_change_of_mind(member):
    first, second = Notification.objects.bulk_create(
        [
            Notification(recipient=member, kind=Kind.MENTION, title="Hi")
            for _ in range(2)
        ]
    )
    assert notification_email_send(notification_id=first.pk)
    assert not notification_email_send(notification_id=first.pk)  # redelivered
    preference_set(user=member, kind=Kind.MENTION, delivery=Delivery.IN_APP)
    assert not notification_email_send(notification_id=second.pk)
    assert not notification_email_send(notification_id=987654)
    assert len(mail.outbox) == 1


# --- the management command ---------------------------------------------------------


def test_send_digests_sends_and_reruns_send_nothing(readers, period):
    out = StringIO()
    call_command("send_digests", "--period", period, stdout=out)
    assert "6 sent" in out.getvalue()
    call_command("send_digests", "--period", period, stdout=out)
    assert "0 sent" in out.getvalue()
    assert len(mail.outbox) == 6


def test_send_digests_dry_run_sends_nothing(readers, period):
    out = StringIO()
    call_command("send_digests", "--dry-run", "--period", period, stdout=out)
    assert f"send {readers[0].email}" in out.getvalue()
    assert mail.outbox == []
    assert not DigestLog.objects.exists()


def test_send_digests_preview_prints_one_digest(readers, busy_space):
    out = StringIO()
    # The preview covers the last seven days: move the content into them.
    busy_space.threads.update(last_post_at=timezone.now())
    call_command("send_digests", "--preview", readers[0].email, stdout=out)
    assert "Subject: 2 lively discussions" in out.getvalue()
    assert "Thread one" in out.getvalue()
    assert mail.outbox == []


def test_send_digests_refuses_bad_input(readers):
    with pytest.raises(CommandError, match="ISO week"):
        call_command("send_digests", "--period", "soon")
    with pytest.raises(CommandError, match="No member"):
        call_command("send_digests", "--preview", "nobody@example.com")
    readers[0].is_active = False
    readers[0].save()
    with pytest.raises(CommandError, match="deactivated"):
        call_command("send_digests", "--preview", readers[0].email)


# --- a real SMTP round trip ------------------------------------------------------------


def test_a_digest_travels_through_a_real_smtp_server(readers, period, settings):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        digest_send_batch(user_ids=[readers[0].pk], period=period)
    finally:
        controller.stop()
    assert len(received) == 1
    assert received[0].rcpt_tos == [readers[0].email]
    message = message_from_bytes(received[0].content, policy=policy.default)
    assert message["Subject"] == "2 lively discussions and a new document"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message["List-Unsubscribe"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Thread one" in text and "Thread one" in html
    assert "Stop getting the weekly digest" in html


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_on_one_batch_send_each_digest_once(
    postgres, readers, period
):
    """Two workers given the same batch (a redelivery while the first still
    runs): the unique index makes the second wait, then skip, per member."""
    import threading

    from django.db import connection

    ids = [user.pk for user in readers]
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait(timeout=10)
            results.append(digest_send_batch(user_ids=ids, period=period))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in readers)
    assert sum(r["sent"] for r in results) == len(readers)
    assert DigestLog.objects.filter(period=period).count() == len(readers)
