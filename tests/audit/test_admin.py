"""Reading the audit log in the Wagtail admin: who may, filters, search, CSV."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from audit.models import AuditEntry
from forums import services as forums
from spaces import services as spaces
from tests.factories import UserFactory, give_totp

pytestmark = pytest.mark.django_db

INDEX = "/admin/audit/"


@pytest.fixture
def acts(space, thread, reply, facilitator, member):
    """Two moderation acts and a settings change, by the facilitator."""
    forums.post_hide(post=reply, moderator=facilitator, reason="Spam link")
    forums.thread_lock(
        thread=thread, moderator=facilitator, reason="=cmd|' /C calc'!A0"
    )
    spaces.space_update(space=space, by=facilitator, visibility="closed")
    return list(AuditEntry.objects.all())


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def listed(response):
    """The actions of the entries on the page (the filters list them all)."""
    assert response.status_code == 200
    return sorted(entry.action for entry in response.context["object_list"])


def assert_refused(response):
    """A 403, or Wagtail's answer to a refusal inside its admin: back to the
    dashboard, with "Sorry, you do not have permission" as a message."""
    assert response.status_code in {302, 403}, response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# -- who may read it ----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(acts):
    response = client_for(None).get(INDEX)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "who, status",
    [("member", 403), ("facilitator", 403), ("staff", 403), ("editor", 302)],
)
def test_people_without_the_permission_are_refused(acts, request, who, status):
    # Members and facilitators have no admin (cop.middleware: 403); staff
    # alone have none either (the Auditors group gives it); editors have the
    # admin but not this page, and Wagtail sends them back to its dashboard.
    client = client_for(request.getfixturevalue(who))
    for url in (
        INDEX,
        f"{INDEX}results/",
        f"{INDEX}inspect/{acts[0].pk}/",
        f"{INDEX}?export=csv",
    ):
        response = client.get(url)
        assert response.status_code == status, (who, url)
        assert_refused(response)
        assert b"Spam link" not in response.content


def test_the_permission_without_being_staff_is_refused(acts, organisation):
    # An editor handed the Auditors group by mistake still cannot read it.
    user = give_totp(UserFactory(email="ed@dwp.gov.uk", organisation=organisation))
    user.groups.add(Group.objects.get(name="Auditors"))
    assert user.has_perm("audit.view_auditentry")
    assert_refused(client_for(user).get(INDEX))
    assert_refused(client_for(user).get(f"{INDEX}?export=csv"))


@pytest.mark.parametrize("who", ["auditor", "superuser"])
def test_auditors_and_superusers_read_every_entry(acts, request, who):
    response = client_for(request.getfixturevalue(who)).get(INDEX)
    assert response.status_code == 200
    body = response.content.decode()
    for label in ("Hid a post", "Locked a thread", "Changed a space&#x27;s settings"):
        assert label in body
    assert "Fola Adebayo &lt;fac@dwp.gov.uk&gt;" in body
    assert "How do councils get benefit data?" in body
    # Read-only: nothing offers to add, edit or delete an entry.
    assert "/admin/audit/new/" not in body
    assert "/edit/" not in body and "/delete/" not in body


def test_an_entry_can_be_inspected(acts, auditor):
    entry = AuditEntry.objects.get(action="forums.post.hide")
    response = client_for(auditor).get(f"{INDEX}inspect/{entry.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Spam link" in body
    assert "Hid a post (forums.post.hide)" in body
    assert "moderation_log_id" in body


def test_there_is_no_way_to_add_edit_or_delete(acts, superuser):
    for name in ("add", "edit", "delete", "copy", "history"):
        with pytest.raises(NoReverseMatch):
            reverse(f"audit:{name}", args=() if name == "add" else (acts[0].pk,))
    client = client_for(superuser)
    entry = acts[0]
    for url in (
        f"{INDEX}new/",
        f"{INDEX}edit/{entry.pk}/",
        f"{INDEX}delete/{entry.pk}/",
    ):
        assert client.post(url, {"reason": "Rewritten"}).status_code == 404
    assert AuditEntry.objects.count() == len(acts)
    assert AuditEntry.objects.get(pk=entry.pk).reason == entry.reason


def test_the_menu_shows_the_log_to_auditors_only(acts, auditor, editor):
    assert "Audit log" in client_for(auditor).get("/admin/").content.decode()
    assert "Audit log" not in client_for(editor).get("/admin/").content.decode()


# -- filters and search ------------------------------------------------------------


def test_filter_by_action(acts, auditor):
    client = client_for(auditor)
    assert listed(client.get(INDEX)) == [
        "forums.post.hide",
        "forums.thread.lock",
        "spaces.space.update",
    ]
    response = client.get(INDEX, {"action": ["forums.post.hide", "forums.thread.lock"]})
    assert listed(response) == ["forums.post.hide", "forums.thread.lock"]


def test_filter_by_actor(acts, auditor, staff, space):
    import audit

    audit.record(staff, "people.member.update", space, reason="Fixed by hand")
    response = client_for(auditor).get(INDEX, {"actor": staff.pk})
    assert listed(response) == ["people.member.update"]


def test_filter_by_date(acts, auditor):
    old = AuditEntry.objects.get(action="forums.post.hide")
    # Entries are append-only: back-date this one in the database directly.
    AuditEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    response = client_for(auditor).get(INDEX, {"created_at_from": since})
    assert listed(response) == ["forums.thread.lock", "spaces.space.update"]
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    response = client_for(auditor).get(INDEX, {"created_at_to": until})
    assert listed(response) == ["forums.post.hide"]


def test_search(acts, auditor):
    client = client_for(auditor)
    assert listed(client.get(INDEX, {"q": "spam link"})) == ["forums.post.hide"]
    assert listed(client.get(INDEX, {"q": "Fola"})) == [
        "forums.post.hide",
        "forums.thread.lock",
        "spaces.space.update",
    ]
    assert listed(client.get(INDEX, {"q": "nothing like this"})) == []


def test_the_list_costs_the_same_whatever_its_length(
    acts, auditor, space, facilitator, django_assert_max_num_queries
):
    client = client_for(auditor)
    client.get(INDEX)  # warm Wagtail's per-process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(INDEX).status_code == 200
    for n in range(30):
        spaces.space_update(space=space, by=facilitator, name=f"Space {n}")
    with django_assert_max_num_queries(len(few)):
        assert client.get(INDEX).status_code == 200


# -- CSV export ---------------------------------------------------------------------


def test_csv_export(acts, auditor):
    response = client_for(auditor).get(INDEX, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "audit-log-" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == [
        "When",
        "Who",
        "User ID",
        "Action",
        "Type",
        "ID",
        "On what",
        "Space ID",
        "Space",
        "Reason",
        "IP address",
        "Detail",
    ]
    assert len(rows) == len(acts)
    by_action = {row[3]: row for row in rows}
    hide = by_action["forums.post.hide"]
    entry = AuditEntry.objects.get(action="forums.post.hide")
    assert hide[0] == entry.created_at.isoformat()
    assert hide[1] == "Fola Adebayo <fac@dwp.gov.uk>"
    assert hide[4:7] == ["forums.post", entry.target_id, entry.target_label]
    assert hide[9] == "Spam link"
    assert hide[11] == f'{{"moderation_log_id": {entry.detail["moderation_log_id"]}}}'
    settings = by_action["spaces.space.update"]
    assert '"visibility": ["open", "closed"]' in settings[11]


def test_csv_export_quotes_cells_a_spreadsheet_would_run(acts, auditor):
    rows = csv_rows(client_for(auditor).get(INDEX, {"export": "csv"}))
    lock = next(row for row in rows if row[3] == "forums.thread.lock")
    assert lock[9] == "'=cmd|' /C calc'!A0"


def test_csv_export_keeps_the_filters(acts, auditor):
    response = client_for(auditor).get(
        INDEX, {"export": "csv", "action": "forums.thread.lock"}
    )
    header, *rows = csv_rows(response)
    assert [row[3] for row in rows] == ["forums.thread.lock"]


def test_xlsx_export(acts, auditor):
    from openpyxl import load_workbook

    response = client_for(auditor).get(INDEX, {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("When", "Who", "User ID", "Action")
    assert sorted(row[3] for row in rows[1:]) == [
        "forums.post.hide",
        "forums.thread.lock",
        "spaces.space.update",
    ]
