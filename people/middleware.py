"""Two-factor authentication for staff and editors; last-active tracking."""

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/media/")
SESSION_KEY = "cop_mfa_ok"


def needs_two_factor(user):
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.COP_TWO_FACTOR_GROUPS).exists()


def has_totp(user):
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


class RequireTwoFactorMiddleware:
    """Send privileged members to set up TOTP before they can do anything else.

    The outcome is remembered in the session once satisfied, so ordinary
    requests cost no extra query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(SESSION_KEY) != user.pk
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            if not needs_two_factor(user) or has_totp(user):
                request.session[SESSION_KEY] = user.pk
            else:
                messages.warning(
                    request,
                    "Set up two-factor authentication to continue. Staff and editors "
                    "must use an authenticator app to sign in.",
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


SESSION_LAST_ACTIVE = "cop_last_active"
LAST_ACTIVE_EVERY = 3600  # seconds: at most one write an hour per session


class LastActiveMiddleware:
    """Record when a member was last here, cheaply.

    The time of the last write is kept in the session (already loaded for
    authentication), so only the first request in each hour costs an UPDATE.
    Signing in writes it too (people.signals), so a fresh session starts
    quiet.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_LAST_ACTIVE, 0)
            if now - last > LAST_ACTIVE_EVERY:
                from .services import profile_touch

                profile_touch(user=user)
                request.session[SESSION_LAST_ACTIVE] = now
        return self.get_response(request)
