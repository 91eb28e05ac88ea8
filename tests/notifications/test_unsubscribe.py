"""One-click unsubscribe with a signed token, and the digest's browser pages."""

import datetime

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import notification_email_send
from notifications.digest import current_period, period_window
from notifications.emails import digest_view_token, unsubscribe_token
from notifications.models import Delivery, Kind, Notification, Preference
from notifications.services import preferences_of
from tests.factories import add_member

from .conftest import make_thread

pytestmark = pytest.mark.django_db


def url_for(token):
    return reverse("notifications:unsubscribe", args=[token])


def test_get_asks_first_and_changes_nothing(client, member):
    response = client.get(url_for(unsubscribe_token(member.pk, Kind.DIGEST)))
    assert response.status_code == 200
    assert (
        b"We will stop sending the weekly digest to amara@dwp.gov.uk"
        in response.content
    )
    assert not Preference.objects.exists()


def test_one_click_post_works_without_sign_in_or_csrf(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url_for(unsubscribe_token(member.pk, Kind.MENTION)),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    assert preferences_of(member)[Kind.MENTION] == Delivery.OFF
    # Honoured at once: an instant email queued before now is not sent.
    notification = Notification.objects.create(
        recipient=member, kind=Kind.MENTION, title="x"
    )
    assert not notification_email_send(notification_id=notification.pk)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "make_token",
    [
        lambda uid: unsubscribe_token(uid, Kind.DIGEST)[:-4] + "abcd",  # bad signature
        lambda uid: signing.dumps(
            {"u": uid, "k": "digest"}, salt="other"
        ),  # wrong salt
        lambda uid: signing.dumps(
            {"u": uid, "k": "everything"}, salt="notifications.unsubscribe"
        ),
        lambda uid: signing.dumps(
            {"u": str(uid), "k": "digest"}, salt="notifications.unsubscribe"
        ),
        lambda uid: unsubscribe_token(uid + 1000, Kind.DIGEST),  # nobody
        lambda uid: "not-a-token",
    ],
)
def test_forged_tokens_are_refused_and_change_nothing(client, member, make_token):
    token = make_token(member.pk)
    for method in (client.get, client.post):
        response = method(url_for(token))
        assert response.status_code == 400
        assert b"This link does not work" in response.content
    assert not Preference.objects.exists()


def test_expired_tokens_are_refused(client, member, settings):
    token = unsubscribe_token(member.pk, Kind.DIGEST)
    settings.COP_UNSUBSCRIBE_MAX_AGE = -1
    response = client.post(url_for(token))
    assert response.status_code == 400
    assert b"has expired" in response.content
    assert not Preference.objects.exists()


def test_view_in_browser_needs_a_signed_link(client, member, other_member, open_space):
    period = current_period()
    since, _ = period_window(period)
    add_member(open_space, member)
    make_thread(
        open_space, other_member, title="Shown in the browser",
        last_post_at=since + datetime.timedelta(days=1),
    )  # fmt: skip
    response = client.get(
        reverse(
            "notifications:digest_view", args=[digest_view_token(member.pk, period)]
        )
    )
    assert response.status_code == 200
    assert b"Shown in the browser" in response.content
    assert response["X-Robots-Tag"] == "noindex"
    forged = digest_view_token(member.pk, period)[:-3] + "xyz"
    assert (
        client.get(reverse("notifications:digest_view", args=[forged])).status_code
        == 404
    )
    bad_period = digest_view_token(member.pk, "someday")
    assert (
        client.get(reverse("notifications:digest_view", args=[bad_period])).status_code
        == 404
    )


def test_preview_my_digest(member_client, member, other_member, open_space):
    add_member(open_space, member)
    response = member_client.get(reverse("notifications:digest_preview"))
    assert response.status_code == 200
    assert b"Nothing in the last seven days" in response.content
    assert b"would not send a digest" in response.content
    make_thread(
        open_space, other_member, title="Fresh thread", last_post_at=timezone.now()
    )
    response = member_client.get(reverse("notifications:digest_preview"))
    assert b"Fresh thread" in response.content
