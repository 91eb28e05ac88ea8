"""Cross-app reads for digests, each one query for a whole batch of members.

Every function answers for many members at once, so a digest batch costs
the same number of queries for 1 member as for 500. Items come back as
candidates; `notifications.digest` then keeps, for each member, only what
`spaces.access` says they may read (after `access.prime_memberships`, so that
costs nothing more). The candidate queries already leave out secret spaces'
content unless a member of the batch belongs there.

Content apps are still growing: a section whose model is missing returns
nothing rather than failing the digest.
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from people.models import Contribution, Follow
from spaces.models import Document, Membership, Space

from .models import Delivery, Kind, Notification, Preference


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def members(user_ids):
    """Active members among `user_ids` (not marked as leavers), with profile
    and organisation."""
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    Profile = _model("people.Profile")
    if any(field.name == "is_leaver" for field in Profile._meta.get_fields()):
        users = users.exclude(profile__is_leaver=True)
    return list(users.select_related("profile__organisation").order_by("pk"))


def digest_refusers(user_ids):
    """Ids among `user_ids` who turned the digest off."""
    return set(
        Preference.objects.filter(
            user_id__in=user_ids, kind=Kind.DIGEST, delivery=Delivery.OFF
        ).values_list("user_id", flat=True)
    )


def work_by(author_ids, since, until, limit=500, *, organisation_ids=()):
    """Case studies written and answers accepted in the window, by these members
    or by anyone whose profile is in one of these organisations (people.Contribution
    rows carry the space and marking for the access policy). One query; each
    row comes with its author's profile and organisation."""
    who = Q()
    if author_ids:
        who |= Q(user_id__in=author_ids)
    if organisation_ids:
        who |= Q(user__profile__organisation_id__in=organisation_ids)
    if not who:
        return []
    return list(
        Contribution.objects.filter(
            who,
            kind__in=[Contribution.Kind.CASE_STUDY, Contribution.Kind.ACCEPTED_ANSWER],
            created_at__gte=since,
            created_at__lt=until,
        )
        .select_related("user__profile__organisation")
        .order_by("-created_at", "-pk")[:limit]
    )


def follows_of(user_ids):
    """{user_id: {(content_type_id, object_id): muted}}"""
    found = defaultdict(dict)
    for uid, ct, oid, muted in Follow.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "content_type_id", "object_id", "muted"
    ):
        found[uid][(ct, oid)] = muted
    return found


def member_spaces_of(user_ids):
    """{user_id: {space_id, ...}} for the spaces each member belongs to."""
    found = defaultdict(set)
    for uid, sid in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "space_id"
    ):
        found[uid].add(sid)
    return found


def expertise_of(user_ids):
    """{user_id: {topic, ...}} (lower case): what members have done
    (Contribution topics) and what they declare (profile expertise tags).
    Two queries."""
    found = defaultdict(set)
    for uid, topics in Contribution.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "topics"
    ):
        for topic in topics or []:
            if str(topic).strip():
                found[uid].add(str(topic).strip().lower())
    TaggedExpertise = _model("people.TaggedExpertise")
    if TaggedExpertise is not None:
        for uid, name in TaggedExpertise.objects.filter(
            content_object__user_id__in=user_ids
        ).values_list("content_object__user_id", "tag__name"):
            if name and name.strip():
                found[uid].add(name.strip().lower())
    return found


def spaces_by_id(space_ids):
    return {space.pk: space for space in Space.objects.filter(pk__in=space_ids)}


def _not_secret_unless(space_ids):
    """Content in open/closed spaces, or in secret spaces listed (members')."""
    return ~Q(space__visibility=Space.Visibility.SECRET) | Q(space_id__in=space_ids)


def lively_threads(space_ids, since, until, limit=500):
    """Threads with posts in the window in these spaces, liveliest first:
    most organisations taking part, then most replies (index space,-last_post_at)."""
    Thread = _model("forums.Thread")
    if Thread is None or not space_ids:
        return []
    return list(
        Thread.objects.filter(
            space_id__in=space_ids, last_post_at__gte=since, last_post_at__lt=until
        ).order_by("-organisations_count", "-post_count", "-last_post_at")[:limit]
    )


def open_questions(member_space_ids, since, until, limit=500):
    """Unanswered questions asked in the window, in spaces a member of the
    batch could read about (never another secret space)."""
    Thread = _model("forums.Thread")
    if Thread is None:
        return []
    return list(
        Thread.objects.filter(
            kind="question",
            accepted_answer__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .filter(_not_secret_unless(member_space_ids))
        .exclude(locked=True)
        .order_by("-created_at")[:limit]
    )


def new_documents(space_ids, since, until):
    return list(
        Document.objects.filter(
            space_id__in=space_ids, created_at__gte=since, created_at__lt=until
        ).order_by("-created_at")
    )


def new_members(space_ids, since, until):
    return list(
        Membership.objects.filter(
            space_id__in=space_ids, joined_at__gte=since, joined_at__lt=until
        )
        .select_related("user__profile__organisation")
        .order_by("-joined_at")
    )


# Kinds the digest already covers in a section of its own: "New members in
# your spaces" is built from the memberships, so a facilitator's new-member
# notifications would list the same people twice.
NOT_FOR_YOU = [Kind.DIGEST, Kind.NEW_MEMBER]


def unread_for_digest(user_ids, since, until):
    """Unread notifications from the window, newest first (but not the kinds
    another section already lists)."""
    return list(
        Notification.objects.filter(
            recipient_id__in=user_ids,
            read_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .exclude(kind__in=NOT_FOR_YOU)
        .order_by("-created_at")
    )


def _live_pages(label):
    model = _model(label)
    if model is None:
        return None
    return model.objects.live()


def editors_picks(limit=20):
    """Featured case studies, newest first (the same for everyone)."""
    pages = _live_pages("casestudies.CaseStudyPage")
    if pages is None:
        return []
    return list(pages.filter(featured=True).order_by("-last_published_at")[:limit])


def new_case_studies(since, until):
    """Case studies first published in the window, with their theme ids."""
    pages = _live_pages("casestudies.CaseStudyPage")
    if pages is None:
        return []
    return list(
        pages.filter(first_published_at__gte=since, first_published_at__lt=until)
        .prefetch_related("themes")
        .order_by("-first_published_at")
    )


def new_lessons(since, until):
    """Lessons first published in the window; their themes are their source
    case study's."""
    pages = _live_pages("casestudies.LessonPage")
    if pages is None:
        return []
    return list(
        pages.filter(first_published_at__gte=since, first_published_at__lt=until)
        .select_related("source_case_study")
        .prefetch_related("source_case_study__themes")
        .order_by("-first_published_at")
    )


def theme_children():
    """{parent_id: [theme ids]} for the whole (small) theme tree, one query,
    so each member's followed themes can be widened to their sub-themes."""
    Theme = _model("casestudies.Theme")
    if Theme is None:
        return {}
    children = defaultdict(list)
    for pk, parent_id in Theme.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def content_type_id(label):
    model = _model(label)
    if model is None:
        return None
    return ContentType.objects.get_for_model(model).pk
