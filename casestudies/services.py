"""Writes for case studies: drafts, submission into the Wagtail workflow,
publication side effects, adoptions and review reminders.

Members never publish: these services only save drafts and start the
editors' workflow; Wagtail publishes when an editor approves.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import slugify

from cop.email import send_templated_email
from people.services import contribution_record
from spaces.access import redacted_for

from . import signals
from .blocks import stream_from_text, text_from_stream
from .models import (
    Adoption,
    CaseStudyContact,
    CaseStudyIndexPage,
    CaseStudyOrganisation,
    CaseStudyPage,
    CompactPrinciple,
    Factor,
    LessonIndexPage,
    LessonPage,
    OutcomeMeasure,
    ReviewReminder,
    Theme,
)
from .reference import vocabulary_load
from .selectors import workflow_state_for

STEPS = ("basics", "story", "outcomes", "lessons")


# Site set-up -------------------------------------------------------------------


@transaction.atomic
def ensure_index_pages():
    """The vocabularies and index pages (migration 0002 makes them on a new
    database; tests that empty the tables call this to put them back)."""
    from home.models import HomePage

    vocabulary_load(Theme, Factor, CompactPrinciple)
    _editors_curate()
    home = HomePage.objects.first()
    made = {}
    for model, title, slug in (
        (CaseStudyIndexPage, "Case studies", "case-studies"),
        (LessonIndexPage, "Lessons learned", "lessons"),
    ):
        page = model.objects.first()
        if page is None:
            page = home.add_child(instance=model(title=title, slug=slug))
        made[model] = page
    return made[CaseStudyIndexPage], made[LessonIndexPage]


def _editors_curate():
    from django.contrib.auth.models import Group, Permission

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="casestudies",
            content_type__model__in=["curatedcollection", "theme"],
        )
    )


# Drafts ------------------------------------------------------------------------


def can_edit_draft(user, page):
    """Authors edit their own case studies while draft or sent back to them."""
    if not (user and user.is_authenticated) or page.owner_id != user.pk:
        return False
    if page.live:
        return False
    state = workflow_state_for(page)
    return state is None or state.status == state.STATUS_NEEDS_CHANGES


def editable_draft(page):
    """The latest draft content of `page` as an object to change and save."""
    return page.get_latest_revision_as_object() if page.latest_revision_id else page


def _unique_slug(parent, title):
    base = slugify(title)[:70] or "case-study"
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _save_draft(page, author):
    page.full_clean()
    page.save(clean=False)
    page.save_revision(user=author, clean=False)
    return page


@transaction.atomic
def case_study_draft_create(*, author, basics, organisations):
    """A new draft (not live) owned by `author`, from the first step."""
    index = CaseStudyIndexPage.objects.first()
    if index is None:
        raise ValidationError("There is nowhere to put case studies yet.")
    page = CaseStudyPage(
        title=basics["title"],
        slug=_unique_slug(index, basics["title"]),
        owner=author,
        live=False,
        has_unpublished_changes=True,
    )
    _apply_basics(page, basics, organisations)
    index.add_child(instance=page)
    page.save_revision(user=author, clean=False)
    return page


@transaction.atomic
def case_study_draft_update(*, page, author, step, **data):
    """Save one step of the form into a new draft revision."""
    if not can_edit_draft(author, page):
        raise PermissionDenied("You can only change your own drafts.")
    draft = editable_draft(page)
    if step == "basics":
        _apply_basics(draft, data["basics"], data["organisations"])
    elif step == "story":
        story = data["story"]
        draft.problem = stream_from_text(story["problem"])
        draft.approach = stream_from_text(story["approach"])
        draft.costs = story["costs"]
        draft.savings = story["savings"]
    elif step == "outcomes":
        draft.evidence = data["evidence"]["evidence"]
        draft.evidence_strength = data["evidence"]["evidence_strength"]
        draft.outcomes = [
            OutcomeMeasure(sort_order=i, **row)
            for i, row in enumerate(data["outcomes"])
        ]
    elif step == "lessons":
        lessons = data["lessons"]
        for field in ("what_worked", "what_did_not_work", "do_differently"):
            setattr(draft, field, lessons[field])
        draft.success_factors = list(lessons["success_factors"])
        draft.barriers = list(lessons["barriers"])
        draft.principles = list(lessons["principles"])
        draft.contacts = [
            CaseStudyContact(user=user, consented=True, sort_order=i)
            for i, user in enumerate(data["contacts"])
        ]
    else:
        raise ValueError(f"unknown step {step!r}")
    return _save_draft(draft, author)


def _apply_basics(page, basics, organisations):
    page.title = page.draft_title = basics["title"]
    page.summary = basics["summary"]
    page.as_at = basics.get("as_at")
    page.marking = basics["marking"]
    page.space = basics.get("space")
    page.themes = list(basics["themes"])
    page.organisation_roles = [
        CaseStudyOrganisation(organisation=organisation, role=role, sort_order=i)
        for i, (organisation, role) in enumerate(organisations)
    ]


def step_initial(page, step):
    """Initial form data for `step` from the latest draft."""
    if step == "basics":
        return {
            "title": page.title,
            "summary": page.summary,
            "as_at": page.as_at,
            "themes": list(page.themes.all()),
            "marking": page.marking,
            "space": page.space_id,
        }, [
            {"organisation": role.organisation_id, "role": role.role}
            for role in page.organisation_roles.all()
        ]
    if step == "story":
        return {
            "problem": text_from_stream(page.problem),
            "approach": text_from_stream(page.approach),
            "costs": page.costs,
            "savings": page.savings,
        }, None
    if step == "outcomes":
        rows = [
            {
                k: getattr(o, k)
                for k in ("name", "baseline", "target", "actual", "unit", "source")
            }
            for o in page.outcomes.all()
        ]
        return {
            "evidence": page.evidence,
            "evidence_strength": page.evidence_strength,
        }, rows
    if step == "lessons":
        contacts = list(page.contacts.all())
        return {
            "what_worked": page.what_worked,
            "what_did_not_work": page.what_did_not_work,
            "do_differently": page.do_differently,
            "success_factors": list(page.success_factors.all()),
            "barriers": list(page.barriers.all()),
            "principles": list(page.principles.all()),
            "name_me": any(c.user_id == page.owner_id for c in contacts),
            "other_contacts": "\n".join(
                c.user.email for c in contacts if c.user_id != page.owner_id
            ),
        }, None
    raise ValueError(step)


def steps_done(page):
    """Which steps hold enough to count as done, for the task list."""
    return {
        "basics": bool(page.summary),
        "story": bool(
            text_from_stream(page.problem) and text_from_stream(page.approach)
        ),
        "outcomes": bool(list(page.outcomes.all()) or page.evidence),
        "lessons": bool(
            page.what_worked or page.what_did_not_work or page.do_differently
        ),
    }


def missing_for_submission(page):
    """Human messages for what must be filled in before review."""
    missing = []
    if not list(page.organisation_roles.all()):
        missing.append(("basics", "Add at least one organisation involved"))
    if not list(page.themes.all()):
        missing.append(("basics", "Choose at least one theme"))
    if not text_from_stream(page.problem) and not page.problem:
        missing.append(("story", "Describe the problem and its context"))
    if not text_from_stream(page.approach) and not page.approach:
        missing.append(("story", "Describe what you did"))
    return missing


@transaction.atomic
def case_study_submit(*, page, author):
    """Send the draft to the editors' review (the Wagtail workflow on the page).

    The workflow's task fires Wagtail's task_submitted signal, which
    receivers.py turns into `case_study_reviewed(status="submitted")`.
    """
    if not can_edit_draft(author, page):
        raise PermissionDenied("You can only submit your own drafts.")
    draft = editable_draft(page)
    missing = missing_for_submission(draft)
    if missing:
        raise ValidationError([message for _step, message in missing])
    state = workflow_state_for(page)
    if state is not None:  # changes were requested: back to the same task
        state.resume(user=author)
        return state
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError("Review is not set up; ask an editor.")
    return workflow.start(page, author)


# Publication side effects ------------------------------------------------------


def case_study_published(page, *, first):
    """Record contributions (author and consenting contacts) and announce it."""
    if isinstance(page, CaseStudyPage):
        topics = [theme.name for theme in page.themes.all()]
        url = page.get_url() or ""
        if page.owner_id:
            contribution_record(
                user=page.owner,
                kind="case_study",
                target=page,
                title=page.title,
                url=url,
                topics=topics,
                space=page.space,
                marking=page.marking,
            )
        for contact in page.contacts.select_related("user"):
            if contact.consented:
                contribution_record(
                    user=contact.user,
                    kind="case_study_contact",
                    target=page,
                    title=page.title,
                    url=url,
                    topics=topics,
                    space=page.space,
                    marking=page.marking,
                )
    if first and isinstance(page, CaseStudyPage | LessonPage):
        signals.item_published.send(sender=type(page), page=page)


# Adoption ----------------------------------------------------------------------


@transaction.atomic
def adoption_record(*, page, user, note):
    """ "My organisation reused this" (one per organisation; a second note replaces it)."""
    organisation = getattr(getattr(user, "profile", None), "organisation", None)
    if organisation is None:
        raise ValidationError(
            "Your account is not linked to an organisation, so you cannot record reuse."
        )
    adoption, _ = Adoption.objects.update_or_create(
        page=page,
        organisation=organisation,
        defaults={"note": note, "recorded_by": user, "created_at": timezone.now()},
    )
    return adoption


# Review reminders --------------------------------------------------------------


def review_reminders_due(today=None):
    """Live case studies past their review-by date whose owner was not yet told."""
    today = today or timezone.localdate()
    reminded = ReviewReminder.objects.filter(
        page_id=OuterRef("pk"), review_by=OuterRef("review_by")
    )
    return (
        CaseStudyPage.objects.live()
        .filter(review_by__lte=today, owner__isnull=False, owner__is_active=True)
        .exclude(Exists(reminded))
        .select_related("owner")
    )


def review_reminders_send(*, today=None, base_url=""):
    """Email each owner once per review-by date; returns how many were sent.

    The ReviewReminder row (unique per page and date) is written before the
    email is queued, in the same transaction, so a rerun never sends twice.
    """
    sent = 0
    for page in review_reminders_due(today):
        with transaction.atomic():
            _, created = ReviewReminder.objects.get_or_create(
                page=page, review_by=page.review_by
            )
            if not created:
                continue
            url = base_url + (page.get_url() or "")
            transaction.on_commit(
                lambda page=page, url=url: send_templated_email(
                    "casestudies/email/review_reminder",
                    to=[page.owner.email],
                    context={
                        "page": page,
                        "url": url,
                        "owner": page.owner,
                        "hide_title": redacted_for(page.owner, page),
                    },
                )
            )
            sent += 1
    return sent
