"""Demo case studies and lessons (`make demo`), written around the facts in
../shared/reference/case_study_ideas.md. People are fictional (home/demo/people.py).

Idempotent: pages are matched by slug and updated; published ones get a new
revision, ones waiting for review are left alone.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from people.models import Organisation

from .blocks import stream_from_text
from .demo_content.case_studies import CASE_STUDIES
from .demo_content.lessons import LESSONS
from .models import (
    CaseStudyContact,
    CaseStudyOrganisation,
    CaseStudyPage,
    CuratedCollection,
    CuratedCollectionItem,
    LessonPage,
    OutcomeMeasure,
    Theme,
)
from .selectors import workflow_state_for
from .services import ensure_index_pages

EDITOR_EMAIL = "ruth.adeyemi@cabinetoffice.gov.uk"
FIELDS = ("name", "baseline", "target", "actual", "unit", "source")

COLLECTIONS = [
    (
        "celebrating-collaboration",
        "Celebrating collaboration",
        "Work across organisational boundaries that made a difference.",
        [
            "policy-action-teams-on-neighbourhood-renewal",
            "neighbouring-district-councils-share-services",
            "community-legal-service-partnerships",
            "a-pandemic-flu-framework-kept-current-by-one-newsletter",
        ],
    ),
    (
        "new-this-month",
        "New this month",
        "Recently added case studies and lessons.",
        [
            "moving-every-benefit-payment-to-electronic-payment",
            "end-of-vehicle-life-campaign-funded-by-two-bodies",
            "agree-the-data-you-will-share-before-you-share-a-building",
        ],
    ),
]


def _organisation(key):
    return Organisation.objects.filter(Q(abbreviation=key) | Q(name=key)).first()


def _users(emails):
    User = get_user_model()
    found = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [found[email] for email in emails if email in found]


def _case_study(index, spec, editor):
    owner = next(iter(_users([spec["owner"]])), None)
    page = CaseStudyPage.objects.filter(slug=spec["slug"]).first()
    creating = page is None
    if not creating:
        if not page.live and workflow_state_for(page) is not None:
            return page, "review"  # with the editors: leave it alone
        page = page.get_latest_revision_as_object()
    else:
        page = CaseStudyPage(slug=spec["slug"], live=False, owner=owner)
    page.title = page.draft_title = spec["title"]
    page.summary = spec["summary"]
    page.problem = stream_from_text(spec["problem"])
    page.approach = stream_from_text(spec["approach"])
    for field in (
        "costs",
        "savings",
        "evidence",
        "evidence_strength",
        "what_worked",
        "what_did_not_work",
        "do_differently",
    ):
        setattr(page, field, spec.get(field, ""))
    page.as_at = spec["as_at"]
    page.review_by = spec.get("review_by")
    page.is_public = spec.get("public", False)
    page.featured = spec.get("featured", False)
    page.themes = list(Theme.objects.filter(name__in=spec["themes"]))
    page.organisation_roles = [
        CaseStudyOrganisation(organisation=organisation, role=role, sort_order=i)
        for i, (organisation, role) in enumerate(
            (_organisation(key), role) for key, role in spec["organisations"]
        )
        if organisation is not None
    ]
    page.outcomes = [
        OutcomeMeasure(
            sort_order=i,
            **dict(zip(FIELDS, row, strict=True)),
        )
        for i, row in enumerate(spec.get("outcomes", []))
    ]
    consent = dict(spec.get("contacts", []))
    page.contacts = [
        CaseStudyContact(user=user, consented=consent[user.email], sort_order=i)
        for i, user in enumerate(_users(list(consent)))
    ]
    if creating:
        index.add_child(instance=page)
    revision = page.save_revision(user=owner, clean=False)
    if spec.get("status") == "review":
        workflow = page.get_workflow()
        if workflow is not None and owner is not None:
            workflow.start(page, owner)
        return page, "review"
    revision.publish(user=editor)
    return page, "published"


def _lesson(index, spec, editor):
    page = LessonPage.objects.filter(slug=spec["slug"]).first()
    creating = page is None
    page = (
        page.get_latest_revision_as_object()
        if page
        else LessonPage(slug=spec["slug"], live=False)
    )
    page.title = page.draft_title = spec["title"]
    page.lesson = spec["lesson"]
    page.what_happened = spec["what_happened"]
    page.why = spec.get("why", "")
    page.do_differently = spec.get("do_differently", "")
    page.organisation_types = spec.get("organisation_types", [])
    page.project_stage = spec.get("stage", "any")
    page.evidence_strength = spec.get("evidence_strength", "")
    page.source_thread_url = spec.get("thread_url", "")
    page.is_public = spec.get("public", False)
    source = spec.get("source")
    page.source_case_study = (
        CaseStudyPage.objects.filter(slug=source).first() if source else None
    )
    if creating:
        index.add_child(instance=page)
    page.save_revision(user=editor, clean=False).publish(user=editor)
    return page


def _collections():
    for slug, name, description, item_slugs in COLLECTIONS:
        collection, _ = CuratedCollection.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        collection.items.all().delete()
        pages = {
            p.slug: p
            for p in CaseStudyPage.objects.filter(slug__in=item_slugs).only(
                "pk", "slug"
            )
        }
        pages.update(
            (p.slug, p)
            for p in LessonPage.objects.filter(slug__in=item_slugs).only("pk", "slug")
        )
        for order, item_slug in enumerate(item_slugs):
            if item_slug in pages:
                CuratedCollectionItem.objects.create(
                    collection=collection, page_id=pages[item_slug].pk, sort_order=order
                )


@transaction.atomic
def load():
    case_study_index, lesson_index = ensure_index_pages()
    editor = next(iter(_users([EDITOR_EMAIL])), None)
    counts = {"published": 0, "review": 0}
    for spec in CASE_STUDIES:
        _page, status = _case_study(case_study_index, spec, editor)
        counts[status] += 1
    for spec in LESSONS:
        _lesson(lesson_index, spec, editor)
    _collections()
    return (
        f"{counts['published']} case studies published, {counts['review']} in review, "
        f"{len(LESSONS)} lessons, {len(COLLECTIONS)} collections"
    )
