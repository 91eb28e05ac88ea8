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
    from notifications.emails import digest_view_token, unsubscribe_token
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

    base = f"/spaces/{home.slug}"
    doc = f"{base}/documents/{version.document_id}"
    handle = other_member.profile.handle
    colleague_handle = colleague.profile.handle
    org = f"/people/organisations/{dwp.slug}"
    world.urls = {
        "healthz": "/healthz",
        "robots_txt": "/robots.txt",
        # spaces
        "spaces:directory": "/spaces/",
        "spaces:create": "/spaces/new/",
        "spaces:invitation": invitation.get_absolute_url(),
        "spaces:detail": f"{base}/",
        "spaces:edit": f"{base}/edit/",
        "spaces:organisation_set": f"{base}/organisations/",
        "spaces:organisation_remove": f"{base}/organisations/{lcc.pk}/remove/",
        "spaces:join": f"/spaces/{joinable.slug}/join/",
        "spaces:ask_to_join": f"/spaces/{askable.slug}/ask-to-join/",
        "spaces:leave": f"/spaces/{target.slug}/leave/",
        "spaces:members": f"{base}/members/",
        "spaces:invite": f"{base}/members/invite/",
        "spaces:member_role": f"{base}/members/{other_membership.pk}/role/",
        "spaces:member_remove": f"{base}/members/{other_membership.pk}/remove/",
        "spaces:join_request_decide": f"{base}/requests/{join_request.pk}/approve/",
        "spaces:actions": f"{base}/actions/",
        "spaces:action_edit": f"{base}/actions/{action.pk}/edit/",
        "spaces:documents": f"{base}/documents/",
        "spaces:folder_create": f"{base}/documents/folders/new/",
        "spaces:upload": f"{base}/documents/upload/",
        "spaces:document": f"{doc}/",
        "spaces:document_edit": f"{doc}/edit/",
        "spaces:comment_create": f"{doc}/comments/",
        "spaces:new_version": f"{doc}/versions/new/",
        "spaces:download": version.get_download_url(),
        # forums
        "forums:index": "/forums/",
        "forums:guidelines": "/forums/guidelines/",
        "forums:ask": f"/forums/ask/?to={handle}",
        "forums:space": f"/forums/spaces/{home.slug}/",
        "forums:thread_create": f"/forums/spaces/{home.slug}/new/",
        "forums:moderation": f"/forums/spaces/{home.slug}/moderation/",
        "forums:thread": f"/forums/threads/{question.pk}/",
        "forums:reply": f"/forums/threads/{question.pk}/reply/",
        "forums:posts_after": f"/forums/threads/{question.pk}/posts/",
        "forums:follow": f"/forums/threads/{question.pk}/follow/",
        "forums:lock": f"/forums/threads/{to_lock.pk}/lock/",
        "forums:move": f"/forums/threads/{to_move.pk}/move/",
        "forums:post": f"/forums/posts/{answer.pk}/",
        "forums:post_edit": f"/forums/posts/{mine.pk}/edit/",
        "forums:react": f"/forums/posts/{answer.pk}/react/",
        "forums:report": f"/forums/posts/{answer.pk}/report/",
        "forums:accept": f"/forums/posts/{answer.pk}/accept/",
        "forums:history": f"/forums/posts/{mine.pk}/history/",
        "forums:hide": f"/forums/posts/{to_hide.pk}/hide/",
        "forums:restore": f"/forums/posts/{to_hide.pk}/restore/",
        "forums:flag_dismiss": f"/forums/flags/{flag.pk}/dismiss/",
        # people
        "people:directory": "/people/",
        "people:how_to_join": "/people/join/",
        "people:invite": "/people/invite/",
        "people:invitation_accept": signup.get_absolute_url(),
        "people:profile_edit": "/people/me/edit/",
        "people:profile_confirm": "/people/me/confirm/",
        "people:introductions": "/people/introductions/",
        "people:introduction_decide": f"/people/introductions/{introduction.pk}/accept/",
        "people:organisations": "/people/organisations/",
        "people:organisation": f"{org}/",
        "people:key_contacts": f"{org}/key-contacts/",
        "people:key_contact_remove": f"{org}/key-contacts/{key_contact.pk}/remove/",
        "people:profile": f"/people/{handle}/",
        "people:profile_follow": f"/people/{handle}/follow/",
        "people:introduction_request": f"/people/{handle}/introduction/",
        "people:profile_manage": f"/people/{colleague_handle}/manage/",
        "people:profile_leaver": f"/people/{colleague_handle}/leaver/",
        # casestudies
        "casestudies:index": "/case-studies/",
        "casestudies:start": "/case-studies/contribute/",
        "casestudies:overview": f"/case-studies/contribute/{draft.pk}/",
        "casestudies:check": f"/case-studies/contribute/{draft.pk}/check/",
        "casestudies:step": f"/case-studies/contribute/{draft.pk}/story/",
        "casestudies:mine": "/case-studies/mine/",
        "casestudies:adoption": f"/case-studies/reused/{published.pk}/",
        "casestudies:feed": "/case-studies/feed/",
        "casestudies:atom": "/case-studies/feed/atom/",
        # notifications
        "notifications:index": "/notifications/",
        "notifications:mark_read": f"/notifications/{mine_notification.pk}/read/",
        "notifications:mark_all_read": "/notifications/read-all/",
        "notifications:preferences": "/notifications/preferences/",
        "notifications:unsubscribe": (
            f"/notifications/unsubscribe/{unsubscribe_token(actor.pk, Kind.REPLY)}/"
        ),
        "notifications:digest_preview": "/notifications/digest/preview/",
        "notifications:outbox": "/notifications/outbox/",
        "notifications:outbox_message": "/notifications/outbox/hostile/1/",
        "notifications:digest_view": (
            f"/notifications/digest/view/{digest_view_token(actor.pk, '2025-W01')}/"
        ),
        # search
        "search:search": "/search/",
        "search:suggest": "/search/suggest/",
        "search:similar": "/search/similar/",
        "search:similar_open": "/search/similar/open/",
        "search:similar_report": "/search/similar/report/",
        # The audit log, in the Wagtail admin.
        "audit:index": "/admin/audit/",
        "audit:index_results": "/admin/audit/results/",
        "audit:inspect": "/admin/audit/inspect/1/",
    }
    return world
