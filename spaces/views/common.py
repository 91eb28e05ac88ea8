"""What every spaces view shares: finding the space, reporting refusals."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator

from .. import access

PAGE_SIZE = 25


def space_or_404(request, slug):
    """The space if the member may know it exists; 404 otherwise (even staff
    only ever see what the policy allows)."""
    return access.get_visible_space_or_404(request.user, slug)


def readable_space_or_403(request, slug):
    """A space whose content the member may read. A secret space they do not
    belong to is a 404; a closed one they can see but not read is a 403."""
    space = space_or_404(request, slug)
    if not access.can_read_space(request.user, space):
        raise PermissionDenied("Only members of this space can see that.")
    return space


def add_errors(form, exc):
    """Put a service's ValidationError on the form, by field where it can."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def page_of(request, queryset, size=PAGE_SIZE):
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def space_context(request, space, tab):
    user = request.user
    membership = access.membership_of(user, space)
    return {
        "space": space,
        "tab": tab,
        "membership": membership,
        "can_read": access.can_read_space(user, space),
        "can_post": access.can_post(user, space),
        "can_facilitate": access.can_facilitate(user, space),
        "can_join": access.can_join(user, space),
    }


__all__ = [
    "PermissionDenied",
    "ValidationError",
    "add_errors",
    "page_of",
    "querystring_without_page",
    "readable_space_or_403",
    "space_context",
    "space_or_404",
]
