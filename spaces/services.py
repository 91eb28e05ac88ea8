"""Writes for spaces: membership, invitations, actions, folders and documents.

Every function is keyword-only and atomic. Refusals a member can fix raise
`ValidationError` with a message to show them; acts they are not allowed to
do raise `PermissionDenied`. Signals (spaces.signals) and emails go out on
commit, so nothing is announced for work that was rolled back.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cop.text import render_markdown
from people import services as people_services
from people.models import User

from . import access, signals
from .files import check_upload
from .models import (
    Action,
    Document,
    DocumentComment,
    DocumentVersion,
    Folder,
    JoinRequest,
    Marking,
    Membership,
    Space,
    SpaceInvitation,
    SpaceOrganisation,
)

Role = Membership.Role
FACILITATING = (Role.OWNER, Role.FACILITATOR)
RESERVED_SLUGS = {"new", "invitations"}


def _send_on_commit(signal, sender, **kwargs):
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))


def _acted(by, action, target, space, **kwargs):
    """Tell listeners (the audit log) what a facilitator did, in this transaction."""
    signals.facilitator_acted.send(
        sender=type(target),
        actor=by,
        action=action,
        target=target,
        space=space,
        **kwargs,
    )


def _require_facilitator(user, space):
    if not access.can_facilitate(user, space):
        raise PermissionDenied("Only the space's facilitators can do that.")


def _require_poster(user, space):
    if space.archived:
        raise PermissionDenied("This space is archived: nothing new can be added.")
    if not access.can_post(user, space):
        raise PermissionDenied("Only members of the space can do that.")


def _check_marking(space, marking):
    if marking not in Marking.values:
        raise ValidationError({"marking": "Choose a handling marking."})
    if Marking.rank(marking) > Marking.rank(space.ceiling):
        raise ValidationError(
            {
                "marking": (
                    f"This space's handling ceiling is {Marking(space.ceiling).label}: "
                    f"it cannot hold {Marking(marking).label} material. Choose "
                    f"{Marking(space.ceiling).label} or lower, or ask a facilitator "
                    "to raise the ceiling."
                )
            }
        )


def _record_facilitation(membership):
    space = membership.space
    if membership.role in FACILITATING:
        people_services.contribution_record(
            user=membership.user,
            kind="facilitation",
            target=space,
            title=space.name,
            url=space.get_absolute_url(),
            topics=(space.get_kind_display(),),
            space=space,
            marking=space.ceiling,
        )
    else:
        people_services.contribution_remove(
            target=space, kind="facilitation", user=membership.user
        )


def _owners(space):
    return Membership.objects.filter(space=space, role=Role.OWNER)


# --- spaces ---------------------------------------------------------------------


@transaction.atomic
def space_create(*, user, name, purpose, kind, visibility, ceiling, **charter):
    organisation = getattr(getattr(user, "profile", None), "organisation", None)
    if organisation is None:
        raise ValidationError(
            "Your profile has no organisation, so the space would have no lead "
            "organisation. Ask your organisation admin to add you to one."
        )
    if ceiling not in Marking.values:
        raise ValidationError({"ceiling": "Choose a handling ceiling."})
    space = Space(
        name=name.strip(),
        purpose=purpose.strip(),
        kind=kind,
        visibility=visibility,
        ceiling=ceiling,
        lead_organisation=organisation,
        created_by=user,
        **{key: value for key, value in charter.items() if key.startswith("charter_")},
    )
    space.full_clean()
    space.save()
    if space.slug in RESERVED_SLUGS:
        # Those names are pages of the directory itself (spaces/urls.py).
        base, n = f"{space.slug}-space", 1
        space.slug = base
        while Space.objects.filter(slug=space.slug).exclude(pk=space.pk).exists():
            n += 1
            space.slug = f"{base}-{n}"
        space.save(update_fields=["slug"])
    SpaceOrganisation.objects.create(space=space, organisation=organisation)
    membership = Membership.objects.create(space=space, user=user, role=Role.OWNER)
    _record_facilitation(membership)
    return space


@transaction.atomic
def space_update(*, space, by, **fields):
    _require_facilitator(by, space)
    editable = {
        "name",
        "purpose",
        "kind",
        "visibility",
        "ceiling",
        "charter_outputs",
        "charter_timescale",
        "charter_benefits",
        "archived",
    }
    before = {key: getattr(space, key, None) for key in fields}
    for key, value in fields.items():
        if key not in editable:
            raise TypeError(f"space_update cannot change {key}")
        setattr(space, key, value.strip() if isinstance(value, str) else value)
    # Space.clean refuses a ceiling below the documents already marked.
    space.full_clean(exclude=["created_by", "lead_organisation", "slug"])
    space.save()
    changed = {
        k: [v, getattr(space, k)] for k, v in before.items() if v != getattr(space, k)
    }
    if changed:
        archived = changed.get("archived", [None, None])[1]
        action = {True: "archive", False: "unarchive"}.get(archived, "update")
        _acted(by, f"spaces.space.{action}", space, space, detail={"changed": changed})
    return space


@transaction.atomic
def space_organisation_set(*, space, by, organisation, role="", benefits=""):
    """Add an organisation to the space, or change its charter role and benefits."""
    _require_facilitator(by, space)
    participation, _ = SpaceOrganisation.objects.update_or_create(
        space=space,
        organisation=organisation,
        defaults={"role": role.strip(), "benefits": benefits.strip()},
    )
    _acted(by, "spaces.organisation.set", organisation, space, detail={"role": role})
    return participation


@transaction.atomic
def space_organisation_remove(*, space, by, organisation):
    _require_facilitator(by, space)
    if organisation.pk == space.lead_organisation_id:
        raise ValidationError("The lead organisation cannot be removed from its space.")
    SpaceOrganisation.objects.filter(space=space, organisation=organisation).delete()
    _acted(by, "spaces.organisation.remove", organisation, space)


# --- membership -------------------------------------------------------------------


def _add_member(*, space, user, role=Role.MEMBER):
    membership, created = Membership.objects.get_or_create(
        space=space, user=user, defaults={"role": role}
    )
    if not created and Role.values.index(role) < Role.values.index(membership.role):
        # An invitation as facilitator promotes an existing member, never demotes.
        membership.role = role
        membership.save(update_fields=["role"])
    space.__dict__.get("_membership_cache", {}).pop(user.pk, None)
    # Joined another way (an invitation): a request still waiting is moot.
    JoinRequest.objects.filter(
        space=space, user=user, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    organisation = getattr(getattr(user, "profile", None), "organisation", None)
    if organisation is not None:
        SpaceOrganisation.objects.get_or_create(space=space, organisation=organisation)
    _record_facilitation(membership)
    if created:
        _send_on_commit(
            signals.member_joined,
            Membership,
            membership=membership,
            space=space,
            user=user,
        )
    return membership


@transaction.atomic
def membership_join(*, space, user):
    """Join an open space straight away."""
    if access.membership_of(user, space) is not None:
        raise ValidationError("You are already a member of this space.")
    if space.archived:
        raise ValidationError("This space is archived and takes no new members.")
    if not access.can_join(user, space):
        if space.visibility == Space.Visibility.CLOSED:
            raise ValidationError(
                "This is a closed space: ask to join and a facilitator will decide."
            )
        raise PermissionDenied("You cannot join this space.")
    return _add_member(space=space, user=user)


@transaction.atomic
def membership_leave(*, space, user):
    membership = access.membership_of(user, space)
    if membership is None:
        raise ValidationError("You are not a member of this space.")
    if membership.role == Role.OWNER and _owners(space).count() == 1:
        raise ValidationError(
            "You are the only owner of this space. Make another member an owner "
            "before you leave."
        )
    membership.delete()
    space.__dict__.get("_membership_cache", {}).pop(user.pk, None)
    people_services.contribution_remove(target=space, kind="facilitation", user=user)


def _managed_membership(space, by, membership_id):
    membership = (
        Membership.objects.filter(space=space, pk=membership_id)
        .select_related("user", "space")
        .first()
    )
    if membership is None:
        raise ValidationError("That person is not a member of this space.")
    acting = access.membership_of(by, space)
    if membership.role == Role.OWNER and acting.role != Role.OWNER:
        raise PermissionDenied("Only an owner can change or remove another owner.")
    return membership


@transaction.atomic
def membership_remove(*, space, by, membership_id):
    _require_facilitator(by, space)
    membership = _managed_membership(space, by, membership_id)
    if membership.role == Role.OWNER and _owners(space).count() == 1:
        raise ValidationError(
            "That is the space's only owner. Make someone else an owner first."
        )
    if membership.user_id == by.pk:
        raise ValidationError("Use “Leave this space” to remove yourself.")
    membership.delete()
    people_services.contribution_remove(
        target=space, kind="facilitation", user=membership.user
    )
    _acted(
        by,
        "spaces.member.remove",
        membership.user,
        space,
        detail={"role": membership.role},
    )
    return membership


@transaction.atomic
def membership_set_role(*, space, by, membership_id, role):
    _require_facilitator(by, space)
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, facilitator or member."})
    membership = _managed_membership(space, by, membership_id)
    if role == Role.OWNER and access.membership_of(by, space).role != Role.OWNER:
        raise PermissionDenied("Only an owner can make someone an owner.")
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and _owners(space).count() == 1
    ):
        raise ValidationError(
            "That is the space's only owner. Make someone else an owner first."
        )
    old_role, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    _record_facilitation(membership)
    if old_role != role:
        _acted(
            by,
            "spaces.member.role",
            membership.user,
            space,
            detail={"role": [old_role, role]},
        )
    return membership


# --- join requests --------------------------------------------------------------


@transaction.atomic
def join_request_create(*, space, user, message=""):
    if not access.can_view_space(user, space):
        raise PermissionDenied("You cannot ask to join this space.")
    if access.membership_of(user, space) is not None:
        raise ValidationError("You are already a member of this space.")
    if space.archived:
        raise ValidationError("This space is archived and takes no new members.")
    if space.visibility != Space.Visibility.CLOSED:
        raise ValidationError("Only closed spaces take requests to join.")
    if JoinRequest.objects.filter(
        space=space, user=user, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            "You have already asked to join. A facilitator will decide soon."
        )
    join_request = JoinRequest.objects.create(
        space=space, user=user, message=message.strip()[:1000]
    )
    _send_on_commit(signals.join_requested, JoinRequest, join_request=join_request)
    return join_request


def _pending_request(space, request_id):
    join_request = (
        JoinRequest.objects.select_for_update()
        .filter(space=space, pk=request_id, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .first()
    )
    if join_request is None:
        raise ValidationError("That request has already been decided or withdrawn.")
    return join_request


@transaction.atomic
def join_request_approve(*, space, by, request_id):
    _require_facilitator(by, space)
    join_request = _pending_request(space, request_id)
    join_request.status = JoinRequest.Status.APPROVED
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    _add_member(space=space, user=join_request.user)
    _acted(
        by,
        "spaces.join_request.approve",
        join_request.user,
        space,
        detail={"join_request_id": join_request.pk},
    )
    return join_request


@transaction.atomic
def join_request_decline(*, space, by, request_id):
    _require_facilitator(by, space)
    join_request = _pending_request(space, request_id)
    join_request.status = JoinRequest.Status.DECLINED
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    _acted(
        by,
        "spaces.join_request.decline",
        join_request.user,
        space,
        detail={"join_request_id": join_request.pk},
    )
    return join_request


# --- invitations ------------------------------------------------------------------


@transaction.atomic
def space_invite(*, space, by, email, role=Role.MEMBER, organisation=None, site_url=""):
    """Invite an address into the space, and email them the link.

    People without an account whose address is outside the sign-up
    allow-list also get a people Invitation, so they can create one; it
    places them in `organisation` (default: the space's lead organisation).
    """
    _require_facilitator(by, space)
    if space.archived:
        raise ValidationError("This space is archived and takes no new members.")
    email = (email or "").strip().lower()
    if "@" not in email:
        raise ValidationError(
            {"email": "Enter an email address, like name@example.gov.uk."}
        )
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, facilitator or member."})
    if role == Role.OWNER and access.membership_of(by, space).role != Role.OWNER:
        raise PermissionDenied("Only an owner can invite someone as an owner.")
    existing = User.objects.filter(email__iexact=email).first()
    if existing and Membership.objects.filter(space=space, user=existing).exists():
        raise ValidationError({"email": f"{email} is already a member of this space."})
    SpaceInvitation.objects.pending().filter(space=space, email__iexact=email).update(
        expires_at=timezone.now()
    )
    invitation = SpaceInvitation.objects.create(
        space=space, email=email, role=role, invited_by=by
    )
    signup_invitation = None
    if existing is None and people_services.organisation_for_email(email) is None:
        signup_invitation = people_services.invitation_create_for_space(
            invited_by=by,
            email=email,
            organisation=organisation or space.lead_organisation,
        )
    context = {
        "invitation": invitation,
        "space": space,
        "inviter": by,
        "has_account": existing is not None,
        "url": site_url + invitation.get_absolute_url(),
        "signup_url": (
            site_url + signup_invitation.get_absolute_url() if signup_invitation else ""
        ),
    }

    def send():
        from cop.email import send_templated_email

        send_templated_email("spaces/email/invitation", to=[email], context=context)

    transaction.on_commit(send)
    _send_on_commit(signals.member_invited, SpaceInvitation, invitation=invitation)
    _acted(by, "spaces.member.invite", invitation, space, detail={"role": role})
    return invitation


def _usable_invitation(token):
    invitation = (
        SpaceInvitation.objects.select_related("space", "invited_by")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise ValidationError(
            "This invitation link is not valid. Check you copied the whole link "
            "from the email, or ask the person who invited you to send a new one."
        )
    if invitation.accepted_at:
        raise ValidationError("This invitation has already been accepted.")
    if invitation.declined_at:
        raise ValidationError("This invitation was declined.")
    if invitation.is_expired:
        raise ValidationError(
            "This invitation has expired. Ask the person who invited you to send "
            "a new one."
        )
    return invitation


def _check_invitee(invitation, user):
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            f"This invitation was sent to {invitation.email}. Sign in with that "
            "address to accept it."
        )


@transaction.atomic
def invitation_accept(*, token, user):
    invitation = _usable_invitation(token)
    _check_invitee(invitation, user)
    if invitation.space.archived:
        raise ValidationError("This space is archived and takes no new members.")
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    _add_member(space=invitation.space, user=user, role=invitation.role)
    return invitation


@transaction.atomic
def invitation_decline(*, token, user):
    invitation = _usable_invitation(token)
    _check_invitee(invitation, user)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation


# --- actions ----------------------------------------------------------------------


def _check_owner(space, owner):
    if (
        owner is not None
        and not Membership.objects.filter(space=space, user=owner).exists()
    ):
        raise ValidationError({"owner": "The owner of an action must be a member."})


@transaction.atomic
def action_create(*, space, by, description, owner=None, due_date=None, status=None):
    _require_poster(by, space)
    _check_owner(space, owner)
    action = Action(
        space=space,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        status=status or Action.Status.OPEN,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, action, by, **fields):
    _require_poster(by, action.space)
    _check_owner(action.space, fields.get("owner", action.owner))
    for key in ("description", "owner", "due_date", "status"):
        if key in fields:
            value = fields[key]
            setattr(action, key, value.strip() if isinstance(value, str) else value)
    action.full_clean()
    action.save()
    return action


# --- folders and documents --------------------------------------------------------


@transaction.atomic
def folder_create(*, space, by, name, parent=None):
    _require_poster(by, space)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the folder."})
    if parent is not None and parent.space_id != space.pk:
        raise ValidationError({"parent": "Choose a folder in this space."})
    if Folder.objects.filter(space=space, parent=parent, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a folder called {name}."})
    return Folder.objects.create(space=space, name=name[:120], parent=parent)


def _check_folder(space, folder):
    if folder is not None and folder.space_id != space.pk:
        raise ValidationError({"folder": "Choose a folder in this space."})


def _record_document(document):
    people_services.contribution_record(
        user=document.created_by,
        kind="document",
        target=document,
        title=document.title,
        url=document.get_absolute_url(),
        topics=document.tags.names(),
        space=document.space,
        marking=document.marking,
    )


@transaction.atomic
def document_upload(
    *,
    space,
    by,
    upload,
    document=None,
    title="",
    description="",
    marking=Marking.OFFICIAL,
    folder=None,
    tags=(),
    note="",
):
    """Store a new document, or a new version of `document`.

    Nothing is stored unless every check passes. A new version becomes the
    current one; earlier versions stay, numbered 1, 2, 3...
    """
    is_new = document is None
    if is_new:
        _require_poster(by, space)
        if not (title or "").strip():
            raise ValidationError({"title": "Enter a title for the document."})
        _check_marking(space, marking)
        _check_folder(space, folder)
    else:
        if document.space_id != space.pk:
            raise ValidationError("That document is not in this space.")
        _require_poster(by, space)
        if not access.can_manage_documents(by, document):
            raise PermissionDenied(
                "Only the person who added this document or a facilitator can "
                "upload a new version."
            )
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc

    now = timezone.now()
    if is_new:
        document = Document.objects.create(
            space=space,
            folder=folder,
            title=title.strip()[:200],
            description=(description or "").strip(),
            marking=marking,
            created_by=by,
            created_at=now,
            updated_at=now,
        )
        if tags:
            document.tags.set(list(tags))
        number = 1
    else:
        # Lock the document row so two uploads at once get different numbers.
        document = Document.objects.select_for_update().get(pk=document.pk)
        number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1

    version = DocumentVersion(
        document=document,
        number=number,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        note=(note or "").strip()[:300],
        uploaded_by=by,
        created_at=now,
    )
    upload.seek(0)
    version.file.save(checked.name, upload, save=False)
    try:
        version.save()
    except IntegrityError:
        version.file.delete(save=False)
        raise ValidationError(
            "Someone uploaded another version at the same moment. Try again."
        ) from None
    except Exception:
        version.file.delete(save=False)
        raise
    document.current_version = version
    document.updated_at = now
    document.save(update_fields=["current_version", "updated_at"])
    if document.created_by_id:
        _record_document(document)
    if not is_new and document.created_by_id != by.pk:
        _acted(
            by, "spaces.document.version", document, space, detail={"version": number}
        )
    _send_on_commit(
        signals.document_uploaded,
        Document,
        document=document,
        version=version,
        uploaded_by=by,
        is_new_document=is_new,
    )
    return version


@transaction.atomic
def document_update(
    *, document, by, title, description="", marking=None, folder=None, tags=None
):
    if not access.can_manage_documents(by, document):
        raise PermissionDenied(
            "Only the person who added this document or a facilitator can edit it."
        )
    marking, old_marking = marking or document.marking, document.marking
    _check_marking(document.space, marking)
    _check_folder(document.space, folder)
    if not (title or "").strip():
        raise ValidationError({"title": "Enter a title for the document."})
    document.title = title.strip()[:200]
    document.description = (description or "").strip()
    document.marking = marking
    document.folder = folder
    document.updated_at = timezone.now()
    document.save()
    if tags is not None:
        document.tags.set(list(tags))
    if document.created_by_id:
        _record_document(document)
    if document.created_by_id != by.pk:
        _acted(
            by,
            "spaces.document.update",
            document,
            document.space,
            detail={"marking": [old_marking, marking]},
        )
    return document


@transaction.atomic
def document_comment_create(*, document, by, body):
    _require_poster(by, document.space)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Enter a comment."})
    if len(body) > 5000:
        raise ValidationError({"body": "A comment must be 5,000 characters or fewer."})
    return DocumentComment.objects.create(
        document=document, author=by, body=body, body_html=render_markdown(body)
    )


@transaction.atomic
def document_access_record(*, version, user):
    """Write the access log row for a download."""
    from .models import DocumentAccess

    return DocumentAccess.objects.create(
        document_id=version.document_id, version=version, user=user
    )
