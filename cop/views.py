"""Error pages in the site's own look."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template

# Seconds a client (or a proxy) should wait before trying again.
RETRY_AFTER = 30


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def database_unavailable():
    """503 with Retry-After: the database is away (a restart, a failover)."""
    response = HttpResponse(get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    # Django calls this while handling the uncaught exception, so it is the
    # current one. Losing the database is an outage, not a bug: say so, and
    # tell clients when to come back. psycopg's pool recovers by itself.
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        return database_unavailable()
    # No request context: the failure may have come from a context processor.
    return HttpResponseServerError(get_template("500.html").render({}))
