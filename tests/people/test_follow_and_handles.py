import pytest

from people.models import Follow
from people.services import follow_set, follow_state, followers_of, members_by_handle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_member_gets_a_unique_handle_from_their_name(organisation):
    first = UserFactory(first_name="Amara", last_name="Okafor", email="a1@dwp.gov.uk")
    second = UserFactory(first_name="Amara", last_name="Okafor", email="a2@dwp.gov.uk")
    assert first.profile.handle == "amara-okafor"
    assert second.profile.handle == "amara-okafor-2"


def test_members_by_handle_finds_active_members_only(member, other_member):
    other_member.is_active = False
    other_member.save()
    found = members_by_handle({"AMARA-OKAFOR", "tom-ashworth", "nobody"})
    assert found == [member]


def test_follow_mute_and_forget(member, other_member, organisation):
    assert follow_state(member, organisation) is None
    follow_set(user=member, target=organisation)
    follow_set(user=member, target=organisation)  # idempotent
    follow_set(user=other_member, target=organisation, muted=True)
    assert follow_state(member, organisation) == "following"
    assert follow_state(other_member, organisation) == "muted"
    assert followers_of(organisation) == [member.pk]
    follow_set(user=member, target=organisation, following=False)
    assert follow_state(member, organisation) is None
    assert Follow.objects.count() == 1
