"""A leaver's contact slots on case studies pass to their named successor."""

import pytest

from casestudies.models import CaseStudyContact
from people.services import member_mark_leaver
from tests.factories import UserFactory, give_totp

from .conftest import make_case_study

pytestmark = pytest.mark.django_db


def test_leaver_contact_slots_go_to_the_successor(case_study_index, organisation):
    leaver = UserFactory(email="leaving@dwp.gov.uk", organisation=organisation)
    successor = UserFactory(email="staying@dwp.gov.uk", organisation=organisation)
    staff = give_totp(UserFactory(email="hr@dwp.gov.uk", is_staff=True))
    first = make_case_study(
        case_study_index, "Sharing address changes", contacts=[(leaver, True)]
    )
    both = make_case_study(
        case_study_index,
        "Joint benefit checks",
        contacts=[(leaver, True), (successor, True)],
    )

    member_mark_leaver(by=staff, leaver=leaver, successor=successor)

    assert not CaseStudyContact.objects.filter(user=leaver).exists()
    assert list(
        CaseStudyContact.objects.filter(page=first).values_list("user", "consented")
    ) == [(successor.pk, True)]
    # Already a contact there: no duplicate slot.
    assert CaseStudyContact.objects.filter(page=both, user=successor).count() == 1
