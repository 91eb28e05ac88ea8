import contextlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, UnreadablePostError
from django.template.loader import get_template


class AdminAccessMiddleware:
    """Signed-in members without admin access get a plain 403 at /admin/.

    Wagtail would send them to the sign-in page, which (as they are signed in)
    sends them straight back: a redirect loop instead of an answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/admin/")
            and user is not None
            and user.is_authenticated
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            raise PermissionDenied("You do not have access to the admin.")
        return self.get_response(request)


def _reads_body(request):
    """Whether to look in the POST body. Not a multipart body over the upload
    limit: the upload views refuse those unread (spaces/views/documents.py),
    and reading it here would store it first."""
    if request.method != "POST":
        return False
    if request.content_type != "multipart/form-data":
        return True
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length <= settings.COP_UPLOAD_MAX_BYTES + 65536


def _carries_nul(request):
    if "\x00" in request.path_info:
        return True
    sources = [request.GET, request.COOKIES]
    if _reads_body(request):
        # UnreadablePostError: the client went away; the view meets it too.
        with contextlib.suppress(UnreadablePostError):
            sources.append(request.POST)
    for source in sources:
        items = source.lists() if hasattr(source, "lists") else source.items()
        for key, values in items:
            values = values if isinstance(values, list) else [values]
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


class RefuseNullCharactersMiddleware:
    """Answer 400 to a request with a NUL character in its path, query, form
    fields or cookies.

    PostgreSQL refuses NUL in text, so such a value reaching a query (a page
    route, a search, a session lookup from a forged cookie) would be a server
    error; no browser sends one for anything a person typed. The page is
    rendered without the request, so nothing (the session included) is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            return HttpResponseBadRequest(get_template("400.html").render({}))
        return self.get_response(request)
