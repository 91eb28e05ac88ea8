"""The world the hostile tests attack, and a URL for every route of ours.

The actor (Amara, DWP) is an organisation admin who owns the closed
"Hostile testing ground" space, so every form in the project is open to
her. Other people's things she must never reach live in a secret space
owned by a stranger: their ids are the forged ids the tests send.
"""

from dataclasses import dataclass, field

from tests.factories import (
    OrganisationFactory,
    SpaceFactory,
    UserFactory,
    add_member,
    give_totp,
)
from tests.spaces.conftest import pdf_file
from tests.world import route_urls


@dataclass(repr=False)
class World:
    actor: object
    colleague: object
    other_member: object
    stranger: object
    editor: object  # a Wagtail editor (the admin's image form)
    home: object  # closed, OFFICIAL-SENSITIVE ceiling, the actor owns it
    target: object  # open, the actor facilitates it (somewhere to move to)
    joinable: object  # open, the actor is not a member
    askable: object  # closed, the actor is not a member
    secret: object  # secret, the stranger's: only forged ids point here
    objects: dict = field(default_factory=dict)
    forged: dict = field(default_factory=dict)
    urls: dict = field(default_factory=dict)

    def __repr__(self):
        return "World(tests/hostile/world.py)"

    def _repr_pretty_(self, printer, cycle):  # how Hypothesis prints it
        printer.text(repr(self))


def build_world():
    from casestudies.services import ensure_index_pages
    from forums import services as forums
    from home.site_setup import ensure_site
    from notifications.models import Kind, Notification
    from people import services as people
    from people.models import Invitation, OrganisationKeyContact
    from spaces import services as spaces
    from spaces.models import Action, JoinRequest
    from tests.casestudies.conftest import make_case_study

    dwp = OrganisationFactory(
        name="Department for Work and Pensions", abbreviation="DWP", domain="dwp.gov.uk"
    )
    lcc = OrganisationFactory(
        name="Leicestershire County Council",
        abbreviation="LCC",
        type="local authority",
        domain="leics.gov.uk",
    )
    actor = UserFactory(
        email="amara@dwp.gov.uk",
        first_name="Amara",
        last_name="Okafor",
        organisation=dwp,
    )
    actor.profile.is_organisation_admin = True
    actor.profile.save(update_fields=["is_organisation_admin"])
    colleague = UserFactory(
        email="colin@dwp.gov.uk", first_name="Colin", last_name="Reid", organisation=dwp
    )
    other_member = UserFactory(
        email="tom@leics.gov.uk",
        first_name="Tom",
        last_name="Ashworth",
        organisation=lcc,
    )
    stranger = UserFactory(
        email="sam@leics.gov.uk", first_name="Sam", last_name="Hollis", organisation=lcc
    )
    applicant = UserFactory(email="ada@leics.gov.uk", organisation=lcc)
    editor = give_totp(
        UserFactory(email="edie@dwp.gov.uk", organisation=dwp, groups=["Editors"])
    )

    home = SpaceFactory(
        name="Hostile testing ground",
        visibility="closed",
        ceiling="official-sensitive",
        lead_organisation=dwp,
    )
    target = SpaceFactory(name="Somewhere to move to", lead_organisation=dwp)
    joinable = SpaceFactory(name="Open to all", lead_organisation=lcc)
    askable = SpaceFactory(name="Ask first", visibility="closed", lead_organisation=lcc)
    secret = SpaceFactory(
        name="Not yours",
        visibility="secret",
        ceiling="official-sensitive",
        lead_organisation=lcc,
    )
    add_member(home, actor, "owner")
    add_member(home, colleague, "member")
    other_membership = add_member(home, other_member, "member")
    add_member(target, actor, "facilitator")
    add_member(target, other_member, "member")
    add_member(joinable, stranger, "owner")
    add_member(askable, stranger, "owner")
    add_member(secret, stranger, "owner")

    folder = spaces.folder_create(space=home, by=actor, name="Minutes")
    version = spaces.document_upload(
        space=home, by=actor, upload=pdf_file(), title="Terms of reference"
    )
    action = Action.objects.create(space=home, description="Agree the plan")
    join_request = JoinRequest.objects.create(space=home, user=applicant)
    question = forums.thread_create(
        space=home,
        author=actor,
        title="Which gateway applies?",
        body="We want to share address changes.",
        kind="question",
    )
    answer = forums.post_create(thread=question, author=other_member, body="Section 7.")
    mine = forums.post_create(thread=question, author=actor, body="Thank you.")
    flag = forums.flag_create(post=answer, user=colleague, reason="Check the source")
    to_lock = forums.thread_create(
        space=home, author=other_member, title="Meeting dates", body="Tuesdays?"
    )
    to_move = forums.thread_create(
        space=home, author=other_member, title="Wrong place", body="Moved soon."
    )
    to_hide = forums.post_create(thread=to_lock, author=other_member, body="Spam.")

    # The stranger's things: forged ids and slugs point at these.
    secret_folder = spaces.folder_create(space=secret, by=stranger, name="Private")
    secret_version = spaces.document_upload(
        space=secret, by=stranger, upload=pdf_file(), title="Private paper"
    )
    secret_thread = forums.thread_create(
        space=secret, author=stranger, title="Private talk", body="Nobody else."
    )
    secret_post = secret_thread.posts.first()
    secret_action = Action.objects.create(space=secret, description="Private action")
    secret_membership = add_member(secret, applicant, "member")

    ensure_site()
    case_index, _ = ensure_index_pages()
    published = make_case_study(case_index, "Sharing address changes", owner=stranger)
    draft = make_case_study(
        case_index, "My draft about councils", owner=actor, publish=False
    )
    strangers_draft = make_case_study(
        case_index, "Someone else's draft", owner=stranger, publish=False
    )

    mine_notification = Notification.objects.create(
        recipient=actor,
        kind=Kind.REPLY,
        title="A reply",
        url=question.get_absolute_url(),
    )
    strangers_notification = Notification.objects.create(
        recipient=stranger, kind=Kind.REPLY, title="Theirs", url="/"
    )
    introduction = people.introduction_request_create(
        from_user=other_member, to_user=actor, message="Could we talk about data?"
    )
    key_contact = OrganisationKeyContact.objects.create(
        organisation=dwp, user=colleague, role="Data lead"
    )
    signup = Invitation.objects.create(
        email="new@dwp.gov.uk", organisation=dwp, invited_by=actor
    )
    invitation = spaces.space_invite(space=askable, by=stranger, email=actor.email)

    world = World(
        actor=actor,
        colleague=colleague,
        other_member=other_member,
        stranger=stranger,
        editor=editor,
        home=home,
        target=target,
        joinable=joinable,
        askable=askable,
        secret=secret,
    )
    world.objects = {
        "dwp": dwp,
        "lcc": lcc,
        "folder": folder,
        "document": version.document,
        "version": version,
        "action": action,
        "join_request": join_request,
        "question": question,
        "answer": answer,
        "mine": mine,
        "flag": flag,
        "to_lock": to_lock,
        "to_move": to_move,
        "to_hide": to_hide,
        "published": published,
        "draft": draft,
        "membership": other_membership,
        "introduction": introduction,
        "key_contact": key_contact,
        "notification": mine_notification,
    }
    # Ids of things the actor may not touch: what a forger would send.
    world.forged = {
        "folder": secret_folder.pk,
        "document": secret_version.document_id,
        "thread": secret_thread.pk,
        "post": secret_post.pk,
        "action": secret_action.pk,
        "membership": secret_membership.pk,
        "space": secret.pk,
        "user": stranger.pk,
        "organisation": lcc.pk,
        "case_study": strangers_draft.pk,
        "notification": strangers_notification.pk,
    }

    world.urls = route_urls(
        space=home,
        version=version,
        membership=other_membership,
        join_request=join_request,
        action=action,
        invitation=invitation,
        question=question,
        answer=answer,
        flag=flag,
        person=other_member,
        organisation=dwp,
        key_contact=key_contact,
        signup=signup,
        introduction=introduction,
        draft=draft,
        published=published,
        notification=mine_notification,
        digest_period="2025-W01",
        outbox_message="hostile",
        audit_entry=1,
        # A change that would spoil the world for the other tests, or that
        # needs a space she is not in (or may leave), gets a target of its own.
        removed_organisation=lcc,
        join_space=joinable,
        ask_space=askable,
        leave_space=target,
        to_lock=to_lock,
        to_move=to_move,
        own_post=mine,
        to_hide=to_hide,
        managed=colleague,
    )
    return world
