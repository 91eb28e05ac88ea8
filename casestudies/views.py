"""Member-facing views: the multi-step submission form, "My submissions",
"we reused this". Thin: forms validate, services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.views import serve as wagtail_serve

from . import selectors, services
from .forms import (
    AdoptionForm,
    BasicsForm,
    EvidenceForm,
    LessonsForm,
    OrganisationRoleFormSet,
    OutcomeFormSet,
    StoryForm,
)
from .models import CaseStudyIndexPage, CaseStudyPage

STEP_TITLES = {
    "basics": "Title, summary and who was involved",
    "story": "The problem and what you did",
    "outcomes": "Outcomes and evidence",
    "lessons": "Lessons and contacts",
}


def index(request):
    """The case study index: a named URL (casestudies:index) for the Wagtail page.

    Served through Wagtail when the page lives at this URL (its default slug);
    if editors moved it, redirect there.
    """
    page = CaseStudyIndexPage.objects.live().first()
    if page is None:
        raise Http404("There are no case studies yet.")
    url = page.get_url(request)
    if url != request.path:
        return redirect(url)
    return wagtail_serve(request, request.path.lstrip("/"))


def _own_draft_or_404(request, pk):
    """The member's own case study, else 404 (never reveal someone else's)."""
    page = CaseStudyPage.objects.filter(pk=pk, owner=request.user).first()
    if page is None:
        raise Http404("No such draft.")
    return page


def _step_forms(step, request, page=None):
    """(forms, formset) bound to POST, or filled from the draft."""
    data = request.POST if request.method == "POST" else None
    initial, rows = services.step_initial(page, step) if page else ({}, [])
    if step == "basics":
        form = BasicsForm(data, initial=initial, user=request.user)
        formset = OrganisationRoleFormSet(data, initial=rows, prefix="organisations")
        if page is None and not rows and data is None:
            organisation = getattr(request.user.profile, "organisation", None)
            formset = OrganisationRoleFormSet(
                initial=[{"organisation": organisation, "role": "lead"}]
                if organisation
                else [],
                prefix="organisations",
            )
        return [form], formset
    if step == "story":
        return [StoryForm(data, initial=initial)], None
    if step == "outcomes":
        return [EvidenceForm(data, initial=initial)], OutcomeFormSet(
            data, initial=rows, prefix="outcomes"
        )
    if step == "lessons":
        return [LessonsForm(data, initial=initial)], None
    raise Http404("No such step.")


def _valid(forms, formset):
    # Validate every form (not all() short-circuiting) so each shows its errors.
    results = [form.is_valid() for form in forms]
    results.append(formset is None or formset.is_valid())
    return all(results)


def _step_data(step, forms, formset, user):
    form = forms[0]
    if step == "basics":
        return {"basics": form.cleaned_data, "organisations": formset.roles()}
    if step == "story":
        return {"story": form.cleaned_data}
    if step == "outcomes":
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("name")]
        return {"evidence": form.cleaned_data, "outcomes": rows}
    contacts = ([user] if form.cleaned_data["name_me"] else []) + [
        u for u in form.contact_users if u.pk != user.pk
    ]
    return {"lessons": form.cleaned_data, "contacts": contacts}


def _after_save(request, page, step):
    if "later" in request.POST:
        messages.success(
            request, "Your draft is saved. Come back to it from My submissions."
        )
        return redirect("casestudies:mine")
    following = list(STEP_TITLES)
    position = following.index(step)
    if position + 1 < len(following):
        return redirect("casestudies:step", pk=page.pk, step=following[position + 1])
    return redirect("casestudies:check", pk=page.pk)


def _render_step(request, step, forms, formset, page=None, status=200):
    return render(
        request,
        "casestudies/submit/step.html",
        {
            "step": step,
            "step_title": STEP_TITLES[step],
            "forms": forms,
            "formset": formset,
            "draft": page,
            "step_number": list(STEP_TITLES).index(step) + 1,
        },
        status=status,
    )


@login_required
def submission_start(request):
    forms, formset = _step_forms("basics", request)
    if request.method == "POST":
        if _valid(forms, formset):
            data = _step_data("basics", forms, formset, request.user)
            page = services.case_study_draft_create(author=request.user, **data)
            return _after_save(request, page, "basics")
        return _render_step(request, "basics", forms, formset, status=400)
    return _render_step(request, "basics", forms, formset)


@login_required
def submission_step(request, pk, step):
    page = _own_draft_or_404(request, pk)
    if step not in STEP_TITLES:
        raise Http404("No such step.")
    if not services.can_edit_draft(request.user, page):
        messages.info(
            request, "This case study is with the editors, so it cannot be changed now."
        )
        return redirect("casestudies:mine")
    draft = services.editable_draft(page)
    forms, formset = _step_forms(step, request, draft)
    if request.method == "POST":
        if _valid(forms, formset):
            data = _step_data(step, forms, formset, request.user)
            services.case_study_draft_update(
                page=page, author=request.user, step=step, **data
            )
            return _after_save(request, page, step)
        return _render_step(request, step, forms, formset, page, status=400)
    return _render_step(request, step, forms, formset, page)


@login_required
def submission_overview(request, pk):
    page = _own_draft_or_404(request, pk)
    draft = services.editable_draft(page)
    done = services.steps_done(draft)
    tasks = [
        {
            "step": step,
            "title": title,
            "done": done[step],
            "url": reverse("casestudies:step", args=[page.pk, step]),
        }
        for step, title in STEP_TITLES.items()
    ]
    return render(
        request,
        "casestudies/submit/overview.html",
        {
            "draft": draft,
            "tasks": tasks,
            "editable": services.can_edit_draft(request.user, page),
            "ready": done["basics"] and done["story"],
        },
    )


@login_required
def submission_check(request, pk):
    page = _own_draft_or_404(request, pk)
    if not services.can_edit_draft(request.user, page):
        messages.info(
            request, "This case study is with the editors, so it cannot be changed now."
        )
        return redirect("casestudies:mine")
    draft = services.editable_draft(page)
    problems = []
    if request.method == "POST":
        # Whatever button was forged, members can only submit for review:
        # publishing happens in the Wagtail admin, by editors.
        try:
            services.case_study_submit(page=page, author=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                "Your case study has been sent to the editors for review. "
                "You will see their comments here.",
            )
            return redirect("casestudies:mine")
    else:
        problems = [m for _s, m in services.missing_for_submission(draft)]
    return render(
        request,
        "casestudies/submit/check.html",
        {
            "draft": draft,
            "problems": problems,
            "outcomes": list(draft.outcomes.all()),
            "organisation_roles": list(draft.organisation_roles.all()),
            "contacts": list(draft.contacts.all()),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def my_submissions(request):
    return render(
        request,
        "casestudies/submit/mine.html",
        {"submissions": selectors.my_submissions(request.user)},
    )


@login_required
@require_POST
def adoption_create(request, pk):
    page = selectors.visible_case_studies(request.user).filter(pk=pk).first()
    if page is None:
        raise Http404("No such case study.")
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            services.adoption_record(
                page=page, user=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Thank you: your organisation's reuse is recorded."
            )
            return redirect(page.get_url(request) + "#reused-by")
    return render(
        request,
        "casestudies/adoption_form.html",
        {"page": page, "form": form},
        status=400,
    )
