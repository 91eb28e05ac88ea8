"""Writes and look-ups with side effects for members and organisations."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Follow, Invitation, Organisation, OrganisationDomain, Profile, User


def email_domain(email):
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def organisation_for_email(email):
    """The organisation whose allow-listed domain covers `email`, or None.

    An exact domain wins over a parent domain (team.dwp.gov.uk falls back to
    dwp.gov.uk). When several active organisations share a domain (MoJ and
    HMCTS share justice.gov.uk) the one that is the parent of the others is
    chosen; the member can be moved later by an organisation admin.
    """
    domain = email_domain(email)
    if not domain:
        return None
    parts = domain.split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    rows = list(
        OrganisationDomain.objects.filter(
            domain__in=candidates, organisation__in=Organisation.objects.active()
        ).select_related("organisation")
    )
    for candidate in candidates:  # longest (most specific) first
        orgs = [row.organisation for row in rows if row.domain == candidate]
        if orgs:
            ids = {org.pk for org in orgs}
            parents = [org for org in orgs if org.parent_id not in ids]
            return sorted(parents or orgs, key=lambda org: org.name)[0]
    return None


def pending_invitation(email, token=None):
    qs = Invitation.objects.pending().filter(email__iexact=email)
    if token:
        qs = qs.filter(token=token)
    return qs.select_related("organisation").first()


def can_invite(user):
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    profile = getattr(user, "profile", None)
    return bool(profile and profile.is_organisation_admin and profile.organisation_id)


def invitable_organisations(user):
    if user.is_staff:
        return Organisation.objects.active()
    if can_invite(user):
        return Organisation.objects.filter(pk=user.profile.organisation_id)
    return Organisation.objects.none()


@transaction.atomic
def invitation_create(*, invited_by, email, organisation):
    email = email.strip().lower()
    if not invitable_organisations(invited_by).filter(pk=organisation.pk).exists():
        raise PermissionError("You cannot invite people to that organisation.")
    Invitation.objects.pending().filter(email__iexact=email).update(
        expires_at=timezone.now()
    )
    return Invitation.objects.create(
        email=email, organisation=organisation, invited_by=invited_by
    )


@transaction.atomic
def invitation_create_for_space(*, invited_by, email, organisation):
    """Let someone a space invited sign up, whatever their email domain.

    Space facilitators may invite partners from outside the allow-list; the
    spaces app checks that `invited_by` may invite into the space before
    calling this (people imports no space code). A pending invitation for the
    same address is reused rather than replaced, so a link already sent by an
    organisation admin or another space keeps working.
    """
    email = email.strip().lower()
    pending = Invitation.objects.pending().filter(email__iexact=email).first()
    if pending is not None:
        return pending
    return Invitation.objects.create(
        email=email, organisation=organisation, invited_by=invited_by
    )


@transaction.atomic
def member_joined(*, user, invitation=None, job_title=""):
    """Called once a new member's account exists: set up their profile."""
    organisation = (
        invitation.organisation if invitation else organisation_for_email(user.email)
    )
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.organisation = organisation
    if job_title:
        profile.job_title = job_title
    profile.save()
    if invitation:
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    return profile


def users_needing_two_factor():
    """Staff, superusers and editors: the people who must use TOTP."""
    from django.conf import settings

    return User.objects.filter(
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__name__in=settings.COP_TWO_FACTOR_GROUPS)
    ).distinct()


def follow_set(*, user, target, following=True, muted=False):
    """Follow, mute or forget `target` for `user`. Returns the Follow or None."""
    content_type = ContentType.objects.get_for_model(target)
    if not following and not muted:
        Follow.objects.filter(
            user=user, content_type=content_type, object_id=target.pk
        ).delete()
        return None
    follow, _ = Follow.objects.update_or_create(
        user=user,
        content_type=content_type,
        object_id=target.pk,
        defaults={"muted": muted},
    )
    return follow


def follow_state(user, target):
    """ "following", "muted" or None for this member and target."""
    if not user.is_authenticated:
        return None
    follow = Follow.objects.filter(
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    ).first()
    if follow is None:
        return None
    return "muted" if follow.muted else "following"


def followers_of(target):
    """Ids of members following `target` and not muting it."""
    return list(
        Follow.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            muted=False,
        ).values_list("user_id", flat=True)
    )


def members_by_handle(handles):
    """Active members for a set of @handles (case-insensitive), one query."""
    handles = {handle.lower() for handle in handles}
    if not handles:
        return []
    return list(
        User.objects.filter(is_active=True, profile__handle__in=handles).select_related(
            "profile"
        )
    )


def contribution_record(
    *, user, kind, target, title, url="", topics=(), space=None, marking="official"
):
    """Record (or refresh) that `user` did `kind` on `target`, for inferred expertise.

    Content apps call this from their services; it is idempotent.
    """
    from people.models import Contribution

    contribution, _ = Contribution.objects.update_or_create(
        user=user,
        kind=kind,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        defaults={
            "title": title[:255],
            "url": url,
            "topics": sorted({str(t) for t in topics}),
            "space": space,
            "marking": marking,
        },
    )
    return contribution


def contribution_remove(*, target, kind=None, user=None):
    """Forget contributions about `target` (optionally one kind or one member)."""
    from people.models import Contribution

    contributions = Contribution.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )
    if kind:
        contributions = contributions.filter(kind=kind)
    if user:
        contributions = contributions.filter(user=user)
    contributions.delete()
