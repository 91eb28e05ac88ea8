from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from . import mailfiles, services
from .delivery import digest_render
from .digest import build_one, current_period, parse_period, preview_window
from .emails import BadToken, read_digest_view_token, read_unsubscribe_token
from .forms import PreferencesForm
from .models import Delivery, Kind, Notification

PER_PAGE = 20
OUTBOX_PER_PAGE = 25


@login_required
def index(request):
    notifications = Notification.objects.for_user(request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/index.html",
        {"page": page, "has_unread": any(n.read_at is None for n in page)},
    )


def _next_or_index(request):
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would take "index" or "0" for a
    # view name and fail to reverse it.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("notifications:index")


@login_required
@require_POST
def mark_read(request, pk):
    try:
        services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None
    return _next_or_index(request)


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request, f"Marked {count} notification{'s' if count != 1 else ''} as read."
        )
    return redirect("notifications:index")


@login_required
def preferences(request):
    current = services.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# The POST comes from mail clients' one-click "Unsubscribe" (RFC 8058), which
# carry no CSRF token; the signed token is the proof instead.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        user_id, kind = read_unsubscribe_token(token)
    except BadToken as exc:
        return render(
            request,
            "notifications/unsubscribe_problem.html",
            {"expired": str(exc) == "expired"},
            status=400,
        )
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return render(request, "notifications/unsubscribe_problem.html", {}, status=400)
    label = Kind(kind).label
    if request.method == "POST":
        services.preference_set(user=user, kind=kind, delivery=Delivery.OFF)
        return render(
            request, "notifications/unsubscribe_done.html", {"kind_label": label}
        )
    return render(
        request,
        "notifications/unsubscribe_confirm.html",
        {"kind_label": label, "email": user.email, "is_digest": kind == Kind.DIGEST},
    )


@login_required
def digest_preview(request):
    since, until = preview_window()
    digest = build_one(request.user, period=current_period(), since=since, until=until)
    return render(request, "notifications/digest_preview.html", {"digest": digest})


def digest_view(request, token):
    """The digest as emailed, for a signed "view in browser" link: it shows no
    more than the email did, so it needs no sign-in."""
    try:
        user_id, period = read_digest_view_token(token)
        parse_period(period)
    except (BadToken, ValueError):
        raise Http404("This link is not valid.") from None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    digest = build_one(user, period=period) if user else None
    if digest is None:
        raise Http404("This link is not valid.")
    _, _, html = digest_render(digest)
    response = HttpResponse(html)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- the staff outbox (embedded default: mail kept in files) ---------------------


def _staff_only(request):
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied("Only staff can see the outbox.")


@require_GET
@login_required
def outbox(request):
    """Every email the file backend kept, newest first: what members were sent."""
    _staff_only(request)
    context = {"mode": mailfiles.backend_kind()}
    if context["mode"] == "file":
        refs = mailfiles.message_refs()
        page = Paginator(refs, OUTBOX_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            mails=mailfiles.summaries(page.object_list),
            directory=mailfiles.directory(),
        )
    return render(request, "notifications/outbox.html", context)


@require_GET
@login_required
def outbox_message(request, name, number):
    """One kept email: its headers, its text, and its HTML as source only
    (it carries members' words, so it is never rendered as a page)."""
    _staff_only(request)
    mail = None
    if mailfiles.backend_kind() == "file":
        mail = mailfiles.read_message(name, number)
    if mail is None:
        raise Http404("No such email in the outbox.")
    return render(request, "notifications/outbox_message.html", {"mail": mail})
