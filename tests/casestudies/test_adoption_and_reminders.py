"""'My organisation reused this' and the review-by reminder task."""

import datetime

import pytest
from django.core import mail

from casestudies.models import Adoption, ReviewReminder
from casestudies.tasks import send_review_reminders
from tests.factories import UserFactory

from .conftest import make_case_study

pytestmark = pytest.mark.django_db


def test_member_records_reuse_and_the_page_lists_it(
    member_client, organisation, case_study_index
):
    page = make_case_study(case_study_index, "Shared services")
    response = member_client.post(
        f"/case-studies/reused/{page.pk}/", {"note": "We copied the governance model."}
    )
    assert response.status_code == 302
    body = member_client.get(page.url).content.decode()
    assert "Department for Work and Pensions" in body
    assert "We copied the governance model." in body
    # A second note from the same organisation replaces the first.
    member_client.post(f"/case-studies/reused/{page.pk}/", {"note": "And the IT plan."})
    assert Adoption.objects.get().note == "And the IT plan."


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Say briefly how your organisation reused it"),
        ("x" * 501, "Note must be 500 characters or fewer"),
    ],
)
def test_bad_reuse_notes_are_refused(member_client, case_study_index, note, message):
    page = make_case_study(case_study_index, "Shared services")
    response = member_client.post(f"/case-studies/reused/{page.pk}/", {"note": note})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Adoption.objects.exists()


def test_reuse_needs_an_organisation_and_a_visible_case_study(
    client, case_study_index, secret_space
):
    page = make_case_study(case_study_index, "Shared services")
    loner = UserFactory(email="loner@example.gov.uk")
    client.force_login(loner)
    response = client.post(f"/case-studies/reused/{page.pk}/", {"note": "We did."})
    assert response.status_code == 400
    assert "not linked to an organisation" in response.content.decode()
    hidden = make_case_study(
        case_study_index, "Hidden", marking="official-sensitive", space=secret_space
    )
    assert (
        client.post(f"/case-studies/reused/{hidden.pk}/", {"note": "x"}).status_code
        == 404
    )
    assert client.post("/case-studies/reused/999999/", {"note": "x"}).status_code == 404
    assert client.get(f"/case-studies/reused/{page.pk}/").status_code == 405
    client.logout()
    response = client.post(f"/case-studies/reused/{page.pk}/", {"note": "x"})
    assert response.status_code == 302
    assert not Adoption.objects.exists()


def test_review_reminders_email_owners_once_per_date(
    member, other_member, case_study_index, django_capture_on_commit_callbacks
):
    today = datetime.date.today()
    due = make_case_study(
        case_study_index,
        "Due for review",
        owner=member,
        review_by=today - datetime.timedelta(days=1),
    )
    make_case_study(
        case_study_index,
        "Not yet",
        owner=other_member,
        review_by=today + datetime.timedelta(days=30),
    )
    make_case_study(
        case_study_index,
        "Draft past date",
        owner=other_member,
        publish=False,
        review_by=today - datetime.timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "Due for review" in mail.outbox[0].subject
    assert ReviewReminder.objects.get().page_id == due.pk
    # Running again sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 0
    assert len(mail.outbox) == 1
    # A new review-by date earns a new reminder when it passes.
    due.review_by = today
    due.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 1
    assert len(mail.outbox) == 2


def test_reminder_for_sensitive_case_study_does_not_name_it(
    member, case_study_index, secret_space, django_capture_on_commit_callbacks
):
    make_case_study(
        case_study_index,
        "Secret options",
        owner=member,
        marking="official-sensitive",
        space=secret_space,
        review_by=datetime.date.today(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_review_reminders()
    assert "Secret options" not in mail.outbox[0].subject
    assert "Secret options" not in mail.outbox[0].body
