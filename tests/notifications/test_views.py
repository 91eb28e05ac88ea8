"""The notifications page, marking read, preferences and the header bell."""

import pytest
from django.urls import reverse

from notifications.models import Delivery, Kind, Notification, Preference
from notifications.services import Event, notify, preferences_of

pytestmark = pytest.mark.django_db


def make_notifications(user, n, *, read=False):
    from django.utils import timezone

    rows = [
        Notification(
            recipient=user,
            kind=Kind.REPLY,
            title=f"Reply {i}",
            url="/somewhere/",
            read_at=timezone.now() if read else None,
        )
        for i in range(n)
    ]
    return Notification.objects.bulk_create(rows)


def test_visitors_are_sent_to_sign_in(client):
    for name in ("index", "preferences", "digest_preview"):
        response = client.get(reverse(f"notifications:{name}"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_page_lists_unread_first(member_client, member):
    make_notifications(member, 2, read=True)
    unread = make_notifications(member, 1)[0]
    response = member_client.get(reverse("notifications:index"))
    page = list(response.context["page"].object_list)
    assert page[0] == unread
    assert response.context["has_unread"]
    assert b"Mark all as read" in response.content


def test_the_empty_page_says_what_to_do(member_client):
    response = member_client.get(reverse("notifications:index"))
    assert b"You have no notifications yet" in response.content


def test_the_page_costs_the_same_queries_for_few_and_many(
    member_client, member, django_assert_max_num_queries
):
    make_notifications(member, 2)
    with django_assert_max_num_queries(16) as few:
        member_client.get(reverse("notifications:index"))
    make_notifications(member, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get(reverse("notifications:index"))
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].paginator.num_pages == 4


def test_mark_one_read(member_client, member):
    notification = make_notifications(member, 1)[0]
    response = member_client.post(
        reverse("notifications:mark_read", args=[notification.pk]),
        {"next": "/notifications/?page=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_refuses_a_get_and_an_outside_redirect(member_client, member):
    notification = make_notifications(member, 1)[0]
    url = reverse("notifications:mark_read", args=[notification.pk])
    assert member_client.get(url).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
    response = member_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:index")


def test_someone_elses_notification_is_a_404_and_stays_unread(
    member_client, other_member
):
    theirs = make_notifications(other_member, 1)[0]
    response = member_client.post(reverse("notifications:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    response = member_client.post(reverse("notifications:mark_read", args=[999999]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_mine(member_client, member, other_member):
    make_notifications(member, 3)
    make_notifications(other_member, 2)
    response = member_client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=member, read_at=None).count() == 0
    assert (
        Notification.objects.filter(recipient=other_member, read_at=None).count() == 2
    )


def test_preferences_show_defaults_and_save(member_client, member):
    response = member_client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="mention" type="radio" value="instant" checked' in content
    assert 'name="reply" type="radio" value="digest" checked' in content
    choices = {kind: preferences_of(member)[kind] for kind in Kind}
    choices[Kind.REPLY] = Delivery.OFF
    choices[Kind.DIGEST] = Delivery.OFF
    response = member_client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    prefs = preferences_of(member)
    assert prefs[Kind.REPLY] == Delivery.OFF
    assert prefs[Kind.DIGEST] == Delivery.OFF
    assert prefs[Kind.MENTION] == Delivery.INSTANT


def test_an_invalid_preference_is_refused_and_changes_nothing(member_client, member):
    choices = {kind.value: "digest" for kind in Kind}
    choices[Kind.DIGEST] = "instant"  # the digest cannot be "instant"
    choices[Kind.MENTION] = "off"
    response = member_client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert Preference.objects.count() == 0
    choices = {kind.value: "digest" for kind in Kind}
    choices[Kind.REPLY] = "shout"
    response = member_client.post(reverse("notifications:preferences"), choices)
    assert b"Choose one of the options" in response.content
    assert Preference.objects.count() == 0


def test_the_bell_shows_the_unread_count_without_javascript(member_client, member):
    make_notifications(member, 3)
    content = member_client.get(reverse("notifications:index")).content.decode()
    assert 'href="/notifications/" data-bell' in content
    assert "(3<span" in content
    assert "notifications/bell.js" in content


def test_the_bell_costs_visitors_nothing(client, django_assert_num_queries):
    from notifications.context_processors import unread_notifications

    class Request:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()

    with django_assert_num_queries(0):
        assert unread_notifications(Request()) == {}


def test_the_bell_costs_members_one_query(member, django_assert_num_queries):
    from notifications.context_processors import unread_notifications

    class Request:
        user = member

    make_notifications(member, 2)
    context = unread_notifications(Request())
    with django_assert_num_queries(1):
        assert int(str(context["unread_notifications"])) == 2


def test_notify_is_quiet_for_nobody(member):
    assert (
        notify(
            event=Event(kind=Kind.REPLY, title="x", actor=member), recipients=[member]
        )
        == []
    )


def test_demo_load_is_idempotent(member, other_member):
    from notifications import demo

    demo.load()
    demo.load()
    assert Notification.objects.filter(recipient=member).count() == 1


def test_visitors_see_no_bell(client, django_assert_max_num_queries):
    response = client.get(reverse("people:how_to_join"))
    assert response.status_code == 200
    assert b"data-bell" not in response.content
