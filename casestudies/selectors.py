"""Reads for case studies and lessons. Every list goes through `visible_pages`,
which asks spaces.access, so nothing leaks to people who may not see it.

Query counts stay constant as rows grow: filters are subqueries (EXISTS), and
cards prefetch their themes and organisations.
"""

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from wagtail.models import TaskState, WorkflowState

from spaces.access import visible_items
from spaces.models import Marking

from .models import (
    CaseStudyOrganisation,
    CaseStudyPage,
    CuratedCollection,
    CuratedCollectionItem,
    LessonPage,
    OutcomeMeasure,
    Theme,
)

PAGE_SIZE = 12


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def visible_pages(queryset, user):
    """Live case studies or lessons `user` may read.

    Public OFFICIAL pages for everyone; otherwise what spaces.access allows.
    """
    queryset = queryset.live()
    public = Q(is_public=True, marking=Marking.OFFICIAL)
    if not _signed_in(user):
        return queryset.filter(public)
    readable = visible_items(queryset.model.objects.all(), user).values("pk")
    return queryset.filter(public | Q(pk__in=readable))


def visible_case_studies(user):
    return visible_pages(CaseStudyPage.objects.all(), user)


def visible_lessons(user):
    return visible_pages(LessonPage.objects.all(), user)


def with_card_data(queryset):
    """What a case study card shows, fetched in two extra queries in all."""
    return queryset.prefetch_related(
        "themes",
        Prefetch(
            "organisation_roles",
            queryset=CaseStudyOrganisation.objects.select_related(
                "organisation"
            ).order_by("sort_order"),
        ),
    )


def case_studies_filtered(
    user,
    *,
    theme=None,
    organisation=None,
    organisation_type="",
    has_outcomes=False,
    year=None,
):
    """Visible case studies matching every filter given (they combine)."""
    queryset = visible_case_studies(user)
    if theme is not None:
        through = CaseStudyPage.themes.through
        queryset = queryset.filter(
            Exists(
                through.objects.filter(
                    casestudypage_id=OuterRef("pk"),
                    theme_id__in=Theme.with_descendants([theme.pk]),
                )
            )
        )
    if organisation is not None:
        queryset = queryset.filter(
            Exists(
                CaseStudyOrganisation.objects.filter(
                    page_id=OuterRef("pk"), organisation=organisation
                )
            )
        )
    if organisation_type:
        queryset = queryset.filter(
            Exists(
                CaseStudyOrganisation.objects.filter(
                    page_id=OuterRef("pk"), organisation__type=organisation_type
                )
            )
        )
    if has_outcomes:
        queryset = queryset.filter(
            Exists(
                OutcomeMeasure.objects.filter(page_id=OuterRef("pk")).exclude(actual="")
            )
        )
    if year:
        queryset = queryset.filter(as_at__year=year)
    return queryset.order_by(
        F("as_at").desc(nulls_last=True), "-first_published_at", "pk"
    )


def case_study_index(*, request):
    from .forms import CaseStudyFilterForm

    form = CaseStudyFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    queryset = with_card_data(case_studies_filtered(request.user, **filters))
    paginator = Paginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "page_obj": page_obj,
        "case_studies": page_obj.object_list,
        "filtered": bool(filters),
        "query_string": query.urlencode(),
    }


def lesson_index(*, request):
    queryset = visible_lessons(request.user).order_by("-first_published_at", "pk")
    paginator = Paginator(queryset, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "lessons": page_obj.object_list}


def case_study_detail_context(*, page, request):
    user = request.user
    contacts = [contact for contact in page.contacts.all() if contact.consented]
    return {
        "organisation_roles": list(page.organisation_roles.all()),
        "outcomes": list(page.outcomes.all()),
        "contacts": contacts,
        "lessons": list(
            visible_lessons(user).filter(source_case_study=page).order_by("title")
        )
        if page.pk
        else [],
        "adoptions": list(page.adoptions.select_related("organisation"))
        if page.pk
        else [],
        "can_record_adoption": _signed_in(user)
        and getattr(getattr(user, "profile", None), "organisation_id", None)
        is not None,
    }


def home_curation(user, *, featured_limit=6):
    """Featured case studies and the home page collections, in 7 queries."""
    featured = list(
        with_card_data(visible_case_studies(user).filter(featured=True)).order_by(
            "-first_published_at"
        )[:featured_limit]
    )
    collections = list(
        CuratedCollection.objects.filter(show_on_home_page=True).prefetch_related(
            Prefetch(
                "items", queryset=CuratedCollectionItem.objects.order_by("sort_order")
            )
        )
    )
    page_ids = {item.page_id for c in collections for item in c.items.all()}
    pages = {}
    if page_ids:
        pages.update(
            (p.pk, p)
            for p in with_card_data(visible_case_studies(user).filter(pk__in=page_ids))
        )
        pages.update((p.pk, p) for p in visible_lessons(user).filter(pk__in=page_ids))
    shown = []
    for collection in collections:
        collection.visible_pages = [
            pages[item.page_id]
            for item in collection.items.all()
            if item.page_id in pages
        ]
        if collection.visible_pages:
            shown.append(collection)
    return {"featured_case_studies": featured, "collections": shown}


class Status:
    DRAFT = ("draft", "Draft", "govuk-tag--grey")
    IN_REVIEW = ("in_review", "In review", "govuk-tag--blue")
    CHANGES_REQUESTED = ("changes_requested", "Changes requested", "govuk-tag--orange")
    PUBLISHED = ("published", "Published", "govuk-tag--green")


def submission_status(page, workflow_state=None):
    if workflow_state is not None:
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            return Status.IN_REVIEW
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return Status.CHANGES_REQUESTED
    return Status.PUBLISHED if page.live else Status.DRAFT


def my_submissions(user):
    """The author's case studies with status and editors' comments (3 queries)."""
    pages = list(
        CaseStudyPage.objects.filter(owner=user).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "-pk"
        )
    )
    if not pages:
        return []
    ids = [str(page.pk) for page in pages]
    states = {}
    for state in WorkflowState.objects.filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        object_id__in=ids,
    ).order_by("created_at"):
        states[state.object_id] = state  # the newest wins
    comments = {}
    for task_state in (
        TaskState.objects.filter(workflow_state__in=[s.pk for s in states.values()])
        .exclude(comment="")
        .select_related("finished_by")
        .order_by("finished_at")
    ):
        comments.setdefault(task_state.workflow_state_id, []).append(task_state)
    rows = []
    for page in pages:
        state = states.get(str(page.pk))
        key, label, tag = submission_status(page, state)
        rows.append(
            {
                "page": page,
                "status": key,
                "status_label": label,
                "status_tag": tag,
                "comments": comments.get(state.pk, []) if state else [],
                "editable": key in ("draft", "changes_requested"),
            }
        )
    return rows


def workflow_state_for(page):
    """The active (in review / changes requested) workflow state, or None."""
    return (
        WorkflowState.objects.active()
        .filter(
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
            object_id=str(page.pk),
        )
        .first()
    )
