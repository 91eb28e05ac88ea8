"""Error pages in the site's own look."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the failure may have come from a context processor.
    return HttpResponseServerError(get_template("500.html").render({}))
