"""The access policy, role by role, visibility by visibility, marking by marking."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from spaces import access
from spaces.models import Document, Marking
from tests.factories import add_member

pytestmark = pytest.mark.django_db

OFFICIAL = Marking.OFFICIAL
SENSITIVE = Marking.SENSITIVE


@pytest.fixture
def spaces(open_space, closed_space, secret_space):
    # Every space may hold sensitive items for these tests.
    for space in (open_space, closed_space, secret_space):
        space.ceiling = SENSITIVE
        space.save()
    return {"open": open_space, "closed": closed_space, "secret": secret_space}


@pytest.fixture
def documents(spaces):
    return {
        (name, marking): Document.objects.create(
            space=space, title=f"{name} {marking}", marking=marking
        )
        for name, space in spaces.items()
        for marking in (OFFICIAL, SENSITIVE)
    }


@pytest.fixture
def people(spaces, member, other_member, facilitator, editor, staff):
    """Each role, as the policy sees it, for every space."""
    for space in spaces.values():
        add_member(space, member, "member")
        add_member(space, facilitator, "facilitator")
    return {
        "anonymous": AnonymousUser(),
        "non-member": other_member,
        "member": member,
        "facilitator": facilitator,
        "editor": editor,  # an editor is a non-member as far as spaces go
        "staff": staff,
    }


# (role, space) -> (knows it exists, reads OFFICIAL, reads OFFICIAL-SENSITIVE)
EXPECTED = {
    ("anonymous", "open"): (False, False, False),
    ("anonymous", "closed"): (False, False, False),
    ("anonymous", "secret"): (False, False, False),
    ("non-member", "open"): (True, True, False),
    ("non-member", "closed"): (True, False, False),
    ("non-member", "secret"): (False, False, False),
    ("editor", "open"): (True, True, False),
    ("editor", "closed"): (True, False, False),
    ("editor", "secret"): (False, False, False),
    ("member", "open"): (True, True, True),
    ("member", "closed"): (True, True, True),
    ("member", "secret"): (True, True, True),
    ("facilitator", "open"): (True, True, True),
    ("facilitator", "closed"): (True, True, True),
    ("facilitator", "secret"): (True, True, True),
    # Staff moderate: they see every space and OFFICIAL content, but
    # OFFICIAL-SENSITIVE needs membership, staff included.
    ("staff", "open"): (True, True, False),
    ("staff", "closed"): (True, True, False),
    ("staff", "secret"): (True, True, False),
}


@pytest.mark.parametrize(("role", "space_name"), sorted(EXPECTED))
def test_policy_for_each_role_and_visibility(
    role, space_name, spaces, documents, people
):
    user = people[role]
    space = spaces[space_name]
    sees, reads_official, reads_sensitive = EXPECTED[(role, space_name)]

    assert access.can_view_space(user, space) is sees
    assert (space in access.visible_spaces(user)) is sees
    assert access.can_read_space(user, space) is reads_official
    assert (space in access.readable_spaces(user)) is reads_official

    official = documents[(space_name, OFFICIAL)]
    sensitive = documents[(space_name, SENSITIVE)]
    assert access.can_view(user, official) is reads_official
    assert access.can_view(user, sensitive) is reads_sensitive
    readable = set(access.visible_items(Document.objects.all(), user))
    assert (official in readable) is reads_official
    assert (sensitive in readable) is reads_sensitive
    # Anything the policy would not show is redacted from emails and previews.
    assert access.redacted_for(user, sensitive) is (not reads_sensitive)


@pytest.mark.parametrize(
    ("role", "posts", "facilitates"),
    [
        ("anonymous", False, False),
        ("non-member", False, False),
        ("editor", False, False),
        ("staff", False, False),
        ("member", True, False),
        ("facilitator", True, True),
    ],
)
def test_who_posts_and_facilitates(role, posts, facilitates, spaces, people):
    for space in spaces.values():
        assert access.can_post(people[role], space) is posts
        assert access.can_facilitate(people[role], space) is facilitates


def test_only_open_spaces_can_be_joined_straight_away(spaces, other_member, member):
    assert access.can_join(other_member, spaces["open"])
    assert not access.can_join(other_member, spaces["closed"])
    assert not access.can_join(other_member, spaces["secret"])
    add_member(spaces["open"], member)
    assert not access.can_join(member, spaces["open"])


def test_nobody_posts_in_an_archived_space(spaces, people):
    space = spaces["open"]
    space.archived = True
    space.save()
    assert not access.can_post(people["facilitator"], space)
    assert not access.can_join(people["non-member"], space)


def test_managing_a_document_needs_its_uploader_or_a_facilitator(
    spaces, people, other_member
):
    space = spaces["open"]
    add_member(space, other_member)
    document = Document.objects.create(
        space=space, title="Minutes", created_by=people["member"]
    )
    assert access.can_manage_documents(people["member"], document)
    assert access.can_manage_documents(people["facilitator"], document)
    assert not access.can_manage_documents(other_member, document)
    assert not access.can_manage_documents(people["staff"], document)


def test_get_visible_space_or_404_hides_secret_spaces(spaces, people):
    with pytest.raises(Http404):
        access.get_visible_space_or_404(people["non-member"], spaces["secret"].slug)
    assert (
        access.get_visible_space_or_404(people["member"], spaces["secret"].slug)
        == spaces["secret"]
    )


def test_get_visible_item_or_404_hides_forged_and_unreadable_ids(
    spaces, documents, people
):
    sensitive = documents[("open", SENSITIVE)]
    with pytest.raises(Http404):
        access.get_visible_item_or_404(
            Document.objects.all(), people["non-member"], pk=sensitive.pk
        )
    with pytest.raises(Http404):
        access.get_visible_item_or_404(
            Document.objects.all(), people["member"], pk="not-a-number"
        )
    assert (
        access.get_visible_item_or_404(
            Document.objects.all(), people["member"], pk=sensitive.pk
        )
        == sensitive
    )


def test_visible_items_costs_one_query(
    spaces, documents, people, django_assert_num_queries
):
    with django_assert_num_queries(1):
        list(access.visible_items(Document.objects.all(), people["member"]))
