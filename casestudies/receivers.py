"""Turn Wagtail's workflow and publishing signals into casestudies' own events
(casestudies.signals) and side effects, after the transaction commits."""

from django.db import transaction
from wagtail.signals import page_published, task_approved, task_rejected, task_submitted

from . import signals
from .models import CaseStudyPage, LessonPage

STATUS = {
    task_submitted: "submitted",
    task_approved: "approved",
    task_rejected: "changes_requested",
}


def _reviewed(sender, signal, instance, user=None, **kwargs):
    page = instance.workflow_state.content_object
    page = getattr(page, "specific", page)
    if not isinstance(page, CaseStudyPage):
        return
    status = STATUS[signal]
    comment = "" if status == "submitted" else (instance.comment or "")

    def send():
        signals.case_study_reviewed.send(
            sender=CaseStudyPage,
            page=page,
            author=page.owner,
            status=status,
            comment=comment,
        )

    transaction.on_commit(send)


def _published(sender, instance, revision=None, **kwargs):
    if not isinstance(instance, CaseStudyPage | LessonPage):
        return
    first = instance.first_published_at == instance.last_published_at

    def after():
        from .services import case_study_published

        page = type(instance).objects.get(pk=instance.pk)
        case_study_published(page, first=first)

    transaction.on_commit(after)


def _member_left(sender, leaver, successor, **kwargs):
    """Hand a leaver's contact slots on case studies to their successor.

    Runs inside the leaver transaction (people sends it there), so the
    handover and the deactivation stand or fall together. Where the successor
    is already a contact on that page, the leaver's slot is simply removed.
    The slot keeps its consent: the organisation admin named the successor.
    """
    from .models import CaseStudyContact

    already = set(
        CaseStudyContact.objects.filter(user=successor).values_list(
            "page_id", flat=True
        )
    )
    slots = CaseStudyContact.objects.filter(user=leaver)
    slots.filter(page_id__in=already).delete()
    slots.exclude(page_id__in=already).update(user=successor)


def connect():
    from people.signals import member_left

    member_left.connect(_member_left, dispatch_uid="casestudies-member-left")
    for signal in STATUS:
        signal.connect(_reviewed, dispatch_uid=f"casestudies-{STATUS[signal]}")
    page_published.connect(_published, dispatch_uid="casestudies-published")
