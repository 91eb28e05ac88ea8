"""Factories shared by every test module."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from people.models import Organisation, OrganisationDomain, User

TEST_PASSWORD = "a-long-test-password-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Department of Examples {n}")
    abbreviation = factory.Sequence(lambda n: f"DOE{n}")
    type = Organisation.Type.MINISTERIAL

    @factory.post_generation
    def domain(obj, create, extracted, **kwargs):
        if create and extracted:
            OrganisationDomain.objects.get_or_create(organisation=obj, domain=extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.gov.uk")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def organisation(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            obj.profile.organisation = extracted
            obj.profile.save(update_fields=["organisation"])

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                obj.groups.add(Group.objects.get_or_create(name=name)[0])


def give_totp(user):
    """Give a privileged user an authenticator so the two-factor gate lets them in."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
    )
    return user


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "spaces.Space"

    name = factory.Sequence(lambda n: f"Example space {n}")
    purpose = "Sharing what works between departments."
    lead_organisation = factory.SubFactory(OrganisationFactory)


def add_member(space, user, role="member"):
    """Put `user` in `space` with `role` (owner, facilitator or member)."""
    from spaces.models import Membership

    membership, _ = Membership.objects.update_or_create(
        space=space, user=user, defaults={"role": role}
    )
    return membership
