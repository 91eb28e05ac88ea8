from django.core.exceptions import PermissionDenied


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
