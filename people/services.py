"""Writes and look-ups with side effects for members and organisations."""

import io
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    Contribution,
    Follow,
    IntroductionRequest,
    Invitation,
    Organisation,
    OrganisationDomain,
    OrganisationKeyContact,
    Profile,
    User,
    Visibility,
)


def _acted(by, action, target, **kwargs):
    """Tell listeners (the audit log) what an admin did, in this transaction."""
    from .signals import admin_acted

    admin_acted.send(
        sender=type(target), actor=by, action=action, target=target, **kwargs
    )


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
    invitation = Invitation.objects.create(
        email=email, organisation=organisation, invited_by=invited_by
    )
    _acted(
        invited_by,
        "people.invitation.create",
        invitation,
        detail={"organisation_id": organisation.pk, "organisation": organisation.name},
    )
    return invitation


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


# --- Profiles -------------------------------------------------------------------


def profile_touch(*, user):
    """Note that `user` was here now (one UPDATE; callers keep it to once an hour)."""
    Profile.objects.filter(user_id=user.pk).update(last_active_at=timezone.now())


PHOTO_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


def photo_prepare(upload):
    """Check an uploaded photo and return it resized as a JPEG ContentFile.

    Raises ValidationError with a message for the member: too big, not an
    image we accept, or an image Pillow cannot read.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = settings.COP_PROFILE_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The photo must be smaller than {limit // (1024 * 1024)} MB.",
            code="too_big",
        )
    not_image = ValidationError(
        "The photo must be a JPG, PNG, GIF or WebP image.", code="not_image"
    )
    too_many_pixels = ValidationError(
        "The photo is too large in pixels. Use one under 40 megapixels.",
        code="too_many_pixels",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise not_image
            width, height = probe.size
            if width * height > PHOTO_MAX_PIXELS:
                raise too_many_pixels
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            size = settings.COP_PROFILE_PHOTO_SIZE
            image.thumbnail((size, size))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow refuses to open images of more than twice its own pixel
        # limit, before our check above can see their size.
        raise too_many_pixels from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise not_image from exc
    return ContentFile(out.getvalue(), name="photo.jpg")


@transaction.atomic
def profile_update(*, profile, user_fields, profile_fields, expertise=None, photo=None):
    """A member saves their own profile. Saving confirms the details too.

    `photo` is a ContentFile from `photo_prepare`, or None to keep the photo;
    pass photo=False to remove it.
    """
    user = profile.user
    for name, value in user_fields.items():
        setattr(user, name, value)
    if user_fields:
        user.save(update_fields=list(user_fields))
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    old_photo = profile.photo.name if profile.photo else ""
    if photo:
        profile.photo.save(photo.name, photo, save=False)
    elif photo is False:
        profile.photo = ""
    profile.last_confirmed_at = timezone.now()
    profile.save()
    if expertise is not None:
        profile.expertise.set(expertise)
    if old_photo and old_photo != (profile.photo.name if profile.photo else ""):
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return profile


def profile_confirm(*, profile):
    """ "These are still right": one click, no form."""
    profile.last_confirmed_at = timezone.now()
    profile.save(update_fields=["last_confirmed_at"])
    return profile


def administered_organisation_ids(user):
    """Organisations whose members `user` may manage; None means all (staff)."""
    if not user.is_authenticated:
        return set()
    if user.is_staff:
        return None
    profile = getattr(user, "profile", None)
    if profile and profile.is_organisation_admin and profile.organisation_id:
        return {profile.organisation_id}
    return set()


def can_manage_member(user, profile):
    """Staff, or an organisation admin of the member's own organisation."""
    ids = administered_organisation_ids(user)
    if ids is None:
        return True
    return bool(profile.organisation_id and profile.organisation_id in ids)


def can_manage_organisation(user, organisation):
    ids = administered_organisation_ids(user)
    return ids is None or organisation.pk in ids


@transaction.atomic
def profile_admin_update(*, by, profile, organisation, team):
    """An organisation admin moves a member or sets their team: nothing else."""
    if not can_manage_member(by, profile):
        raise PermissionError("You can only change members of your own organisation.")
    before = {"organisation": str(profile.organisation or ""), "team": profile.team}
    profile.organisation = organisation
    profile.team = team
    profile.save(update_fields=["organisation", "team"])
    after = {"organisation": str(organisation or ""), "team": team}
    changed = {k: [v, after[k]] for k, v in before.items() if v != after[k]}
    if changed:
        _acted(by, "people.member.update", profile.user, detail={"changed": changed})
    return profile


def shares_a_space(viewer, owner):
    """Do `viewer` and `owner` belong to at least one space together? One query."""
    from spaces.models import Membership

    return Membership.objects.filter(
        user_id=viewer.pk,
        space_id__in=Membership.objects.filter(user_id=owner.pk).values("space_id"),
    ).exists()


def contact_visible(viewer, profile, visibility, *, shared=None):
    """May `viewer` see a contact detail set to `visibility` on `profile`?

    `shared` lets a caller pass `shares_a_space` once for several fields.
    """
    if not (viewer and viewer.is_authenticated and viewer.is_active):
        return False
    if viewer.pk == profile.user_id:
        return True
    if visibility == Visibility.MEMBERS:
        return True
    if visibility == Visibility.SPACES:
        return shares_a_space(viewer, profile.user) if shared is None else shared
    return False


# --- Leavers --------------------------------------------------------------------

ROLE_RANK = {"owner": 3, "facilitator": 2, "member": 1}


@transaction.atomic
def member_mark_leaver(*, by, leaver, successor):
    """Mark `leaver` as gone and hand their work to `successor`.

    The account is deactivated and hidden from the directory; their posts and
    documents keep their name. Space roles pass to the successor (who keeps
    the stronger role if already a member), case-study contact contributions
    and key-contact slots are re-pointed, and `member_left` lets other apps
    hand over what they hold. Sent inside this transaction so a failing
    receiver undoes the whole handover rather than leaving half of it.
    """
    from spaces.models import Membership

    from .signals import member_left

    profile = leaver.profile
    if not can_manage_member(by, profile):
        raise PermissionError("You can only mark leavers in your own organisation.")
    if successor.pk == leaver.pk:
        raise ValueError("Choose someone other than the leaver as their successor.")
    if not successor.is_active or successor.profile.is_leaver:
        raise ValueError("The successor must be a current member.")
    if profile.is_leaver:
        raise ValueError("This member has already been marked as a leaver.")

    for membership in Membership.objects.filter(user=leaver).select_related("space"):
        existing = Membership.objects.filter(
            space_id=membership.space_id, user=successor
        ).first()
        if existing is None:
            Membership.objects.create(
                space_id=membership.space_id, user=successor, role=membership.role
            )
        elif ROLE_RANK.get(membership.role, 0) > ROLE_RANK.get(existing.role, 0):
            existing.role = membership.role
            existing.save(update_fields=["role"])
        membership.delete()

    contacts = Contribution.objects.filter(
        user=leaver, kind=Contribution.Kind.CASE_STUDY_CONTACT
    )
    already = Contribution.objects.filter(
        user=successor, kind=Contribution.Kind.CASE_STUDY_CONTACT
    ).values_list("content_type_id", "object_id")
    already = set(already)
    for contribution in contacts:
        if (contribution.content_type_id, contribution.object_id) in already:
            contribution.delete()
        else:
            contribution.user = successor
            contribution.save(update_fields=["user"])

    for slot in OrganisationKeyContact.objects.filter(user=leaver):
        if OrganisationKeyContact.objects.filter(
            organisation_id=slot.organisation_id, user=successor
        ).exists():
            slot.delete()
        else:
            slot.user = successor
            slot.save(update_fields=["user"])

    IntroductionRequest.objects.filter(
        to_user=leaver, status=IntroductionRequest.Status.PENDING
    ).update(status=IntroductionRequest.Status.DECLINED, decided_at=timezone.now())

    profile.is_leaver = True
    profile.left_at = timezone.now()
    profile.successor = successor
    profile.is_organisation_admin = False
    profile.save(
        update_fields=["is_leaver", "left_at", "successor", "is_organisation_admin"]
    )
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    member_left.send(sender=Profile, leaver=leaver, successor=successor)
    _acted(
        by,
        "people.member.leaver",
        leaver,
        detail={"successor_id": successor.pk, "successor": str(successor)},
    )
    return profile


# --- Introductions --------------------------------------------------------------


class IntroductionRefused(Exception):
    """A request that cannot be made; the message says why, for the member."""


def introductions_left_today(user):
    since = timezone.now() - timedelta(days=1)
    sent = IntroductionRequest.objects.filter(
        from_user=user, created_at__gte=since
    ).count()
    return max(settings.COP_INTRODUCTIONS_PER_DAY - sent, 0)


@transaction.atomic
def introduction_request_create(*, from_user, to_user, message):
    if to_user.pk == from_user.pk:
        raise IntroductionRefused("You cannot ask for an introduction to yourself.")
    if not to_user.is_active or to_user.profile.is_leaver:
        raise IntroductionRefused("This member is no longer on Joined Up.")
    # Lock the asker's row so two quick requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=from_user.pk).first()
    if introductions_left_today(from_user) <= 0:
        limit = settings.COP_INTRODUCTIONS_PER_DAY
        raise IntroductionRefused(
            f"You can ask for {limit} introductions a day, so that people who know "
            "a lot are not flooded. Try again tomorrow."
        )
    if IntroductionRequest.objects.filter(
        from_user=from_user, to_user=to_user, status=IntroductionRequest.Status.PENDING
    ).exists():
        raise IntroductionRefused(
            f"You have already asked {to_user.display_name}. Wait for their reply."
        )
    request = IntroductionRequest.objects.create(
        from_user=from_user, to_user=to_user, message=message.strip()
    )
    transaction.on_commit(lambda: _introduction_email(request.pk, "introduction"))
    return request


@transaction.atomic
def introduction_decide(*, by, introduction, accept):
    if introduction.to_user_id != by.pk:
        raise PermissionError("Only the person asked can answer.")
    if introduction.status != IntroductionRequest.Status.PENDING:
        raise IntroductionRefused("You have already answered this request.")
    introduction.status = (
        IntroductionRequest.Status.ACCEPTED
        if accept
        else IntroductionRequest.Status.DECLINED
    )
    introduction.decided_at = timezone.now()
    introduction.save(update_fields=["status", "decided_at"])
    if accept:
        transaction.on_commit(
            lambda: _introduction_email(introduction.pk, "introduction_accepted")
        )
    return introduction


def _introduction_email(pk, template):
    from django.urls import reverse

    from cop.email import send_templated_email

    introduction = IntroductionRequest.objects.select_related(
        "from_user__profile", "to_user__profile"
    ).get(pk=pk)
    to = introduction.to_user if template == "introduction" else introduction.from_user
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    send_templated_email(
        f"people/email/{template}",
        to=[to.email],
        context={
            "introduction": introduction,
            "url": base + reverse("people:introductions"),
        },
    )


# --- Key contacts ---------------------------------------------------------------


@transaction.atomic
def key_contact_set(*, by, organisation, user, role):
    if not can_manage_organisation(by, organisation):
        raise PermissionError("Only this organisation's admins can name key contacts.")
    if user.profile.organisation_id != organisation.pk:
        raise ValueError("Key contacts must be members of the organisation.")
    contact, _ = OrganisationKeyContact.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    _acted(
        by,
        "people.key_contact.set",
        user,
        detail={"organisation_id": organisation.pk, "role": role},
    )
    return contact


@transaction.atomic
def key_contact_remove(*, by, contact):
    if not can_manage_organisation(by, contact.organisation):
        raise PermissionError("Only this organisation's admins can name key contacts.")
    contact.delete()
    _acted(
        by,
        "people.key_contact.remove",
        contact.user,
        detail={"organisation_id": contact.organisation_id, "role": contact.role},
    )
