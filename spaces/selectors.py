"""Reads for spaces' pages: every one starts from the access policy.

Each returns a queryset whose cost is a fixed number of queries however many
rows there are (annotations and prefetches, never a query per row).
"""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When

from people.models import Organisation

from . import access
from .models import (
    Action,
    Document,
    DocumentAccess,
    DocumentComment,
    DocumentVersion,
    Folder,
    JoinRequest,
    Membership,
    SpaceInvitation,
    SpaceOrganisation,
)


def space_directory(user, *, kind="", visibility="", organisation="", mine=False, q=""):
    """Spaces `user` may know exist, filtered, with member counts."""
    spaces = access.visible_spaces(user).filter(archived=False)
    if kind:
        spaces = spaces.filter(kind=kind)
    if visibility:
        spaces = spaces.filter(visibility=visibility)
    if organisation:
        spaces = spaces.filter(
            Q(lead_organisation__slug=organisation)
            | Q(participations__organisation__slug=organisation)
        ).distinct()
    if mine:
        spaces = spaces.filter(pk__in=access.member_space_ids(user))
    if q:
        spaces = spaces.filter(Q(name__icontains=q) | Q(purpose__icontains=q))
    return (
        spaces.select_related("lead_organisation")
        .annotate(
            member_count=Count("memberships", distinct=True),
            is_member=Exists(
                Membership.objects.filter(space=OuterRef("pk"), user_id=user.pk)
            ),
        )
        .order_by("name")
    )


def directory_organisations(user):
    """Organisations leading or taking part in a space `user` may see."""
    visible = access.visible_spaces(user).filter(archived=False).values("pk")
    return (
        Organisation.objects.filter(
            Q(spaces_led__in=visible) | Q(participations__space__in=visible)
        )
        .distinct()
        .order_by("name")
    )


def space_participations(space):
    return SpaceOrganisation.objects.filter(space=space).select_related("organisation")


def space_members(space):
    rank = Case(
        *(
            When(role=role, then=Value(n))
            for n, role in enumerate(Membership.Role.values)
        ),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(space=space)
        .select_related("user__profile__organisation")
        .order_by(rank, "user__first_name", "user__last_name")
    )


def space_facilitators(space):
    """Active owners and facilitators of `space`, longest-standing first:
    the people who decide on its members and moderate its threads."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__space=space,
            memberships__role__in=[Membership.Role.OWNER, Membership.Role.FACILITATOR],
        )
        .order_by("memberships__joined_at", "pk")
    )


def pending_join_requests(space):
    return JoinRequest.objects.filter(
        space=space, status=JoinRequest.Status.PENDING
    ).select_related("user__profile__organisation")


def pending_invitations(space):
    return SpaceInvitation.objects.pending().filter(space=space)


def invitations_for(user):
    """Invitations waiting for `user` to accept (matched on their email)."""
    if not user.is_authenticated:
        return SpaceInvitation.objects.none()
    return (
        SpaceInvitation.objects.pending()
        .filter(email__iexact=user.email)
        .select_related("space")
    )


def space_documents(space, user, *, folder=None, tag=""):
    documents = access.visible_items(Document.objects.filter(space=space), user)
    if folder is not None:
        documents = documents.filter(folder=folder)
    if tag:
        documents = documents.filter(tags__slug=tag).distinct()
    return documents.select_related(
        "current_version", "created_by", "folder"
    ).prefetch_related("tags")


def space_folders(space, user):
    """Folders with the number of documents in each that `user` may read (a
    count of everything would give away OFFICIAL-SENSITIVE documents)."""
    readable = access.visible_items(Document.objects.filter(space=space), user)
    return Folder.objects.filter(space=space).annotate(
        document_count=Count("documents", filter=Q(documents__in=readable.values("pk")))
    )


def space_tags(space, user):
    """Tags used on documents `user` may read in `space`, with counts."""
    from taggit.models import Tag

    readable = space_documents(space, user).values("pk")
    return (
        Tag.objects.filter(spaces_taggeddocument_items__content_object__in=readable)
        .annotate(document_count=Count("spaces_taggeddocument_items"))
        .order_by("name")
    )


def document_versions(document):
    return DocumentVersion.objects.filter(document=document).select_related(
        "uploaded_by"
    )


def document_comments(document):
    return DocumentComment.objects.filter(document=document).select_related(
        "author__profile__organisation"
    )


def document_accesses(document, limit=100):
    return DocumentAccess.objects.filter(document=document).select_related(
        "user", "version"
    )[:limit]


def space_actions(space):
    return Action.objects.filter(space=space).select_related("owner")


def my_memberships(user):
    return Membership.objects.filter(user_id=user.pk).select_related("space")
