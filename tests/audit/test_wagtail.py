"""The editorial workflow and staff edits in the Wagtail admin reach the audit
log through Wagtail's own log entries, with who acted."""

import pytest
from django.test import Client

from audit.models import AuditEntry
from audit.services import WITHHELD
from casestudies.blocks import stream_from_text
from casestudies.services import case_study_submit
from people.models import Invitation
from tests.casestudies.conftest import make_case_study

pytestmark = pytest.mark.django_db


def only_entry(action):
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, [(e.action, e.target_label) for e in entries]
    return entries[0]


@pytest.fixture
def draft(case_study_index, member, organisation, data_sharing):
    page = make_case_study(
        case_study_index,
        "Sharing benefit data with councils",
        owner=member,
        publish=False,
        themes=[data_sharing],
        organisations=[(organisation, "lead")],
        problem=stream_from_text("Councils waited months."),
        approach=stream_from_text("One agreement, a weekly file."),
    )
    page.save_revision(user=member)
    return page


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def review(client, page, action, comment=""):
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
        {"comment": comment},
    )


def test_submit_approve_publish_and_unpublish(draft, member, editor):
    # Drafting is the member's own work: nothing recorded until they submit.
    assert AuditEntry.objects.count() == 0
    case_study_submit(page=draft, author=member)
    entry = only_entry("wagtail.workflow.start")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        member,
        "casestudies.casestudypage",
        str(draft.pk),
    )
    assert entry.target_label == "Sharing benefit data with councils"

    client = admin_client(editor)
    response = review(client, draft, "approve", comment="Clear and useful.")
    assert response.status_code == 302
    approved = only_entry("wagtail.workflow.approve")
    published = only_entry("wagtail.publish")
    for entry in (approved, published):
        assert entry.actor == editor
        assert entry.target_id == str(draft.pk)
    assert approved.reason == "Clear and useful."
    assert "workflow" in approved.detail["data"]
    assert approved.detail["wagtail_log"].startswith("wagtailcore.pagelogentry:")

    response = client.post(f"/admin/pages/{draft.pk}/unpublish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    assert only_entry("wagtail.unpublish").actor == editor


def test_changes_requested(draft, member, editor):
    case_study_submit(page=draft, author=member)
    response = review(
        admin_client(editor), draft, "reject", comment="Add the cost figures."
    )
    assert response.status_code == 302
    entry = only_entry("wagtail.workflow.reject")
    assert (entry.actor, entry.reason) == (editor, "Add the cost figures.")
    assert not AuditEntry.objects.filter(action="wagtail.publish").exists()


def test_an_official_sensitive_case_study_is_withheld(
    case_study_index, secret_space, member, editor
):
    from tests.factories import add_member

    add_member(secret_space, member, "member")
    page = make_case_study(
        case_study_index,
        "Spending options for councils",
        owner=member,
        publish=False,
        marking="official-sensitive",
        space=secret_space,
    )
    page.save_revision(user=editor).publish(user=editor)
    entry = only_entry("wagtail.publish")
    assert entry.actor == editor
    assert entry.target_label == WITHHELD
    assert entry.space_label == secret_space.name
    assert "data" not in entry.detail
    assert "Spending options" not in str(entry.detail)


def test_staff_deleting_a_snippet_in_the_admin(superuser, organisation, member):
    invitation = Invitation.objects.create(
        email="someone@dwp.gov.uk", organisation=organisation, invited_by=member
    )
    response = admin_client(superuser).post(
        f"/admin/snippets/people/invitation/delete/{invitation.pk}/"
    )
    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    entry = only_entry("wagtail.delete")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        superuser,
        "people.invitation",
        str(invitation.pk),
    )
    assert entry.target_label == str(invitation)


def test_system_publishing_has_no_actor(case_study_index):
    page = make_case_study(case_study_index, "Scheduled story", publish=False)
    page.save_revision().publish()
    entry = only_entry("wagtail.publish")
    assert (entry.actor, entry.actor_label) == (None, "System")


def test_page_created_by_an_editor_is_recorded_a_members_draft_is_not(
    case_study_index, member, editor
):
    make_case_study(case_study_index, "Members own draft", owner=member, publish=False)
    assert AuditEntry.objects.count() == 0
    page = make_case_study(
        case_study_index, "Written by the editors", owner=editor, publish=False
    )
    entry = only_entry("wagtail.create")
    assert (entry.actor, entry.target_id) == (editor, str(page.pk))
