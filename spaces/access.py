"""The one access policy: who may see and do what, for spaces and everything in them.

Every view, consumer, selector, search query, notification and digest asks
here; none re-implements it. Content apps plug in by giving their model a
`space` foreign key (nullable where an item may live outside any space) and a
`marking` field, then filtering with `visible_items(queryset, user)` and
checking with `can_view(user, obj)`.

The rules
- Anonymous visitors see no space and nothing in one.
- Signed-in members see open and closed spaces exist; secret spaces only if
  they belong. Staff see every space exists (they moderate).
- A space's content is readable by its members, by any member when the space
  is open, and by staff for moderation.
- OFFICIAL-SENSITIVE items are readable by the space's members only: never
  by non-members, staff included, and never in email, digests, feeds, search
  snippets or previews for anyone else (`redacted_for`).

Queryset filters use subqueries, not Python lists, so they cost no extra
queries and stay constant as rows grow.
"""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404

from .models import Marking, Membership, Space

__all__ = [
    "Marking",
    "visible_spaces",
    "readable_spaces",
    "member_space_ids",
    "membership_of",
    "prime_memberships",
    "can_view_space",
    "can_read_space",
    "can_join",
    "can_post",
    "can_facilitate",
    "can_manage_documents",
    "visible_items",
    "can_view",
    "redacted_for",
    "get_visible_space_or_404",
    "get_visible_item_or_404",
]


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def _is_staff(user):
    return _signed_in(user) and (user.is_staff or user.is_superuser)


def member_space_ids(user):
    """A subquery of the ids of spaces `user` belongs to (unevaluated)."""
    return Membership.objects.filter(user_id=user.pk).values("space_id")


def visible_spaces(user):
    """Spaces whose existence `user` may know: listings, counts, search, digests."""
    spaces = Space.objects.all()
    if not _signed_in(user):
        return spaces.none()
    if _is_staff(user):
        return spaces
    return spaces.filter(
        ~Q(visibility=Space.Visibility.SECRET)
        | Q(pk__in=Subquery(member_space_ids(user)))
    )


def readable_spaces(user):
    """Spaces whose content (OFFICIAL items) `user` may read."""
    spaces = Space.objects.all()
    if not _signed_in(user):
        return spaces.none()
    if _is_staff(user):
        return spaces
    return spaces.filter(
        Q(visibility=Space.Visibility.OPEN) | Q(pk__in=Subquery(member_space_ids(user)))
    )


def membership_of(user, space):
    """The user's Membership in `space`, or None. Cached on the space object."""
    if not _signed_in(user) or space is None:
        return None
    cache = space.__dict__.setdefault("_membership_cache", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(space=space, user=user).first()
    return cache[user.pk]


def prime_memberships(users, spaces):
    """Answer `membership_of` for every (user, space) pair in one query.

    For batch readers (digests, notification fan-out): after this,
    `can_view`, `can_read_space` and `redacted_for` on these space objects
    for these users cost no further queries. Give items the same space
    instances you primed (e.g. `item.space = spaces_by_id[item.space_id]`).
    """
    users = [user for user in users if _signed_in(user)]
    spaces = [space for space in spaces if space is not None]
    if not users or not spaces:
        return
    found = {
        (m.user_id, m.space_id): m
        for m in Membership.objects.filter(
            user_id__in={user.pk for user in users},
            space_id__in={space.pk for space in spaces},
        )
    }
    for space in spaces:
        cache = space.__dict__.setdefault("_membership_cache", {})
        for user in users:
            cache.setdefault(user.pk, found.get((user.pk, space.pk)))


def can_view_space(user, space):
    if not _signed_in(user):
        return False
    if _is_staff(user) or space.visibility != Space.Visibility.SECRET:
        return True
    return membership_of(user, space) is not None


def can_read_space(user, space):
    if not _signed_in(user):
        return False
    if _is_staff(user) or space.visibility == Space.Visibility.OPEN:
        return True
    return membership_of(user, space) is not None


def can_join(user, space):
    """May `user` join straight away (open spaces only)."""
    return (
        _signed_in(user)
        and not space.archived
        and space.visibility == Space.Visibility.OPEN
        and membership_of(user, space) is None
    )


def can_post(user, space):
    """Members write in their spaces; nobody writes in an archived one."""
    return (
        _signed_in(user)
        and not space.archived
        and membership_of(user, space) is not None
    )


def can_facilitate(user, space):
    membership = membership_of(user, space)
    return bool(membership and membership.can_facilitate)


def can_manage_documents(user, document):
    """Upload new versions, edit details: the uploader or a facilitator."""
    return can_post(user, document.space) and (
        document.created_by_id == user.pk or can_facilitate(user, document.space)
    )


def visible_items(queryset, user, *, space_field="space", marking_field="marking"):
    """Filter any model with a space and a marking down to what `user` may read.

    Items whose space is null (allowed for models that may live outside a
    space, such as case studies) are readable by any signed-in member unless
    they are OFFICIAL-SENSITIVE, which always needs a space.
    """
    if not _signed_in(user):
        return queryset.none()
    model = queryset.model
    space_id = f"{space_field}_id"
    members = Membership.objects.filter(user_id=user.pk, space_id=OuterRef(space_id))
    is_member = Exists(members)
    official = Q(**{marking_field: Marking.OFFICIAL})
    nullable = model._meta.get_field(space_field).null
    if _is_staff(user):
        readable = Q()
    else:
        readable = (
            Q(**{f"{space_field}__visibility": Space.Visibility.OPEN}) | is_member
        )
        if nullable:
            readable = readable | Q(**{f"{space_field}__isnull": True})
    return queryset.filter(readable).filter(official | is_member)


def can_view(user, obj):
    """May `user` read `obj` (anything with `space` and optionally `marking`)?"""
    if isinstance(obj, Space):
        return can_read_space(user, obj)
    if not _signed_in(user):
        return False
    space = getattr(obj, "space", None)
    marking = getattr(obj, "marking", Marking.OFFICIAL)
    if space is None:
        return marking != Marking.SENSITIVE
    if marking == Marking.SENSITIVE:
        return membership_of(user, space) is not None
    return can_read_space(user, space)


def redacted_for(user, obj):
    """True when `obj` must not be described to `user` (email, digest, preview).

    Callers then say only that there is something new, with a link to sign in.
    """
    if getattr(obj, "marking", Marking.OFFICIAL) != Marking.SENSITIVE:
        return not can_view(user, obj)
    space = getattr(obj, "space", None)
    return space is None or membership_of(user, space) is None


def get_visible_space_or_404(user, slug):
    """A space `user` may know about, else 404 (a secret space's existence is secret)."""
    try:
        space = visible_spaces(user).select_related("lead_organisation").get(slug=slug)
    except Space.DoesNotExist:
        raise Http404("No such space.") from None
    return space


def get_visible_item_or_404(queryset, user, **lookup):
    """An item `user` may read, else 404: never reveal that it exists."""
    try:
        return visible_items(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found.") from None
