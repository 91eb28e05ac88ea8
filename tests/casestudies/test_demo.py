import pytest

from casestudies import demo
from casestudies.models import CaseStudyPage, CuratedCollection, LessonPage
from home.management.commands.load_demo_data import Command
from people.models import Contribution

pytestmark = pytest.mark.django_db


def test_demo_loads_realistic_content_and_is_idempotent(
    django_capture_on_commit_callbacks,
):
    command = Command()
    command.load_organisations()
    command.load_members()
    with django_capture_on_commit_callbacks(execute=True):
        summary = demo.load()
    assert "13 case studies published, 2 in review" in summary
    assert CaseStudyPage.objects.live().count() == 13
    assert LessonPage.objects.live().count() >= 20
    featured = CaseStudyPage.objects.live().filter(featured=True)
    assert featured.count() >= 2
    assert CuratedCollection.objects.filter(name="Celebrating collaboration").exists()
    page = CaseStudyPage.objects.get(
        slug="neighbouring-district-councils-share-services"
    )
    assert page.outcomes.count() == 1
    assert {r.organisation.abbreviation for r in page.organisation_roles.all()} == {
        "HDC",
        "LCC",
        "LGA",
    }
    assert page.contacts.filter(consented=True).count() == 2
    assert Contribution.objects.filter(kind="case_study").count() == 13
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load() == summary
    assert CaseStudyPage.objects.count() == 15
    assert LessonPage.objects.count() == len(demo.LESSONS)
