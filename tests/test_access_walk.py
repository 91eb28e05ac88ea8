"""The project-wide access walk (issue 3, point 2).

Every URL route and every websocket route, for six roles: anonymous, a
signed-in member outside the space (non_member), a member of the space, its
facilitator, a Wagtail editor outside it and a staff member outside it. The
world is one SECRET space with an OFFICIAL-SENSITIVE ceiling holding a
document, threads, a flag, an action, a join request and an invitation, plus
a case study, a lesson, a notification, an introduction and an organisation.

The rules being checked (spaces/access.py): outsiders get 404 for anything in
a secret space, since its existence is itself secret; anonymous visitors go to
sign in; staff may see the space and read its OFFICIAL content to moderate,
never its OFFICIAL-SENSITIVE items. The spaces-only walk in every kind of
space is tests/spaces/test_access_walk.py.

A new named route in one of our apps fails `test_every_named_route_is_walked`
until it has a row here and a URL in tests/world.py.
"""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.apps import apps
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory, add_member
from tests.spaces.conftest import pdf_file
from tests.world import our_routes, route_urls, routes

ROLES = ["anonymous", "non_member", "member", "facilitator", "editor", "staff"]


def row(anonymous, non_member, member, facilitator, editor, staff):
    """Statuses in the order of ROLES."""
    statuses = (anonymous, non_member, member, facilitator, editor, staff)
    return dict(zip(ROLES, statuses, strict=True))


def everyone(status):
    return row(*[status] * 6)


def signed_in(status):
    """Anonymous visitors go to sign in; every signed-in role gets `status`."""
    return row(302, *[status] * 5)


# For a POST-only route a GET says nothing about the object (405).
POST_ONLY = row(302, 405, 405, 405, 405, 405)
# Inside the secret space: outsiders (non-member, editor) learn nothing.
SECRET = row(302, 404, 200, 200, 404, 200)
# OFFICIAL-SENSITIVE in the secret space: members only, staff included out.
SENSITIVE = row(302, 404, 200, 200, 404, 404)

# Words only people inside the space may read, and the subset that is
# OFFICIAL-SENSITIVE (not for staff either). Every page an outsider gets is
# searched for them.
SPACE_WORDS = [
    "Spending Review Options",  # the secret space's name
    "Terms of reference",  # OFFICIAL document
    "Meeting dates",  # OFFICIAL thread
    "Tuesdays",  # its first post
    "Draft the options",  # action
]
SENSITIVE_WORDS = [
    "Spending options",  # OFFICIAL-SENSITIVE document
    "Which option do we recommend",  # OFFICIAL-SENSITIVE thread
    "Option two",  # a post in it
    "Option three",  # a hidden post in it
    "Duplicate answer",  # why a moderator hid it
]
# Links whose secret token is the proof: the holder may read what they name.
TOKEN_LINKS = {"spaces:invitation"}


# Public pages: healthz, robots.txt, the Wagtail site pages, case studies'
# index and feeds (published case studies only), guidelines, how to join and
# search (which filters what each person may see: tests/search).
PUBLIC = everyone(200)
# Moderator-only pages for a thread or post in the space: the facilitator,
# and staff for OFFICIAL items; a member gets 404 (not their page).
MODERATE = row(302, 404, 404, 200, 404, 404)
MODERATE_OFFICIAL = row(302, 404, 404, 200, 404, 200)
# Staff-only pages.
STAFF_ONLY = row(302, 403, 403, 403, 403, 200)
# The member's own draft case study: 404 for everyone else.
OWNER_ONLY = row(302, 404, 200, 404, 404, 404)
# The audit log (Wagtail admin): superusers and staff in the Auditors group
# only (tests/audit). Without admin access, cop.middleware answers 403; an
# editor has the admin, and Wagtail sends them back to its dashboard.
AUDITORS_ONLY = row(302, 403, 403, 403, 302, 403)

EXPECTED = {
    # Project routes (cop/urls.py) and pages served by Wagtail.
    "healthz": PUBLIC,
    "robots_txt": PUBLIC,
    "page:home": PUBLIC,
    "page:accessibility": PUBLIC,
    "page:case_study": signed_in(200),
    "page:lesson": signed_in(200),
    "page:draft": everyone(404),
    "page:missing": everyone(404),
    # Third-party samples. /admin/: members get a 403 from
    # cop.middleware.AdminAccessMiddleware; the Wagtail admin needs the
    # wagtailadmin.access_admin permission (Editors group, or a superuser),
    # which is_staff alone does not give.
    "admin": row(302, 403, 403, 403, 200, 403),
    # allauth sends anyone already signed in on.
    "account_login": row(200, 302, 302, 302, 302, 302),
    # Wagtail documents (no space documents live there): an unknown one.
    "documents@forged": everyone(404),
    # spaces: the secret space is a 404 for anyone outside it; staff see it
    # exists and read its OFFICIAL content, never OFFICIAL-SENSITIVE.
    "spaces:directory": signed_in(200),
    "spaces:create": signed_in(200),
    "spaces:invitation": PUBLIC,  # the token is the proof (names the space)
    "spaces:invitation@forged": everyone(400),
    "spaces:detail": SECRET,
    "spaces:edit": row(302, 404, 403, 200, 404, 403),
    "spaces:organisation_set": POST_ONLY,
    "spaces:organisation_remove": POST_ONLY,
    "spaces:join": POST_ONLY,
    "spaces:ask_to_join": row(302, 404, 302, 302, 404, 302),
    "spaces:leave": row(302, 404, 200, 200, 404, 302),
    "spaces:members": SECRET,
    "spaces:invite": POST_ONLY,
    "spaces:member_role": POST_ONLY,
    "spaces:member_remove": row(302, 404, 403, 200, 404, 403),
    "spaces:join_request_decide": POST_ONLY,
    "spaces:join_request_decide@decline": POST_ONLY,
    "spaces:actions": SECRET,
    "spaces:action_edit": row(302, 404, 200, 200, 404, 403),
    "spaces:documents": SECRET,
    "spaces:folder_create": POST_ONLY,
    "spaces:upload": row(302, 404, 200, 200, 404, 403),
    "spaces:document": SECRET,
    "spaces:document@sensitive": SENSITIVE,
    "spaces:document@forged": signed_in(404),
    # The member uploaded both documents, so may manage them.
    "spaces:document_edit": row(302, 404, 200, 200, 404, 403),
    "spaces:document_edit@sensitive": SENSITIVE,
    "spaces:comment_create": POST_ONLY,
    "spaces:new_version": row(302, 404, 200, 200, 404, 403),
    "spaces:new_version@sensitive": SENSITIVE,
    "spaces:download": SECRET,
    "spaces:download@sensitive": SENSITIVE,
    "spaces:download@forged": signed_in(404),
    # forums
    "forums:index": signed_in(200),
    "forums:guidelines": PUBLIC,
    # Asking the member: 404 for the member (no asking yourself).
    "forums:ask": row(302, 200, 404, 200, 200, 200),
    "forums:space": SECRET,
    # Staff are not members, so are sent back to the space's threads.
    "forums:thread_create": row(302, 404, 200, 200, 404, 302),
    "forums:moderation": row(302, 404, 404, 200, 404, 200),
    "forums:thread": SENSITIVE,
    "forums:thread@official": SECRET,
    "forums:thread@forged": signed_in(404),
    "forums:reply": POST_ONLY,
    "forums:posts_after": SENSITIVE,
    "forums:posts_after@official": SECRET,
    "forums:follow": POST_ONLY,
    "forums:lock": MODERATE,
    "forums:lock@official": MODERATE_OFFICIAL,
    "forums:move": MODERATE,
    "forums:move@official": MODERATE_OFFICIAL,
    # A post's permalink redirects to its place in the thread.
    "forums:post": row(302, 404, 302, 302, 404, 404),
    "forums:post@official": row(302, 404, 302, 302, 404, 302),
    # Only the author edits a post (the member wrote it).
    "forums:post_edit": OWNER_ONLY,
    "forums:react": POST_ONLY,
    "forums:report": SENSITIVE,
    "forums:report@official": SECRET,
    "forums:accept": POST_ONLY,
    "forums:history": MODERATE,
    "forums:history@official": MODERATE_OFFICIAL,
    "forums:hide": MODERATE,
    "forums:hide@official": MODERATE_OFFICIAL,
    "forums:restore": MODERATE,
    "forums:flag_dismiss": POST_ONLY,
    # people
    "people:directory": signed_in(200),
    "people:how_to_join": PUBLIC,
    "people:invite": STAFF_ONLY,  # or organisation admins (none here)
    # An invitation link sends visitors to sign up and members on.
    "people:invitation_accept": everyone(302),
    "people:profile_edit": signed_in(200),
    "people:profile_confirm": POST_ONLY,
    "people:introductions": signed_in(200),
    "people:introduction_decide": POST_ONLY,
    "people:organisations": signed_in(200),
    "people:organisation": signed_in(200),
    "people:key_contacts": STAFF_ONLY,
    "people:key_contact_remove": POST_ONLY,
    "people:profile": signed_in(200),
    "people:profile_follow": POST_ONLY,
    # The member's own profile: no introduction to yourself.
    "people:introduction_request": row(302, 200, 404, 200, 200, 200),
    "people:profile_manage": STAFF_ONLY,
    "people:profile_leaver": STAFF_ONLY,
    # casestudies
    "casestudies:index": PUBLIC,
    "casestudies:start": signed_in(200),
    "casestudies:overview": OWNER_ONLY,
    "casestudies:check": OWNER_ONLY,
    "casestudies:step": OWNER_ONLY,
    "casestudies:mine": signed_in(200),
    "casestudies:adoption": POST_ONLY,
    "casestudies:feed": PUBLIC,
    "casestudies:atom": PUBLIC,
    # notifications
    "notifications:index": signed_in(200),
    "notifications:mark_read": POST_ONLY,
    "notifications:mark_all_read": POST_ONLY,
    "notifications:preferences": signed_in(200),
    # Signed links from emails: the token is the proof, no sign-in needed.
    "notifications:unsubscribe": PUBLIC,
    "notifications:unsubscribe@forged": everyone(400),
    "notifications:digest_preview": signed_in(200),
    "notifications:digest_view": PUBLIC,
    "notifications:digest_view@forged": everyone(404),
    # The staff outbox. The test settings keep mail in memory, not in files,
    # so staff get the page saying so, and no message to open (404);
    # tests/notifications/test_outbox.py walks it with the file backend.
    "notifications:outbox": STAFF_ONLY,
    "notifications:outbox_message": row(302, 403, 403, 403, 403, 404),
    "notifications:outbox_message@forged": row(302, 403, 403, 403, 403, 404),
    # search
    "search:search": PUBLIC,
    "search:suggest": PUBLIC,
    "search:similar": signed_in(200),
    # Records the click and redirects; the thread itself then answers 404.
    "search:similar_open": signed_in(302),
    "search:similar_report": STAFF_ONLY,
    # audit
    "audit:index": AUDITORS_ONLY,
    "audit:index_results": AUDITORS_ONLY,
    "audit:inspect": AUDITORS_ONLY,
}

# Websocket routes: True = accepted.
WS_EXPECTED = {
    "ws:me": dict(zip(ROLES, [False, True, True, True, True, True], strict=True)),
    "ws:thread": dict(
        zip(ROLES, [False, False, True, True, False, False], strict=True)
    ),
    # Staff may read an OFFICIAL thread in the secret space (moderation), as
    # over HTTP.
    "ws:thread@official": dict(
        zip(ROLES, [False, False, True, True, False, True], strict=True)
    ),
    "ws:thread@forged": dict(zip(ROLES, [False] * 6, strict=True)),
}


@pytest.fixture
def world(secret_space, member, other_member, facilitator, editor, staff):
    """The world every route is walked in; returns (urls, users)."""
    from audit.models import AuditEntry
    from casestudies.services import ensure_index_pages
    from forums import services as forums
    from notifications.digest import current_period
    from notifications.models import Kind, Notification
    from people import services as people
    from people.models import Invitation, OrganisationKeyContact
    from spaces import services as spaces
    from spaces.models import Action, JoinRequest
    from tests.casestudies.conftest import make_case_study, make_lesson

    space = secret_space
    organisation = member.profile.organisation
    add_member(space, facilitator, "facilitator")
    membership = add_member(space, member, "member")
    applicant = UserFactory(email="applicant@dwp.gov.uk", organisation=organisation)

    # Documents: an OFFICIAL one and an OFFICIAL-SENSITIVE one, each a version.
    official = spaces.document_upload(
        space=space, by=member, upload=pdf_file(), title="Terms of reference"
    )
    sensitive = spaces.document_upload(
        space=space,
        by=member,
        upload=pdf_file(),
        title="Spending options",
        marking="official-sensitive",
    )
    action = Action.objects.create(space=space, description="Draft the options")
    # Secret spaces take no requests through the service (nobody outside can
    # see them); the row is made directly so its decide URL can be walked.
    join_request = JoinRequest.objects.create(space=space, user=applicant)
    invitation = spaces.space_invite(
        space=space, by=facilitator, email="guest@dwp.gov.uk"
    )

    # Threads: a sensitive question with posts and a flag; an OFFICIAL one.
    question = forums.thread_create(
        space=space,
        author=member,
        title="Which option do we recommend?",
        body="The options are attached.",
        kind="question",
        marking="official-sensitive",
    )
    answer = forums.post_create(thread=question, author=member, body="Option two.")
    flag = forums.flag_create(post=answer, user=facilitator, reason="Off topic")
    # A hidden post: the moderation queue lists it and the log records it.
    hidden = forums.post_create(thread=question, author=member, body="Option three.")
    forums.post_hide(post=hidden, moderator=facilitator, reason="Duplicate answer")
    discussion = forums.thread_create(
        space=space, author=member, title="Meeting dates", body="Tuesdays?"
    )
    official_post = discussion.posts.first()

    # Case studies: a published one, its lesson, and the member's draft.
    # Transactional tests empty the tables: put the site's pages back first.
    from home.site_setup import ensure_site

    ensure_site()
    case_index, lesson_index = ensure_index_pages()
    case_study = make_case_study(case_index, "Sharing address changes", owner=member)
    lesson = make_lesson(lesson_index, "Agree data owners early", source=case_study)
    draft = make_case_study(
        case_index, "Draft about councils", owner=member, publish=False
    )

    notification = Notification.objects.create(
        recipient=member,
        kind=Kind.REPLY,
        title="A reply",
        url=discussion.get_absolute_url(),
    )
    introduction = people.introduction_request_create(
        from_user=facilitator, to_user=member, message="Could we talk about data?"
    )
    key_contact = OrganisationKeyContact.objects.create(
        organisation=organisation, user=member, role="Data lead"
    )
    signup = Invitation.objects.create(
        email="new@dwp.gov.uk", organisation=organisation, invited_by=member
    )

    base = f"/spaces/{space.slug}"
    doc = f"{base}/documents/{official.document_id}"
    sdoc = f"{base}/documents/{sensitive.document_id}"
    urls = route_urls(
        space=space,
        version=official,
        membership=membership,
        join_request=join_request,
        action=action,
        invitation=invitation,
        question=question,
        answer=answer,
        flag=flag,
        person=member,
        organisation=organisation,
        key_contact=key_contact,
        signup=signup,
        introduction=introduction,
        draft=draft,
        published=case_study,
        notification=notification,
        digest_period=current_period(),
        outbox_message="20260101-000000-1.log",
        # The world's moderation (the hidden post) wrote an entry.
        audit_entry=AuditEntry.objects.first().pk,
        commented=sensitive,
    ) | {
        # Searches that find the space's things.
        "search:search": "/search/?q=options",
        "search:suggest": "/search/suggest/?q=opt",
        "search:similar": "/search/similar/?title=Which+option",
        "search:similar_open": f"/search/similar/open/?kind=thread&to=/forums/threads/{question.pk}/",
        # Wagtail pages.
        "page:home": "/",
        "page:accessibility": "/accessibility/",
        "page:case_study": case_study.url,
        "page:lesson": lesson.url,
        "page:draft": draft.url or f"{case_index.url}{draft.slug}/",
        "page:missing": "/no-such-page/",
        # Third-party samples.
        "admin": "/admin/",
        "account_login": "/accounts/login/",
        "documents@forged": "/documents/987654/missing.pdf",
        # Our routes at other things: OFFICIAL-SENSITIVE, OFFICIAL, forged.
        "spaces:invitation@forged": "/spaces/invitations/guessed-token/",
        "spaces:join_request_decide@decline": (
            f"{base}/requests/{join_request.pk}/decline/"
        ),
        "spaces:document@sensitive": f"{sdoc}/",
        "spaces:document@forged": f"{base}/documents/987654/",
        "spaces:document_edit@sensitive": f"{sdoc}/edit/",
        "spaces:new_version@sensitive": f"{sdoc}/versions/new/",
        "spaces:download@sensitive": sensitive.get_download_url(),
        "spaces:download@forged": f"{doc}/versions/99/download/",
        "forums:thread@official": f"/forums/threads/{discussion.pk}/",
        "forums:thread@forged": "/forums/threads/987654/",
        "forums:posts_after@official": f"/forums/threads/{discussion.pk}/posts/",
        "forums:lock@official": f"/forums/threads/{discussion.pk}/lock/",
        "forums:move@official": f"/forums/threads/{discussion.pk}/move/",
        "forums:post@official": f"/forums/posts/{official_post.pk}/",
        "forums:report@official": f"/forums/posts/{official_post.pk}/report/",
        "forums:history@official": f"/forums/posts/{official_post.pk}/history/",
        "forums:hide@official": f"/forums/posts/{official_post.pk}/hide/",
        "notifications:unsubscribe@forged": "/notifications/unsubscribe/forged/",
        "notifications:digest_view@forged": "/notifications/digest/view/forged/",
        "notifications:outbox_message@forged": (
            "/notifications/outbox/..%5C..%5Ccop%5Csettings%5Cbase.py/1/"
        ),
    }
    users = {
        "non_member": other_member,
        "member": member,
        "facilitator": facilitator,
        "editor": editor,
        "staff": staff,
    }
    sockets = {
        "ws:me": "/ws/me/",
        "ws:thread": f"/ws/threads/{question.pk}/",
        "ws:thread@official": f"/ws/threads/{discussion.pk}/",
        "ws:thread@forged": "/ws/threads/987654/",
    }
    return urls, users, sockets


def _client_for(role, users):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(world, role):
    urls, users, _ = world
    assert set(urls) == set(EXPECTED), "the world and the table name the same rows"
    client = _client_for(role, users)
    inside = role in {"member", "facilitator"}
    wrong, leaks = [], []
    for key, url in urls.items():
        response = client.get(url)
        expected = EXPECTED[key][role]
        if response.status_code != expected:
            wrong.append(f"{key} {url}: {response.status_code}, expected {expected}")
        if response.status_code != 200 or inside or key in TOKEN_LINKS:
            continue
        # Whatever an outsider may open must not quote the space's content;
        # staff may read OFFICIAL content, never OFFICIAL-SENSITIVE.
        words = SENSITIVE_WORDS + ([] if role == "staff" else SPACE_WORDS)
        body = _body(response)
        leaks += [f"{key} {url} shows {word!r}" for word in words if word in body]
    assert wrong == []
    assert leaks == []


def test_every_named_route_is_walked():
    walked = {key.split("@")[0] for key in EXPECTED}
    missing, unnamed = [], []
    for name, route in our_routes():
        if not name:
            unnamed.append(route)
        elif name not in walked:
            missing.append(f"{name} ({route})")
    assert unnamed == [], f"name these routes so the walk can list them: {unnamed}"
    assert missing == [], f"add rows to EXPECTED (and the world) for: {missing}"
    # The table names nothing that no longer exists.
    names = {name for name, _, _ in routes() if name}
    stale = {key for key in walked if ":" in key and not key.startswith("page:")}
    assert stale - names == set()


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        # Wagtail makes an editor's preferences row the first time a page
        # renders its userbar: not something the request changed.
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label != "wagtailusers.UserProfile"
    }


# What an outsider might try to change in the secret space or in someone
# else's things: plausible form data, every route that writes.
ATTEMPT = {
    "name": "Renamed",
    "purpose": "Taken over",
    "title": "Injected",
    "body": "Injected post",
    "description": "Injected",
    "reason": "Because",
    "message": "Let me in",
    "email": "intruder@leics.gov.uk",
    "role": "owner",
    "kind": "like",
    "state": "following",
    "marking": "official",
    "status": "done",
    "visibility": "open",
    "ceiling": "official",
    "organisation": "1",
    "to_space": "1",
}
WRITES = [
    "spaces:edit",
    "spaces:organisation_set",
    "spaces:organisation_remove",
    "spaces:join",
    "spaces:ask_to_join",
    "spaces:leave",
    "spaces:invite",
    "spaces:member_role",
    "spaces:member_remove",
    "spaces:join_request_decide",
    "spaces:join_request_decide@decline",
    "spaces:action_edit",
    "spaces:folder_create",
    "spaces:upload",
    "spaces:document_edit",
    "spaces:document_edit@sensitive",
    "spaces:comment_create",
    "spaces:new_version",
    "forums:thread_create",
    "forums:reply",
    "forums:follow",
    "forums:lock",
    "forums:move",
    "forums:post_edit",
    "forums:react",
    "forums:report",
    "forums:accept",
    "forums:hide",
    "forums:restore",
    "forums:flag_dismiss",
    "people:introduction_decide",
    "people:key_contact_remove",
    "people:profile_manage",
    "people:profile_leaver",
    "casestudies:step",
    "casestudies:check",
    "notifications:mark_read",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "non_member", "editor"])
def test_outsiders_change_nothing(world, role):
    from notifications.models import Notification

    urls, users, _ = world
    client = _client_for(role, users)
    before = _row_counts()
    wrong = []
    for key in WRITES:
        data = dict(ATTEMPT, file=pdf_file())
        response = client.post(urls[key], data)
        status = response.status_code
        if role == "anonymous":
            refused = status == 302 and "/accounts/login/" in response["Location"]
        else:
            refused = status in {403, 404, 405}
        if not refused:
            wrong.append(f"{key} {urls[key]}: {status}")
    after = _row_counts()
    changed = {
        label: (before[label], after[label])
        for label in before
        if before[label] != after[label]
    }
    assert wrong == []
    assert changed == {}
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


# Websockets: the full ASGI application, origin check and session included.


@pytest.fixture
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


async def _cookie(user):
    client = Client()
    await sync_to_async(client.force_login)(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}"


async def _accepted(path, cookie, origin=b"http://127.0.0.1"):
    from cop.asgi import application

    headers = [(b"origin", origin)]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    if connected:
        await communicator.disconnect()
    return connected


@pytest.mark.django_db(transaction=True)
async def test_every_websocket_route_for_every_role(world, _in_memory_layer):
    from cop.routing import websocket_urlpatterns

    _, users, sockets = world
    # Every websocket route has a row.
    routes = {str(pattern.pattern) for pattern in websocket_urlpatterns}
    assert routes == {"ws/me/", "ws/threads/<int:thread_id>/"}
    assert set(sockets) == set(WS_EXPECTED)
    wrong = []
    for role in ROLES:
        cookie = None if role == "anonymous" else await _cookie(users[role])
        for key, path in sockets.items():
            accepted = await _accepted(path, cookie)
            if accepted != WS_EXPECTED[key][role]:
                wrong.append(f"{key} {role}: accepted={accepted}")
            # Another site's page never gets a socket, whoever is signed in.
            if await _accepted(path, cookie, origin=b"https://evil.example"):
                wrong.append(f"{key} {role}: accepted from another origin")
    assert wrong == []
