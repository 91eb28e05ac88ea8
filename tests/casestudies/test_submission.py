"""A member submits a case study from the front-end form; editors review it in
the Wagtail admin; only editors publish."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from casestudies import signals
from casestudies.models import CaseStudyPage
from people.models import Contribution
from tests.factories import OrganisationFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

START = "/case-studies/contribute/"


def basics(organisation, theme, **changes):
    data = {
        "title": "Sharing benefit data with councils",
        "summary": "Councils got the benefit data they needed in days, not months.",
        "as_at": "2025-03-31",
        "themes": [theme.pk],
        "marking": "official",
        "space": "",
        "organisations-TOTAL_FORMS": "2",
        "organisations-INITIAL_FORMS": "0",
        "organisations-MIN_NUM_FORMS": "0",
        "organisations-MAX_NUM_FORMS": "10",
        "organisations-0-organisation": organisation.pk,
        "organisations-0-role": "lead",
        "organisations-1-organisation": "",
        "organisations-1-role": "partner",
        "continue": "",
    }
    data.update(changes)
    return data


STORY = {
    "problem": "Councils waited months for benefit data to target support.",
    "approach": "We agreed one data sharing agreement and a weekly secure file.",
    "costs": "Two analysts for three months.",
    "savings": "",
    "continue": "",
}

OUTCOMES = {
    "outcomes-TOTAL_FORMS": "2",
    "outcomes-INITIAL_FORMS": "0",
    "outcomes-MIN_NUM_FORMS": "0",
    "outcomes-MAX_NUM_FORMS": "12",
    "outcomes-0-name": "Days to get data",
    "outcomes-0-baseline": "90",
    "outcomes-0-target": "10",
    "outcomes-0-actual": "5",
    "outcomes-0-unit": "days",
    "outcomes-0-source": "Team records",
    "evidence": "Monitoring data from both sides.",
    "evidence_strength": "monitoring",
    "continue": "",
}

LESSONS = {
    "what_worked": "Agreeing the legal gateway first.",
    "what_did_not_work": "Email attachments.",
    "do_differently": "Bring the lawyers in on day one.",
    "name_me": "on",
    "other_contacts": "",
    "continue": "",
}


def submit_draft(client, organisation, theme):
    response = client.post(START, basics(organisation, theme))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = CaseStudyPage.objects.get(title="Sharing benefit data with councils")
    for step, data in (("story", STORY), ("outcomes", OUTCOMES), ("lessons", LESSONS)):
        response = client.post(f"{START}{page.pk}/{step}/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    return page


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def approve_in_admin(client, page, action="approve", comment=""):
    task_state = page.current_workflow_task_state
    assert task_state is not None
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
        {"comment": comment},
    )


def test_member_saves_a_draft_owned_by_them_and_not_live(
    member_client, member, organisation, case_study_index, data_sharing
):
    page = submit_draft(member_client, organisation, data_sharing)
    page.refresh_from_db()
    assert page.owner == member
    assert not page.live
    assert page.get_parent().pk == case_study_index.pk
    draft = page.get_latest_revision_as_object()
    assert draft.summary.startswith("Councils got")
    assert [o.name for o in draft.outcomes.all()] == ["Days to get data"]
    assert [c.user for c in draft.contacts.all()] == [member]
    assert [r.organisation for r in draft.organisation_roles.all()] == [organisation]
    assert list(draft.themes.all()) == [data_sharing]
    # Not visible anywhere yet.
    assert member_client.get(page.url_path.replace("/home", "")).status_code == 404
    response = member_client.get("/case-studies/mine/")
    assert "Draft" in response.content.decode()


def test_save_and_come_back_later_goes_to_my_submissions(
    member_client, organisation, case_study_index, data_sharing
):
    data = basics(organisation, data_sharing)
    del data["continue"]
    data["later"] = ""
    response = member_client.post(START, data)
    assert response["Location"] == "/case-studies/mine/"


def test_editing_again_shows_what_was_saved(
    member_client, organisation, case_study_index, data_sharing
):
    page = submit_draft(member_client, organisation, data_sharing)
    body = member_client.get(f"{START}{page.pk}/story/").content.decode()
    assert "Councils waited months" in body
    body = member_client.get(f"{START}{page.pk}/basics/").content.decode()
    assert "Councils got the benefit data" in body
    body = member_client.get(f"{START}{page.pk}/").content.decode()
    assert body.count("Completed") == 4


def test_submit_review_approve_publish_in_the_admin(
    member_client,
    member,
    organisation,
    editor,
    case_study_index,
    data_sharing,
    django_capture_on_commit_callbacks,
    client,
):
    page = submit_draft(member_client, organisation, data_sharing)
    events = []

    def record(sender, **kwargs):
        events.append((kwargs.get("status"), kwargs.get("comment")))

    signals.case_study_reviewed.connect(record)
    published = []
    signals.item_published.connect(
        lambda sender, **kw: published.append(kw["page"].pk), weak=False
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = member_client.post(f"{START}{page.pk}/check/", {"submit": ""})
        assert response.status_code == 302
        assert events == [("submitted", "")]
        state = WorkflowState.objects.get(object_id=str(page.pk))
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.requested_by == member
        assert "In review" in member_client.get("/case-studies/mine/").content.decode()
        # While in review the author cannot change it.
        response = member_client.get(f"{START}{page.pk}/story/")
        assert response.status_code == 302

        editor_client = client.__class__()
        editor_client.force_login(editor)
        with django_capture_on_commit_callbacks(execute=True):
            response = approve_in_admin(
                editor_client, page, comment="Clear and useful."
            )
        assert response.status_code == 302
    finally:
        signals.case_study_reviewed.disconnect(record)
        signals.item_published.receivers.clear()
        signals.item_published.sender_receivers_cache.clear()
    page.refresh_from_db()
    assert page.live
    assert ("approved", "Clear and useful.") in events
    assert published == [page.pk]
    # The author and the consenting contact (the author here) are recorded.
    kinds = set(
        Contribution.objects.filter(object_id=page.pk).values_list("kind", "user")
    )
    assert kinds == {("case_study", member.pk), ("case_study_contact", member.pk)}
    topics = Contribution.objects.get(kind="case_study", object_id=page.pk).topics
    assert topics == ["Data sharing"]
    body = member_client.get("/case-studies/mine/").content.decode()
    assert "Published" in body
    assert "Clear and useful." in body
    # Published: on the index, and no longer editable by the author.
    index = member_client.get(case_study_index.url).content.decode()
    assert "Sharing benefit data with councils" in index
    assert member_client.get(f"{START}{page.pk}/story/").status_code == 302


def test_editor_requests_changes_author_sees_comment_and_resubmits(
    member_client,
    organisation,
    editor,
    case_study_index,
    data_sharing,
    client,
    django_capture_on_commit_callbacks,
):
    page = submit_draft(member_client, organisation, data_sharing)
    member_client.post(f"{START}{page.pk}/check/", {"submit": ""})
    editor_client = client.__class__()
    editor_client.force_login(editor)
    events = []

    def record(sender, **kwargs):
        events.append((kwargs["status"], kwargs["comment"], kwargs["author"]))

    signals.case_study_reviewed.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = approve_in_admin(
                editor_client,
                page,
                action="reject",
                comment="Add the cost figures, please.",
            )
    finally:
        signals.case_study_reviewed.disconnect(record)
    assert response.status_code == 302
    assert events == [
        ("changes_requested", "Add the cost figures, please.", page.owner)
    ]
    body = member_client.get("/case-studies/mine/").content.decode()
    assert "Changes requested" in body
    assert "Add the cost figures, please." in body
    # The author may edit and send it back.
    story = dict(STORY, savings="About 40,000 pounds a year.")
    assert member_client.post(f"{START}{page.pk}/story/", story).status_code == 302
    response = member_client.post(f"{START}{page.pk}/check/", {"submit": ""})
    assert response.status_code == 302
    state = WorkflowState.objects.active().get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live
    assert "In review" in member_client.get("/case-studies/mine/").content.decode()


def test_members_have_no_publish_permission(
    member_client, member, organisation, case_study_index, data_sharing
):
    page = submit_draft(member_client, organisation, data_sharing)
    assert not page.permissions_for_user(member).can_publish()
    # The admin is closed to members, publish action included.
    response = member_client.post(
        f"/admin/pages/{page.pk}/edit/", {"action-publish": "action-publish"}
    )
    assert response.status_code in (302, 403)
    # A forged "publish" on the front end only submits for review, never publishes.
    member_client.post(f"{START}{page.pk}/check/", {"action-publish": "1"})
    page.refresh_from_db()
    assert not page.live


def test_editor_without_group_cannot_approve(
    member_client, organisation, case_study_index, data_sharing, client
):
    page = submit_draft(member_client, organisation, data_sharing)
    member_client.post(f"{START}{page.pk}/check/", {"submit": ""})
    other = UserFactory(email="other@dwp.gov.uk", organisation=organisation)
    other_client = client.__class__()
    other_client.force_login(other)
    approve_in_admin(other_client, page)
    page.refresh_from_db()
    assert not page.live


def test_anonymous_visitors_are_sent_to_sign_in(client, case_study_index):
    for url in (START, "/case-studies/mine/", f"{START}1/story/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.post(START, {}).status_code == 302
    assert not CaseStudyPage.objects.exists()


def test_someone_elses_draft_is_a_404(
    member_client, organisation, other_member, case_study_index, data_sharing, client
):
    page = submit_draft(member_client, organisation, data_sharing)
    other = client.__class__()
    other.force_login(other_member)
    for url in (
        f"{START}{page.pk}/",
        f"{START}{page.pk}/story/",
        f"{START}{page.pk}/check/",
    ):
        assert other.get(url).status_code == 404
    assert other.post(f"{START}{page.pk}/story/", STORY).status_code == 404
    assert other.post(f"{START}{page.pk}/check/", {"submit": ""}).status_code == 404
    draft = page.get_latest_revision_as_object()
    assert draft.costs == "Two analysts for three months."
    assert not WorkflowState.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"summary": ""}, "Enter a summary"),
        ({"summary": "x" * 281}, "Summary must be 280 characters or fewer"),
        ({"themes": []}, "Choose at least one theme"),
        (
            {"organisations-0-organisation": "999999"},
            "Choose an organisation from the list",
        ),
        (
            {"organisations-0-organisation": ""},
            "Add at least one organisation involved",
        ),
        ({"as_at": "31/31/2025"}, "Enter the date as year-month-day"),
        ({"marking": "official-sensitive"}, "Choose the space whose members may see"),
        ({"marking": "top-secret"}, "Select a valid choice"),
    ],
)
def test_bad_basics_are_refused_and_nothing_saved(
    member_client, organisation, case_study_index, data_sharing, changes, message
):
    response = member_client.post(START, basics(organisation, data_sharing, **changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert not CaseStudyPage.objects.exists()


def test_sensitive_case_study_needs_a_space_the_member_belongs_to(
    member_client, member, organisation, case_study_index, data_sharing, secret_space
):
    other_space = secret_space.__class__.objects.create(
        name="Not yours",
        purpose="x",
        visibility="closed",
        ceiling="official-sensitive",
        lead_organisation=organisation,
    )
    data = basics(
        organisation, data_sharing, marking="official-sensitive", space=other_space.pk
    )
    response = member_client.post(START, data)
    assert response.status_code == 400
    assert "Choose one of your spaces from the list" in response.content.decode()
    add_member(secret_space, member)
    data["space"] = secret_space.pk
    assert member_client.post(START, data).status_code == 302
    page = CaseStudyPage.objects.get()
    assert page.space == secret_space
    assert page.marking == "official-sensitive"


def test_bad_later_steps_are_refused_and_change_nothing(
    member_client, organisation, case_study_index, data_sharing
):
    page = submit_draft(member_client, organisation, data_sharing)
    revisions = page.revisions.count()
    response = member_client.post(f"{START}{page.pk}/story/", dict(STORY, problem=""))
    assert response.status_code == 400
    assert "Describe the problem and its context" in response.content.decode()
    bad_outcome = dict(OUTCOMES, **{"outcomes-0-name": ""})
    response = member_client.post(f"{START}{page.pk}/outcomes/", bad_outcome)
    assert response.status_code == 400
    assert "Name the measure these figures belong to" in response.content.decode()
    bad_contacts = dict(LESSONS, other_contacts="nobody@example.gov.uk")
    response = member_client.post(f"{START}{page.pk}/lessons/", bad_contacts)
    assert response.status_code == 400
    assert "No member has the email address nobody@example.gov.uk" in (
        response.content.decode()
    )
    assert page.revisions.count() == revisions
    assert member_client.get(f"{START}{page.pk}/nonsense/").status_code == 404


def test_incomplete_draft_cannot_be_submitted(
    member_client, organisation, case_study_index, data_sharing
):
    member_client.post(START, basics(organisation, data_sharing))
    page = CaseStudyPage.objects.get()
    response = member_client.post(f"{START}{page.pk}/check/", {"submit": ""})
    assert response.status_code == 400
    assert "Describe the problem and its context" in response.content.decode()
    assert not WorkflowState.objects.exists()


def test_named_contacts_by_email(
    member_client, organisation, other_member, case_study_index, data_sharing
):
    page = submit_draft(member_client, organisation, data_sharing)
    data = dict(LESSONS, name_me="", other_contacts=other_member.email.upper())
    assert member_client.post(f"{START}{page.pk}/lessons/", data).status_code == 302
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert [(c.user, c.consented) for c in draft.contacts.all()] == [
        (other_member, True)
    ]


def test_editors_group_holds_the_review_task():
    editors = Group.objects.get(name="Editors")
    from wagtail.models import GroupApprovalTask

    assert GroupApprovalTask.objects.filter(groups=editors).exists()
    assert OrganisationFactory  # factories import for other modules


def test_item_published_is_sent_on_first_publication_only(
    lesson_index, editor, django_capture_on_commit_callbacks
):
    from .conftest import make_lesson

    lesson = make_lesson(lesson_index, "Agree the gateway", publish=False)
    published = []

    def record(sender, **kwargs):
        published.append(kwargs["page"].pk)

    signals.item_published.connect(record)
    try:
        for _ in range(2):
            lesson.refresh_from_db()  # as an editor's next edit would load it
            with django_capture_on_commit_callbacks(execute=True):
                lesson.save_revision(user=editor).publish(user=editor)
    finally:
        signals.item_published.disconnect(record)
    assert published == [lesson.pk]
