"""Each staff, facilitator and admin act writes exactly one audit entry; members'
ordinary acts write none; the entry commits and rolls back with its act."""

import json

import pytest
from django.db import transaction

from audit.models import AuditEntry
from audit.services import WITHHELD
from forums import services as forums
from forums.models import ModerationLog, Reaction
from people import services as people
from people.models import OrganisationKeyContact
from spaces import services as spaces
from spaces.models import JoinRequest, Membership
from tests.factories import SpaceFactory, UserFactory, add_member
from tests.spaces.conftest import pdf_file

pytestmark = pytest.mark.django_db


def only_entry(action):
    """The one entry for `action`; fails if there are none or several."""
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, [(e.action, e.target_label) for e in entries]
    return entries[0]


def assert_entry(action, *, actor, target, space=None, reason=""):
    """The one entry for `action`, checked; reason=None skips the reason."""
    entry = only_entry(action)
    assert entry.actor == actor
    assert entry.actor_label == f"{actor.get_full_name()} <{actor.email}>"
    assert entry.target_type == target._meta.label_lower
    assert entry.target_id == str(target.pk)
    if space is not None:
        assert (entry.space_id, entry.space_label) == (space.pk, space.name)
    if reason is not None:
        assert entry.reason == reason
    return entry


# -- forums: mirrored from ModerationLog, one entry per act ----------------------


def test_hiding_and_restoring_a_post(space, thread, reply, facilitator):
    forums.post_hide(post=reply, moderator=facilitator, reason="Spam link")
    entry = assert_entry(
        "forums.post.hide",
        actor=facilitator,
        target=reply,
        space=space,
        reason="Spam link",
    )
    assert entry.target_label == f"Post {reply.pk} in “{thread.title}”"
    assert entry.detail == {
        "moderation_log_id": ModerationLog.objects.get(action="hide").pk
    }
    forums.post_restore(post=reply, moderator=facilitator, reason="Not spam")
    assert_entry(
        "forums.post.restore", actor=facilitator, target=reply, reason="Not spam"
    )
    assert AuditEntry.objects.count() == 2


def test_locking_and_unlocking_a_thread(space, thread, facilitator):
    forums.thread_lock(thread=thread, moderator=facilitator, reason="Answered")
    forums.thread_unlock(thread=thread, moderator=facilitator, reason="New facts")
    entry = assert_entry(
        "forums.thread.lock",
        actor=facilitator,
        target=thread,
        space=space,
        reason="Answered",
    )
    assert entry.target_label == thread.title
    assert_entry(
        "forums.thread.unlock", actor=facilitator, target=thread, reason="New facts"
    )
    assert AuditEntry.objects.count() == 2


def test_moving_a_thread_is_one_entry_though_both_spaces_log_it(
    space, thread, facilitator, organisation
):
    other = SpaceFactory(name="Benefits Data Group", lead_organisation=organisation)
    add_member(other, facilitator, "facilitator")
    forums.thread_move(
        thread=thread, moderator=facilitator, to_space=other, reason="Better fit"
    )
    assert ModerationLog.objects.filter(action="move").count() == 2
    entry = assert_entry(
        "forums.thread.move", actor=facilitator, target=thread, reason=None
    )
    assert (entry.space_id, entry.space_label) == (space.pk, space.name)
    assert entry.detail["to_space_id"] == other.pk
    assert entry.detail["to_space"] == "Benefits Data Group"
    assert entry.reason.startswith("Better fit")


def test_dismissing_a_report(space, reply, member, facilitator):
    flag = forums.flag_create(post=reply, user=member, reason="Looks like spam")
    assert AuditEntry.objects.count() == 0  # reporting is a member's act
    forums.flag_dismiss(flag=flag, moderator=facilitator, reason="It is fine")
    assert_entry(
        "forums.flag.dismiss", actor=facilitator, target=reply, reason="It is fine"
    )


def test_a_facilitator_accepting_an_answer_is_recorded(
    space, thread, reply, facilitator
):
    forums.answer_accept(thread=thread, post=reply, user=facilitator)
    entry = assert_entry(
        "forums.answer.accept", actor=facilitator, target=reply, space=space
    )
    assert entry.detail == {"thread_id": thread.pk, "previous_answer_id": None}


def test_the_asker_accepting_an_answer_is_not_recorded(thread, reply, member):
    forums.answer_accept(thread=thread, post=reply, user=member)
    thread.refresh_from_db()
    assert thread.accepted_answer_id == reply.pk
    assert AuditEntry.objects.count() == 0


def test_acts_on_official_sensitive_items_withhold_their_words(
    secret_space, facilitator, member
):
    add_member(secret_space, facilitator, "facilitator")
    add_member(secret_space, member, "member")
    thread = forums.thread_create(
        space=secret_space,
        author=member,
        title="Which option do we recommend?",
        body="Option one.",
        marking="official-sensitive",
    )
    post = forums.post_create(thread=thread, author=member, body="Option three.")
    forums.post_hide(post=post, moderator=facilitator, reason="Duplicate answer")
    forums.thread_lock(thread=thread, moderator=facilitator, reason="Decided")
    entries = list(AuditEntry.objects.all())
    assert {entry.action for entry in entries} == {
        "forums.post.hide",
        "forums.thread.lock",
    }
    for entry in entries:
        assert entry.target_label == WITHHELD
        assert entry.reason == WITHHELD
        assert entry.space_label == secret_space.name
        text = json.dumps(
            [entry.target_label, entry.reason, entry.detail, entry.actor_label]
        )
        for word in ("Which option", "Option three", "Duplicate answer", "Decided"):
            assert word not in text


# -- spaces: facilitators -------------------------------------------------------


def test_join_requests_approved_and_declined(
    closed_space, facilitator, member, other_member
):
    add_member(closed_space, facilitator, "owner")
    first = spaces.join_request_create(space=closed_space, user=member)
    second = spaces.join_request_create(space=closed_space, user=other_member)
    assert AuditEntry.objects.count() == 0  # asking is a member's act
    spaces.join_request_approve(space=closed_space, by=facilitator, request_id=first.pk)
    spaces.join_request_decline(
        space=closed_space, by=facilitator, request_id=second.pk
    )
    entry = assert_entry(
        "spaces.join_request.approve",
        actor=facilitator,
        target=member,
        space=closed_space,
    )
    assert entry.detail == {"join_request_id": first.pk}
    assert_entry("spaces.join_request.decline", actor=facilitator, target=other_member)
    assert JoinRequest.objects.get(pk=second.pk).status == "declined"
    assert AuditEntry.objects.count() == 2


def test_removing_a_member_and_changing_a_role(space, facilitator, member):
    membership = Membership.objects.get(space=space, user=member)
    spaces.membership_set_role(
        space=space, by=facilitator, membership_id=membership.pk, role="facilitator"
    )
    entry = assert_entry(
        "spaces.member.role", actor=facilitator, target=member, space=space
    )
    assert entry.detail == {"role": ["member", "facilitator"]}
    # Choosing the role they already have changes nothing and records nothing.
    spaces.membership_set_role(
        space=space, by=facilitator, membership_id=membership.pk, role="facilitator"
    )
    assert AuditEntry.objects.filter(action="spaces.member.role").count() == 1
    spaces.membership_remove(space=space, by=facilitator, membership_id=membership.pk)
    entry = assert_entry("spaces.member.remove", actor=facilitator, target=member)
    assert entry.detail == {"role": "facilitator"}


def test_inviting_someone(space, facilitator):
    invitation = spaces.space_invite(
        space=space, by=facilitator, email="guest@dwp.gov.uk", role="member"
    )
    entry = assert_entry(
        "spaces.member.invite", actor=facilitator, target=invitation, space=space
    )
    assert entry.target_label == f"guest@dwp.gov.uk invited to {space.name}"
    # The sign-up invitation made alongside is part of the same act.
    assert AuditEntry.objects.count() == 1


def test_changing_settings_and_archiving_a_space(space, facilitator):
    spaces.space_update(
        space=space, by=facilitator, visibility="closed", ceiling="official-sensitive"
    )
    entry = assert_entry(
        "spaces.space.update", actor=facilitator, target=space, space=space
    )
    assert entry.detail == {
        "changed": {
            "visibility": ["open", "closed"],
            "ceiling": ["official", "official-sensitive"],
        }
    }
    spaces.space_update(space=space, by=facilitator, archived=True)
    entry = assert_entry("spaces.space.archive", actor=facilitator, target=space)
    assert entry.detail == {"changed": {"archived": [False, True]}}
    # Saving the form unchanged is not an act.
    spaces.space_update(space=space, by=facilitator, visibility="closed")
    assert AuditEntry.objects.count() == 2


def test_organisations_added_and_removed(space, facilitator, other_organisation):
    spaces.space_organisation_set(
        space=space, by=facilitator, organisation=other_organisation, role="partner"
    )
    spaces.space_organisation_remove(
        space=space, by=facilitator, organisation=other_organisation
    )
    entry = assert_entry(
        "spaces.organisation.set", actor=facilitator, target=other_organisation
    )
    assert entry.detail == {"role": "partner"}
    assert_entry(
        "spaces.organisation.remove",
        actor=facilitator,
        target=other_organisation,
        space=space,
    )


def test_a_facilitator_changing_a_members_document(space, facilitator, member):
    version = spaces.document_upload(
        space=space, by=member, upload=pdf_file(), title="Terms of reference"
    )
    document = version.document
    # The uploader changing their own document is ordinary work.
    spaces.document_update(document=document, by=member, title="Terms, v2")
    assert AuditEntry.objects.count() == 0
    spaces.document_update(
        document=document,
        by=facilitator,
        title="Terms, v2",
        marking="official",
    )
    entry = assert_entry(
        "spaces.document.update", actor=facilitator, target=document, space=space
    )
    assert entry.detail == {"marking": ["official", "official"]}
    spaces.document_upload(
        space=space, by=facilitator, upload=pdf_file(), document=document
    )
    entry = assert_entry("spaces.document.version", actor=facilitator, target=document)
    assert entry.detail == {"version": 2}


# -- people: organisation admins and staff ---------------------------------------


@pytest.fixture
def org_admin(organisation):
    from people.models import Profile

    user = UserFactory(
        email="orgadmin@dwp.gov.uk",
        first_name="Olu",
        last_name="Admin",
        organisation=organisation,
    )
    Profile.objects.filter(user=user).update(is_organisation_admin=True)
    user.profile.refresh_from_db()
    return user


def test_marking_a_leaver(org_admin, member, organisation):
    successor = UserFactory(email="next@dwp.gov.uk", organisation=organisation)
    people.member_mark_leaver(by=org_admin, leaver=member, successor=successor)
    entry = assert_entry("people.member.leaver", actor=org_admin, target=member)
    assert entry.detail == {"successor_id": successor.pk, "successor": str(successor)}
    assert AuditEntry.objects.count() == 1


def test_moving_a_member_and_key_contacts(
    org_admin, member, organisation, other_organisation
):
    people.profile_admin_update(
        by=org_admin, profile=member.profile, organisation=organisation, team="Data"
    )
    entry = assert_entry("people.member.update", actor=org_admin, target=member)
    assert entry.detail == {"changed": {"team": ["", "Data"]}}
    contact = people.key_contact_set(
        by=org_admin, organisation=organisation, user=member, role="Data lead"
    )
    people.key_contact_remove(by=org_admin, contact=contact)
    assert not OrganisationKeyContact.objects.exists()
    entry = assert_entry("people.key_contact.set", actor=org_admin, target=member)
    assert entry.detail == {"organisation_id": organisation.pk, "role": "Data lead"}
    assert_entry("people.key_contact.remove", actor=org_admin, target=member)


def test_inviting_a_new_member(staff, organisation):
    invitation = people.invitation_create(
        invited_by=staff, email="New@dwp.gov.uk", organisation=organisation
    )
    entry = assert_entry("people.invitation.create", actor=staff, target=invitation)
    assert entry.detail["organisation"] == organisation.name


# -- what is not recorded, and refusals ----------------------------------------


def test_members_ordinary_acts_write_nothing(
    open_space, member, other_member, organisation
):
    space = spaces.space_create(
        user=member,
        name="Councils and data",
        purpose="Sharing what works.",
        kind="community",
        visibility="open",
        ceiling="official",
    )
    spaces.membership_join(space=space, user=other_member)
    thread = forums.thread_create(
        space=space, author=member, title="Hello", body="First post"
    )
    post = forums.post_create(thread=thread, author=other_member, body="Welcome")
    forums.post_edit(post=post, user=other_member, body="Welcome, all")
    forums.reaction_toggle(post=post, user=member, kind=Reaction.Kind.values[0])
    forums.flag_create(post=post, user=member, reason="Testing the report button")
    version = spaces.document_upload(
        space=space, by=member, upload=pdf_file(), title="Our notes"
    )
    spaces.document_upload(
        space=space, by=member, upload=pdf_file(), document=version.document
    )
    spaces.membership_leave(space=space, user=other_member)
    assert AuditEntry.objects.count() == 0


def test_refused_acts_write_nothing(space, thread, reply, member):
    # A member is not a moderator or a facilitator: each act is refused.
    with pytest.raises(forums.ForumError):
        forums.post_hide(post=reply, moderator=member, reason="Mine now")
    membership = Membership.objects.get(space=space, user=member)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        spaces.membership_remove(space=space, by=member, membership_id=membership.pk)
    with pytest.raises(PermissionDenied):
        spaces.space_update(space=space, by=member, visibility="secret")
    assert AuditEntry.objects.count() == 0


# -- the entry and its act commit together ---------------------------------------


def test_an_act_rolled_back_leaves_no_entry(reply, facilitator):
    with pytest.raises(RuntimeError), transaction.atomic():
        forums.post_hide(post=reply, moderator=facilitator, reason="Spam")
        raise RuntimeError("something later in the request failed")
    reply.refresh_from_db()
    assert not reply.hidden
    assert AuditEntry.objects.count() == 0


def test_an_entry_that_cannot_be_written_undoes_the_act(
    reply, facilitator, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditEntry.objects, "create", broken)
    with pytest.raises(RuntimeError):
        forums.post_hide(post=reply, moderator=facilitator, reason="Spam")
    reply.refresh_from_db()
    assert not reply.hidden
    assert not ModerationLog.objects.exists()


# -- the entry itself -------------------------------------------------------------


def test_the_entry_survives_its_actor(reply, facilitator):
    forums.post_hide(post=reply, moderator=facilitator, reason="Spam")
    label = f"Fola Adebayo <{facilitator.email}>"
    facilitator.delete()
    entry = only_entry("forums.post.hide")
    assert entry.actor is None
    assert entry.actor_label == label


def test_entries_cannot_be_changed_or_deleted(reply, facilitator):
    forums.post_hide(post=reply, moderator=facilitator, reason="Spam")
    entry = only_entry("forums.post.hide")
    entry.reason = "Rewritten"
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Spam"


def test_record_for_a_command_without_a_request(staff, space):
    import audit

    entry = audit.record(staff, "people.member.update", space, reason="Fixed by hand")
    assert (entry.action, entry.target_type, entry.space_id) == (
        "people.member.update",
        "spaces.space",
        space.pk,
    )
    assert entry.ip_address is None
    system = audit.record(None, "spaces.space.update", space)
    assert (system.actor, system.actor_label) == (None, "System")
