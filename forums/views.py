"""Thin views: look up what the member may see (spaces.access), call a service."""

import csv
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from people.models import User
from people.services import follow_state
from spaces import access
from spaces.models import Marking

from . import selectors, services
from .forms import (
    AskForm,
    EditPostForm,
    FlagForm,
    MoveForm,
    ReasonForm,
    ReplyForm,
    ThreadForm,
)
from .models import Post, PostRevision, Thread

GUIDELINES_CSV = Path(__file__).parent / "data" / "compact_principles.csv"


def _thread_or_404(user, thread_id):
    return access.get_visible_item_or_404(
        Thread.objects.select_related(
            "space",
            "author__profile__organisation",
            "accepted_answer__author__profile__organisation",
        ),
        user,
        pk=thread_id,
    )


def _post_or_404(user, post_id):
    try:
        post = Post.objects.select_related(
            "thread__space", "author__profile__organisation"
        ).get(pk=post_id)
    except Post.DoesNotExist:
        raise Http404("Not found.") from None
    if not access.can_view(user, post.thread):
        raise Http404("Not found.")
    return post


def _apply_error(form, exc):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _page(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@login_required
def index(request):
    sort = "liveliest" if request.GET.get("sort") == "liveliest" else "latest"
    threads = selectors.threads_for(request.user)
    if sort == "liveliest":
        threads = selectors.liveliest(threads)
    page_obj = _page(request, threads, settings.COP_THREADS_PER_PAGE)
    return render(request, "forums/index.html", {"page_obj": page_obj, "sort": sort})


@login_required
def space_threads(request, slug):
    space = access.get_visible_space_or_404(request.user, slug)
    readable = access.can_read_space(request.user, space)
    tab = "unanswered" if request.GET.get("tab") == "unanswered" else "all"
    page_obj = None
    if readable:
        page_obj = _page(
            request,
            selectors.space_threads(
                request.user, space, unanswered=tab == "unanswered"
            ),
            settings.COP_THREADS_PER_PAGE,
        )
    return render(
        request,
        "forums/space.html",
        {
            "space": space,
            "readable": readable,
            "tab": tab,
            "page_obj": page_obj,
            "can_post": access.can_post(request.user, space),
            "can_moderate": services.is_moderator(request.user, space),
            "form": ThreadForm(space=space),
        },
    )


@login_required
def thread_create(request, slug):
    space = access.get_visible_space_or_404(request.user, slug)
    if not access.can_post(request.user, space):
        messages.error(
            request, f"Only members of {space.name} can start threads. Join first."
        )
        return redirect("forums:space", slug=space.slug)
    form = ThreadForm(request.POST or None, space=space)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                space=space,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
                marking=form.cleaned_data.get("marking") or Marking.OFFICIAL,
            )
        except services.ForumError as exc:
            _apply_error(form, exc)
        else:
            return redirect(thread)
    return render(request, "forums/thread_form.html", {"space": space, "form": form})


def _thread_context(request, thread, form=None):
    user = request.user
    posts = _page(request, selectors.thread_posts(thread), settings.COP_POSTS_PER_PAGE)
    can_moderate = services.is_moderator(user, thread.space)
    post_list = list(posts)
    reactions = selectors.reaction_summary(post_list, user)
    for post in post_list:
        post.reaction_list = reactions[post.pk]
    return {
        "thread": thread,
        "space": thread.space,
        "page_obj": posts,
        "posts": post_list,
        "form": form or ReplyForm(),
        "can_reply": services.can_reply(user, thread),
        "is_member": access.membership_of(user, thread.space) is not None,
        "can_moderate": can_moderate,
        "can_accept": services.can_accept_answer(user, thread),
        "follow_state": follow_state(user, thread),
        "first_post_id": thread.posts.order_by("id")
        .values_list("id", flat=True)
        .first(),
    }


@login_required
def thread_detail(request, thread_id):
    thread = _thread_or_404(request.user, thread_id)
    return render(request, "forums/thread.html", _thread_context(request, thread))


@login_required
@require_POST
def reply(request, thread_id):
    thread = _thread_or_404(request.user, thread_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_create(
                thread=thread, author=request.user, body=form.cleaned_data["body"]
            )
        except services.ForumError as exc:
            _apply_error(form, exc)
        else:
            return redirect(post.get_absolute_url())
    context = _thread_context(request, thread, form=form)
    return render(request, "forums/thread.html", context, status=400)


@login_required
@require_GET
def post_link(request, post_id):
    """A stable link to one post: redirects to the page it is on."""
    post = _post_or_404(request.user, post_id)
    page = selectors.post_page_number(post)
    url = post.thread.get_absolute_url()
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#post-{post.pk}")


@login_required
@require_GET
def posts_after(request, thread_id):
    """Catch-up after a reconnect: the posts after ?after=<id>, rendered."""
    thread = _thread_or_404(request.user, thread_id)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        return JsonResponse({"error": "after must be a post id"}, status=400)
    posts = selectors.posts_after(thread, after)
    reactions = selectors.reaction_summary(posts, request.user)
    for post in posts:
        post.reaction_list = reactions[post.pk]
    return JsonResponse(
        {
            "posts": [
                {
                    "id": post.pk,
                    "author": post.author.display_name if post.author else "",
                    "html": services.render_post(post, request=request),
                }
                for post in posts
            ]
        }
    )


@login_required
def post_edit(request, post_id):
    post = _post_or_404(request.user, post_id)
    if post.author_id != request.user.pk:
        raise Http404("Not found.")
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                post=post, user=request.user, body=form.cleaned_data["body"]
            )
        except services.ForumError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, "Your post has been updated.")
            return redirect(post.get_absolute_url())
    return render(request, "forums/post_edit.html", {"post": post, "form": form})


@login_required
@require_POST
def post_react(request, post_id):
    post = _post_or_404(request.user, post_id)
    try:
        services.reaction_toggle(
            post=post, user=request.user, kind=request.POST.get("kind")
        )
    except services.ForumError as exc:
        messages.error(request, exc.message)
    return redirect(post.get_absolute_url())


@login_required
def post_report(request, post_id):
    post = _post_or_404(request.user, post_id)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                post=post, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ForumError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, "Thank you. The space's moderators will look at this post."
            )
            return redirect(post.get_absolute_url())
    return render(request, "forums/post_report.html", {"post": post, "form": form})


@login_required
@require_POST
def post_accept(request, post_id):
    post = _post_or_404(request.user, post_id)
    try:
        services.answer_accept(thread=post.thread, post=post, user=request.user)
    except services.ForumError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Answer accepted.")
    return redirect(post.get_absolute_url())


def _require_moderator(request, thread):
    if not services.can_moderate(request.user, thread):
        raise Http404("Not found.")


@login_required
def post_moderate(request, post_id, action):
    post = _post_or_404(request.user, post_id)
    _require_moderator(request, post.thread)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.post_hide if action == "hide" else services.post_restore
        try:
            service(
                post=post, moderator=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ForumError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, "Post hidden." if action == "hide" else "Post restored."
            )
            return redirect(post.get_absolute_url())
    return render(
        request,
        "forums/moderate_form.html",
        {
            "form": form,
            "post": post,
            "thread": post.thread,
            "heading": "Hide this post" if action == "hide" else "Restore this post",
            "button": "Hide post" if action == "hide" else "Restore post",
        },
    )


@login_required
def post_history(request, post_id):
    post = _post_or_404(request.user, post_id)
    _require_moderator(request, post.thread)
    revisions = PostRevision.objects.filter(post=post).select_related("edited_by")
    return render(
        request, "forums/post_history.html", {"post": post, "revisions": revisions}
    )


@login_required
def thread_lock(request, thread_id):
    thread = _thread_or_404(request.user, thread_id)
    _require_moderator(request, thread)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.thread_unlock if thread.locked else services.thread_lock
        try:
            service(
                thread=thread,
                moderator=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.ForumError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, "Thread unlocked." if thread.locked else "Thread locked."
            )
            return redirect(thread)
    return render(
        request,
        "forums/moderate_form.html",
        {
            "form": form,
            "thread": thread,
            "heading": "Unlock this thread" if thread.locked else "Lock this thread",
            "button": "Unlock thread" if thread.locked else "Lock thread",
        },
    )


@login_required
def thread_move(request, thread_id):
    thread = _thread_or_404(request.user, thread_id)
    _require_moderator(request, thread)
    targets = services.move_targets(request.user, thread)
    form = MoveForm(request.POST or None, spaces=targets)
    if request.method == "POST" and form.is_valid():
        try:
            services.thread_move(
                thread=thread,
                moderator=request.user,
                to_space=form.cleaned_data["to_space"],
                reason=form.cleaned_data["reason"],
            )
        except services.ForumError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, f"Thread moved to {form.cleaned_data['to_space'].name}."
            )
            return redirect(thread)
    return render(
        request,
        "forums/moderate_form.html",
        {
            "form": form,
            "thread": thread,
            "heading": "Move this thread",
            "button": "Move thread",
            "no_targets": not targets.exists(),
        },
    )


@login_required
@require_POST
def thread_follow(request, thread_id):
    thread = _thread_or_404(request.user, thread_id)
    state = request.POST.get("state")
    try:
        services.thread_follow(thread=thread, user=request.user, state=state)
    except services.ForumError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            {
                "follow": "You are following this thread.",
                "mute": "You have muted this thread.",
                "forget": "You no longer follow this thread.",
            }[state],
        )
    return redirect(thread)


@login_required
def moderation(request, slug):
    space = access.get_visible_space_or_404(request.user, slug)
    if not services.is_moderator(request.user, space) or not access.can_read_space(
        request.user, space
    ):
        raise Http404("Not found.")
    return render(
        request,
        "forums/moderation.html",
        {
            "space": space,
            "flags": selectors.open_flags(space, request.user),
            "hidden": selectors.hidden_posts(space, request.user)[:50],
            "log": selectors.moderation_log(space, request.user),
        },
    )


@login_required
@require_POST
def flag_dismiss(request, flag_id):
    from .models import Flag

    flag = Flag.objects.select_related("post__thread__space").filter(pk=flag_id).first()
    if flag is None:
        raise Http404("Not found.")
    _require_moderator(request, flag.post.thread)
    try:
        services.flag_dismiss(
            flag=flag,
            moderator=request.user,
            reason=request.POST.get("reason") or "Report reviewed: no action needed.",
        )
    except services.ForumError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Report dismissed.")
    return redirect("forums:moderation", slug=flag.post.thread.space.slug)


def guidelines(request):
    with GUIDELINES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return render(
        request,
        "forums/guidelines.html",
        {
            "commitments": [row for row in rows if row["kind"] == "commitment"],
            "avoid": [row for row in rows if row["kind"] == "avoid"],
        },
    )


@login_required
def ask(request):
    handle = (request.GET.get("to") or "").strip().lstrip("@").lower()
    to_user = (
        User.objects.filter(is_active=True, profile__handle=handle)
        .select_related("profile__organisation")
        .first()
        if handle
        else None
    )
    if to_user is None or to_user.pk == request.user.pk:
        raise Http404("No such member.")
    spaces = selectors.shared_spaces(request.user, to_user)
    form = AskForm(request.POST or None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.ask_create(
                asker=request.user,
                to_user=to_user,
                space=form.cleaned_data["space"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except services.ForumError as exc:
            _apply_error(form, exc)
        else:
            messages.success(
                request, f"Your question to {to_user.display_name} is posted."
            )
            return redirect(thread)
    return render(
        request,
        "forums/ask.html",
        {
            "form": form,
            "to_user": to_user,
            "has_spaces": spaces.exists(),
            "action": f"{reverse('forums:ask')}?to={handle}",
        },
    )
