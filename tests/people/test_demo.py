"""The demo community loads, fully described, and loading it twice is safe."""

import pytest

from home.management.commands.load_demo_data import Command
from people import demo, services
from people.models import Follow, Organisation, OrganisationKeyContact, Profile, User

pytestmark = pytest.mark.django_db


def test_demo_members_load_with_profiles_and_are_idempotent():
    command = Command()
    command.load_organisations()
    assert command.load_members() == 150
    demo.load()
    command.load_members()
    demo.load()
    assert User.objects.count() == 150
    amara = Profile.objects.get(user__email="amara.okafor@dwp.gov.uk")
    assert amara.organisation.abbreviation == "DWP"
    assert "Data sharing" in [tag.name for tag in amara.expertise.all()]
    described = Profile.objects.exclude(grade="").exclude(profession="")
    assert described.count() == 150
    assert Profile.objects.values("organisation").distinct().count() >= 35
    assert OrganisationKeyContact.objects.filter(user=amara.user).exists()
    assert User.objects.get(email="amara.okafor@dwp.gov.uk").check_password(
        "joined-up-demo"
    )


def test_demo_members_follow_colleagues_and_organisations_once():
    command = Command()
    command.load_organisations()
    command.load_members()
    assert "14 follows" in demo.load()
    demo.load()
    amara = User.objects.get(email="amara.okafor@dwp.gov.uk")
    priya = User.objects.get(email="priya.raman@digital.cabinet-office.gov.uk")
    gds = Organisation.objects.get(abbreviation="GDS")
    assert services.follow_state(amara, priya) == "following"
    assert services.follow_state(amara, gds) == "following"
    assert Follow.objects.count() == len(demo.FOLLOWS)
    assert services.followers_of(gds) == [amara.pk]
