"""The staff outbox: emails the file backend kept in EMAIL_FILE_PATH, listed
newest first and read one at a time, their HTML shown only as source; for
staff alone, and never a file outside the outbox."""

import os

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, get_connection
from django.urls import reverse

from notifications.mailfiles import SEPARATOR, message_refs, split_messages
from notifications.models import Delivery, Kind
from notifications.services import preference_set
from spaces.services import join_request_create
from tests.factories import add_member

pytestmark = pytest.mark.django_db

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
HOSTILE = '<script>alert("x")</script><a href="javascript:steal()">Click</a>'


@pytest.fixture
def outbox_dir(settings, tmp_path):
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def send(subject, to="amara.okafor@dwp.gov.uk", *, html=None, connection=None):
    message = EmailMultiAlternatives(
        subject=subject,
        body=f"Plain words for {subject}.",
        from_email="Joined Up <no-reply@joinedup.local>",
        to=[to],
        connection=connection,
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()


def the_one_file(directory):
    (name,) = [p.name for p in directory.iterdir()]
    return name


def test_staff_see_an_email_the_file_backend_kept(
    outbox_dir, staff_client, member, other_member, closed_space,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # A real instant email: a join request to a facilitator who wants email.
    add_member(closed_space, member, "facilitator")
    preference_set(user=member, kind=Kind.JOIN_REQUEST, delivery=Delivery.INSTANT)
    with django_capture_on_commit_callbacks(execute=True):
        join_request_create(space=closed_space, user=other_member)
    listing = staff_client.get(reverse("notifications:outbox"))
    assert listing.status_code == 200
    assert member.email in listing.content.decode()
    (summary,) = listing.context["mails"]
    assert summary.subject == "Tom Ashworth asked to join Troubled Families Evaluation"
    assert summary.to == member.email
    assert summary.date is not None
    detail = staff_client.get(
        reverse("notifications:outbox_message", args=[the_one_file(outbox_dir), 1])
    )
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "List-Unsubscribe" in page
    assert f"/spaces/{closed_space.slug}/members/" in detail.context["mail"].text
    assert "Open it on Joined Up" in detail.context["mail"].html


def test_html_is_shown_as_escaped_source_never_as_a_page(outbox_dir, staff_client):
    send("Hostile", html=f"<p>Hello</p>{HOSTILE}")
    response = staff_client.get(
        reverse("notifications:outbox_message", args=[the_one_file(outbox_dir), 1])
    )
    page = response.content.decode()
    assert HOSTILE not in page
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<iframe" not in page


def test_several_messages_in_one_file_are_listed_newest_first(outbox_dir, staff_client):
    # One connection, as a digest batch: one file, three messages.
    with get_connection() as connection:
        for subject in ("First", "Second", "Third"):
            send(subject, connection=connection)
    # A later connection: a newer file.
    send("Fourth")
    # Same second, so the names cannot tell: the older file is older on disk.
    for path in outbox_dir.iterdir():
        batch = b"Subject: First" in path.read_bytes()
        os.utime(path, (1_000, 1_000 if batch else 2_000))
    response = staff_client.get(reverse("notifications:outbox"))
    subjects = [m.subject for m in response.context["mails"]]
    assert subjects == ["Fourth", "Third", "Second", "First"]
    older = [m for m in response.context["mails"] if m.subject == "Second"][0]
    detail = staff_client.get(
        reverse("notifications:outbox_message", args=[older.name, older.number])
    )
    assert detail.context["mail"].subject == "Second"
    assert detail.context["mail"].text.strip() == "Plain words for Second."


def test_the_outbox_is_paginated_25_a_page(outbox_dir, staff_client):
    with get_connection() as connection:
        for i in range(30):
            send(f"Message {i:02d}", connection=connection)
    first = staff_client.get(reverse("notifications:outbox"))
    second = staff_client.get(reverse("notifications:outbox"), {"page": 2})
    assert [m.subject for m in first.context["mails"]][:2] == [
        "Message 29",
        "Message 28",
    ]
    assert len(first.context["mails"]) == 25
    assert [m.subject for m in second.context["mails"]] == [
        f"Message {i:02d}" for i in range(4, -1, -1)
    ]
    assert 'aria-label="Page 2"' in first.content.decode()


def test_a_line_of_dashes_in_a_body_does_not_split_the_message():
    body = b"Content-Type: text/plain\n\nabove\n" + b"-" * 79 + b"\nbelow\n"
    data = body + SEPARATOR + b"Content-Type: text/plain\n\nnext" + SEPARATOR
    messages = split_messages(data)
    assert len(messages) == 2
    assert messages[0].endswith(b"below\n")


def test_an_empty_outbox_says_so(outbox_dir, staff_client):
    response = staff_client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert "No emails have been sent yet" in response.content.decode()


def test_members_are_refused_and_visitors_sent_to_sign_in(outbox_dir, client, member):
    send("For staff only")
    urls = [
        reverse("notifications:outbox"),
        reverse("notifications:outbox_message", args=[the_one_file(outbox_dir), 1]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403
        assert "For staff only" not in response.content.decode()


def test_the_notifications_page_links_staff_to_the_outbox(client, member, staff):
    client.force_login(member)
    assert (
        'data-testid="outbox-link"'
        not in client.get("/notifications/").content.decode()
    )
    client.force_login(staff)
    assert 'data-testid="outbox-link"' in client.get("/notifications/").content.decode()


def test_names_outside_the_outbox_are_404(outbox_dir, staff_client, tmp_path_factory):
    send("Real one")
    real = the_one_file(outbox_dir)
    secret = tmp_path_factory.mktemp("elsewhere") / "20260101-000000-1.log"
    secret.write_bytes(b"Content-Type: text/plain\nSubject: SECRET-FILE\n\nno\n")
    # A symlink with the backend's kind of name, pointing out of the outbox.
    (outbox_dir / "20260101-000000-2.log").symlink_to(secret)
    # A file in the outbox that the backend did not name.
    (outbox_dir / "notes.log").write_bytes(b"Content-Type: text/plain\n\nx\n")
    bad = [
        "/notifications/outbox/..%2F..%2F..%2Fetc%2Fpasswd/1/",
        "/notifications/outbox/../../etc/passwd/1/",
        "/notifications/outbox/%2E%2E/1/",
        "/notifications/outbox/notes.log/1/",
        "/notifications/outbox/20260101-000000-2.log/1/",
        "/notifications/outbox/20260101-000000-9.log/1/",  # not there
        f"/notifications/outbox/{real}/0/",
        f"/notifications/outbox/{real}/2/",  # past its last message
        f"/notifications/outbox/{real}x/1/",
    ]
    for url in bad:
        response = staff_client.get(url)
        assert response.status_code == 404, url
        assert "SECRET-FILE" not in response.content.decode()
    listing = staff_client.get(reverse("notifications:outbox"))
    assert [m.subject for m in listing.context["mails"]] == ["Real one"]
    assert [ref.name for ref in message_refs(outbox_dir)] == [real]


def test_with_smtp_the_page_says_there_is_no_local_outbox(
    settings, staff_client, tmp_path
):
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path)
    (tmp_path / "20260101-000000-1.log").write_bytes(
        b"Content-Type: text/plain\nSubject: Left over\n\nold\n"
    )
    response = staff_client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Email is sent by SMTP; there is no local outbox" in page
    assert "Left over" not in page
    detail = staff_client.get(
        reverse("notifications:outbox_message", args=["20260101-000000-1.log", 1])
    )
    assert detail.status_code == 404


def test_other_backends_say_nothing_is_kept(staff_client):
    # The test settings' in-memory backend.
    mail.send_mail("Held in memory", "x", None, ["amara.okafor@dwp.gov.uk"])
    response = staff_client.get(reverse("notifications:outbox"))
    page = response.content.decode()
    assert "not kept in a local outbox" in page
    assert "Held in memory" not in page
