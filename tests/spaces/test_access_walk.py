"""Every spaces page, for every role, in every kind of space: the expected status.

The project-wide walk (every URL and websocket route) is assembled at
integration; this is the spaces part of it, and the table in docs/spaces.md
comes from here. Only GETs: POST-only URLs answer 405 to a GET whatever the
space (so they say nothing about it) and their refusals are tested with the
services and pages.
"""

import pytest

from spaces.models import Action, Space, SpaceInvitation
from tests.factories import add_member
from tests.spaces.conftest import pdf_file

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "non-member", "member", "facilitator", "editor", "staff"]


def row(anonymous, non_member, member, facilitator, editor, staff):
    """Statuses in the order of ROLES. Anonymous visitors always go to sign in
    (302); an editor has no say in spaces, so sees what a non-member sees."""
    statuses = (anonymous, non_member, member, facilitator, editor, staff)
    return dict(zip(ROLES, statuses, strict=True))


EXPECTED = {
    # Pages outside any one space.
    ("directory", None): row(302, 200, 200, 200, 200, 200),
    ("create", None): row(302, 200, 200, 200, 200, 200),
    # Open space.
    ("detail", "open"): row(302, 200, 200, 200, 200, 200),
    ("edit", "open"): row(302, 403, 403, 200, 403, 403),
    ("ask_to_join", "open"): row(302, 302, 302, 302, 302, 302),
    ("leave", "open"): row(302, 302, 200, 200, 302, 302),
    ("members", "open"): row(302, 200, 200, 200, 200, 200),
    ("member_remove", "open"): row(302, 403, 403, 200, 403, 403),
    ("actions", "open"): row(302, 200, 200, 200, 200, 200),
    ("action_edit", "open"): row(302, 403, 200, 200, 403, 403),
    ("documents", "open"): row(302, 200, 200, 200, 200, 200),
    ("upload", "open"): row(302, 403, 200, 200, 403, 403),
    ("document", "open"): row(302, 200, 200, 200, 200, 200),
    ("document_sensitive", "open"): row(302, 404, 200, 200, 404, 404),
    ("document_edit", "open"): row(302, 403, 403, 200, 403, 403),
    ("new_version", "open"): row(302, 403, 403, 200, 403, 403),
    ("download", "open"): row(302, 200, 200, 200, 200, 200),
    ("download_sensitive", "open"): row(302, 404, 200, 200, 404, 404),
    ("forged_document", "open"): row(302, 404, 404, 404, 404, 404),
    ("forged_version", "open"): row(302, 404, 404, 404, 404, 404),
    # Closed space: visible to all, readable by members (and staff).
    ("detail", "closed"): row(302, 200, 200, 200, 200, 200),
    ("edit", "closed"): row(302, 403, 403, 200, 403, 403),
    ("ask_to_join", "closed"): row(302, 200, 302, 302, 200, 200),
    ("leave", "closed"): row(302, 302, 200, 200, 302, 302),
    ("members", "closed"): row(302, 403, 200, 200, 403, 200),
    ("member_remove", "closed"): row(302, 403, 403, 200, 403, 403),
    ("actions", "closed"): row(302, 403, 200, 200, 403, 200),
    ("action_edit", "closed"): row(302, 403, 200, 200, 403, 403),
    ("documents", "closed"): row(302, 403, 200, 200, 403, 200),
    ("upload", "closed"): row(302, 403, 200, 200, 403, 403),
    ("document", "closed"): row(302, 404, 200, 200, 404, 200),
    ("document_sensitive", "closed"): row(302, 404, 200, 200, 404, 404),
    ("document_edit", "closed"): row(302, 404, 403, 200, 404, 403),
    ("new_version", "closed"): row(302, 404, 403, 200, 404, 403),
    ("download", "closed"): row(302, 404, 200, 200, 404, 200),
    ("download_sensitive", "closed"): row(302, 404, 200, 200, 404, 404),
    ("forged_document", "closed"): row(302, 404, 404, 404, 404, 404),
    ("forged_version", "closed"): row(302, 404, 404, 404, 404, 404),
    # Secret space: a 404 for anyone outside it (staff see it exists).
    ("detail", "secret"): row(302, 404, 200, 200, 404, 200),
    ("edit", "secret"): row(302, 404, 403, 200, 404, 403),
    ("ask_to_join", "secret"): row(302, 404, 302, 302, 404, 302),
    ("leave", "secret"): row(302, 404, 200, 200, 404, 302),
    ("members", "secret"): row(302, 404, 200, 200, 404, 200),
    ("member_remove", "secret"): row(302, 404, 403, 200, 404, 403),
    ("actions", "secret"): row(302, 404, 200, 200, 404, 200),
    ("action_edit", "secret"): row(302, 404, 200, 200, 404, 403),
    ("documents", "secret"): row(302, 404, 200, 200, 404, 200),
    ("upload", "secret"): row(302, 404, 200, 200, 404, 403),
    ("document", "secret"): row(302, 404, 200, 200, 404, 200),
    ("document_sensitive", "secret"): row(302, 404, 200, 200, 404, 404),
    ("document_edit", "secret"): row(302, 404, 403, 200, 404, 403),
    ("new_version", "secret"): row(302, 404, 403, 200, 404, 403),
    ("download", "secret"): row(302, 404, 200, 200, 404, 200),
    ("download_sensitive", "secret"): row(302, 404, 200, 200, 404, 404),
    ("forged_document", "secret"): row(302, 404, 404, 404, 404, 404),
    ("forged_version", "secret"): row(302, 404, 404, 404, 404, 404),
}


@pytest.fixture
def world(
    open_space,
    closed_space,
    secret_space,
    member,
    other_member,
    facilitator,
    editor,
    staff,
):
    from spaces import services

    urls = {"directory": "/spaces/", "create": "/spaces/new/"}
    for space in (open_space, closed_space, secret_space):
        space.ceiling = "official-sensitive"
        space.save()
        add_member(space, facilitator, "owner")
        membership = add_member(space, member, "member")
        # Documents added by the facilitator: a member may read, not manage.
        official = services.document_upload(
            space=space, by=facilitator, upload=pdf_file(), title="Terms"
        )
        sensitive = services.document_upload(
            space=space,
            by=facilitator,
            upload=pdf_file(),
            title="Risks",
            marking="official-sensitive",
        )
        action = Action.objects.create(space=space, description="Write the plan")
        base = f"/spaces/{space.slug}"
        doc = f"{base}/documents/{official.document_id}"
        urls[space.visibility] = {
            "detail": f"{base}/",
            "edit": f"{base}/edit/",
            "ask_to_join": f"{base}/ask-to-join/",
            "leave": f"{base}/leave/",
            "members": f"{base}/members/",
            "member_remove": f"{base}/members/{membership.pk}/remove/",
            "actions": f"{base}/actions/",
            "action_edit": f"{base}/actions/{action.pk}/edit/",
            "documents": f"{base}/documents/",
            "upload": f"{base}/documents/upload/",
            "document": f"{doc}/",
            "document_sensitive": sensitive.document.get_absolute_url(),
            "document_edit": f"{doc}/edit/",
            "new_version": f"{doc}/versions/new/",
            "download": official.get_download_url(),
            "download_sensitive": sensitive.get_download_url(),
            "forged_document": f"{base}/documents/987654/",
            "forged_version": f"{doc}/versions/99/download/",
        }
    users = {
        "non-member": other_member,
        "member": member,
        "facilitator": facilitator,
        "editor": editor,
        "staff": staff,
    }
    return urls, users


@pytest.mark.parametrize("role", ROLES)
def test_every_spaces_page_for_every_role(client, world, role):
    urls, users = world
    if role != "anonymous":
        client.force_login(users[role])
    wrong = []
    for (key, visibility), expected in EXPECTED.items():
        url = urls[key] if visibility is None else urls[visibility][key]
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{key} ({visibility}): {status}, expected {expected[role]}")
    assert wrong == []


def test_an_invitation_link_works_only_with_its_token(client, world, facilitator):
    urls, _ = world
    invitation = SpaceInvitation.objects.create(
        space=Space.objects.get(visibility="secret"),
        email="guest@dwp.gov.uk",
        invited_by=facilitator,
    )
    # Anyone holding the link may read it (anonymous included): it names the
    # space only to the holder of the secret token.
    assert client.get(invitation.get_absolute_url()).status_code == 200
    assert client.get("/spaces/invitations/guessed-token/").status_code == 400
