"""Thin views over search.selectors and search.services."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from people.models import Organisation
from spaces.access import visible_spaces

from . import selectors, services
from .kinds import available_kinds
from .models import SimilarOpened

# Create forms name their fields differently; the similar-work endpoint
# accepts any of these for the title and the summary.
TITLE_FIELDS = ("title", "name")
SUMMARY_FIELDS = ("summary", "purpose", "body", "description", "problem")


def _wants_json(request):
    return request.GET.get("format") == "json" or "application/json" in (
        request.headers.get("Accept", "")
    )


def _filter_options(user):
    themes = []
    Theme = selectors._theme_model()
    if Theme is not None:
        themes = list(Theme.objects.values_list("slug", "name"))
    organisations = list(
        Organisation.objects.active().values_list("slug", "name").order_by("name")
    )
    spaces = list(
        visible_spaces(user)
        .filter(archived=False)
        .values_list("slug", "name")
        .order_by("name")
    )
    return {"themes": themes, "organisations": organisations, "spaces": spaces}


@require_GET
def search(request):
    params = request.GET
    types = params.getlist("type")
    outcome = selectors.search(
        request.user,
        params.get("q", ""),
        types=types,
        theme=params.get("theme") or None,
        organisation=params.get("organisation") or None,
        space=params.get("space") or None,
        page=params.get("page", 1),
    )
    if _wants_json(request):
        return JsonResponse(outcome.as_json())
    # The query string for pagination links, without the page.
    keep = [(k, v) for k, v in params.lists() if k not in {"page", "format"}]
    extra_query = urlencode([(k, v) for k, values in keep for v in values])
    context = {
        "outcome": outcome,
        "q": params.get("q", "")[:200],
        "kinds": available_kinds(),
        "chosen": {
            "types": outcome.types,
            "theme": params.get("theme", ""),
            "organisation": params.get("organisation", ""),
            "space": params.get("space", ""),
        },
        "extra_query": extra_query,
        "page_range": _page_range(outcome),
        **_filter_options(request.user),
    }
    return render(request, "search/search.html", context)


def _page_range(outcome):
    if outcome.num_pages <= 1:
        return []
    pages, last = [], None
    for number in range(1, outcome.num_pages + 1):
        if number in {1, outcome.num_pages} or abs(number - outcome.page) <= 2:
            pages.append(number)
        elif last is not None and last != "…":
            pages.append("…")
        last = pages[-1] if pages else None
    return pages


@require_GET
def suggest(request):
    return JsonResponse(
        {"suggestions": selectors.suggest(request.user, request.GET.get("q", ""))}
    )


def _first(data, names):
    """The first non-empty field among `names` (also "prefix-name" fields)."""
    for name in names:
        value = data.get(name)
        if value:
            return value[:2000]
    for name in names:
        for key in data:
            if key.endswith(f"-{name}") and data.get(key):
                return data.get(key)[:2000]
    return ""


@require_http_methods(["GET", "POST"])
@login_required
def similar(request):
    """Similar visible work: a fragment for the panel, JSON, or a full page
    (the "Check for similar work" button posts the create form here)."""
    data = request.POST if request.method == "POST" else request.GET
    # The fallback button submits similar_kind; a form may have its own "kind".
    kind = data.get("similar_kind") or data.get("kind") or ""
    found = selectors.similar(
        request.user,
        title=_first(data, TITLE_FIELDS),
        summary=_first(data, SUMMARY_FIELDS),
        kind=kind,
    )
    if _wants_json(request):
        return JsonResponse(
            {
                "items": [item.as_json() for item in found.items],
                "people": found.people,
            }
        )
    template = "search/_similar.html" if data.get("fragment") else "search/similar.html"
    return render(
        request,
        template,
        {"found": found, "kind": kind, "title": _first(data, TITLE_FIELDS)},
    )


@require_GET
@login_required
def similar_open(request):
    """Record that a suggestion was opened, then go to it (local paths only)."""
    try:
        record = services.similar_opened_record(
            user=request.user,
            kind=request.GET.get("kind", ""),
            target=request.GET.get("to", ""),
        )
    except services.RefusedTarget as exc:
        return render(
            request, "search/similar_refused.html", {"message": str(exc)}, status=400
        )
    return redirect(record.target_url)


@require_GET
@login_required
def similar_report(request):
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can see this report.")
    since = timezone.now() - timedelta(days=30)
    opened = SimilarOpened.objects.all()
    by_kind = dict(
        opened.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    labels = dict(SimilarOpened.Kind.choices)
    context = {
        "total": opened.count(),
        "last_30_days": opened.filter(created_at__gte=since).count(),
        "members": opened.values("user_id").distinct().count(),
        "by_kind": [
            (labels[key], by_kind.get(key, 0)) for key in SimilarOpened.Kind.values
        ],
        "recent": opened.select_related("user")[:20],
    }
    return render(request, "search/similar_report.html", context)
