"""The directory, a space's overview, members, invitations and action log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from people.models import Organisation

from .. import access, selectors, services
from ..forms import (
    ActionForm,
    DirectoryFilterForm,
    InviteForm,
    JoinRequestForm,
    ParticipationForm,
    RoleForm,
    SpaceForm,
)
from ..models import Action, JoinRequest, Membership, SpaceInvitation
from .common import (
    add_errors,
    page_of,
    querystring_without_page,
    readable_space_or_403,
    space_context,
    space_or_404,
)


@login_required
def directory(request):
    organisations = selectors.directory_organisations(request.user)
    form = DirectoryFilterForm(request.GET or None, organisations=organisations)
    filters = form.cleaned_data if form.is_valid() else {}
    spaces = selectors.space_directory(
        request.user,
        kind=filters.get("kind", ""),
        visibility=filters.get("visibility", ""),
        organisation=filters.get("organisation", ""),
        mine=filters.get("mine", False),
        q=filters.get("q", ""),
    )
    return render(
        request,
        "spaces/directory.html",
        {
            "form": form,
            "page": page_of(request, spaces, 20),
            "querystring": querystring_without_page(request),
            "filtered": any(filters.values()),
            "invitations": selectors.invitations_for(request.user),
        },
    )


@login_required
def create(request):
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"“{space.name}” is ready. You are its owner.")
            return redirect(space)
    return render(request, "spaces/space_form.html", {"form": form, "space": None})


@login_required
def detail(request, slug):
    space = space_or_404(request, slug)
    context = space_context(request, space, "about")
    context.update(
        participations=selectors.space_participations(space),
        member_count=Membership.objects.filter(space=space).count(),
        pending_request=JoinRequest.objects.filter(
            space=space, user=request.user, status=JoinRequest.Status.PENDING
        ).first(),
    )
    if context["can_read"]:
        context["recent_documents"] = selectors.space_documents(space, request.user)[:5]
        context["open_actions"] = selectors.space_actions(space).exclude(
            status=Action.Status.DONE
        )[:5]
    return render(request, "spaces/detail.html", context)


def _facilitated_space(request, slug):
    space = space_or_404(request, slug)
    if not access.can_facilitate(request.user, space):
        raise PermissionDenied("Only the space's facilitators can do that.")
    return space


@login_required
def edit(request, slug):
    space = _facilitated_space(request, slug)
    form = SpaceForm(request.POST or None, instance=space)
    if request.method == "POST" and form.is_valid():
        original = space.__class__.objects.get(pk=space.pk)
        fields = dict(form.cleaned_data)
        try:
            services.space_update(space=original, by=request.user, **fields)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Space details saved.")
            return redirect(original)
    context = space_context(request, space, "about")
    context.update(
        form=form,
        participation_form=ParticipationForm(),
        participations=selectors.space_participations(space),
    )
    return render(request, "spaces/space_form.html", context)


@login_required
@require_POST
def organisation_set(request, slug):
    space = _facilitated_space(request, slug)
    form = ParticipationForm(request.POST)
    if form.is_valid():
        services.space_organisation_set(
            space=space, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{form.cleaned_data['organisation'].name} saved.")
        return redirect("spaces:edit", space.slug)
    context = space_context(request, space, "about")
    context.update(
        form=SpaceForm(instance=space),
        participation_form=form,
        participations=selectors.space_participations(space),
    )
    return render(request, "spaces/space_form.html", context, status=400)


@login_required
@require_POST
def organisation_remove(request, slug, organisation_id):
    space = _facilitated_space(request, slug)
    organisation = get_object_or_404(
        Organisation, pk=organisation_id, participations__space=space
    )
    try:
        services.space_organisation_remove(
            space=space, by=request.user, organisation=organisation
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{organisation.name} removed from the space.")
    return redirect("spaces:edit", space.slug)


@login_required
@require_POST
def join(request, slug):
    space = space_or_404(request, slug)
    try:
        services.membership_join(space=space, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"You have joined {space.name}.")
    return redirect(space)


@login_required
def ask_to_join(request, slug):
    space = space_or_404(request, slug)
    if space.visibility != space.Visibility.CLOSED or access.membership_of(
        request.user, space
    ):
        # Open spaces are joined with one button; members need not ask.
        return redirect(space)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                space=space, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, "Request sent. A facilitator will decide; we will email you."
            )
            return redirect(space)
    context = space_context(request, space, "about")
    context["form"] = form
    status = 400 if form.errors else 200
    return render(request, "spaces/ask_to_join.html", context, status=status)


@login_required
def leave(request, slug):
    space = space_or_404(request, slug)
    if access.membership_of(request.user, space) is None:
        messages.error(request, "You are not a member of this space.")
        return redirect(space)
    problem = None
    if request.method == "POST":
        try:
            services.membership_leave(space=space, user=request.user)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(request, f"You have left {space.name}.")
            if access.can_view_space(request.user, space):
                return redirect(space)
            return redirect("spaces:directory")
    context = space_context(request, space, "about")
    context["problem"] = problem
    return render(request, "spaces/leave.html", context, status=400 if problem else 200)


@login_required
def members(request, slug):
    space = readable_space_or_403(request, slug)
    context = space_context(request, space, "members")
    context["page"] = page_of(request, selectors.space_members(space), 50)
    if context["can_facilitate"]:
        context.update(
            invite_form=InviteForm(),
            role_choices=Membership.Role.choices,
            join_requests=selectors.pending_join_requests(space),
            invitations=selectors.pending_invitations(space),
        )
    return render(request, "spaces/members.html", context)


@login_required
@require_POST
def invite(request, slug):
    space = _facilitated_space(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.space_invite(
                space=space,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("spaces:members", space.slug)
    context = space_context(request, space, "members")
    context.update(
        page=page_of(request, selectors.space_members(space), 50),
        invite_form=form,
        role_choices=Membership.Role.choices,
        join_requests=selectors.pending_join_requests(space),
        invitations=selectors.pending_invitations(space),
    )
    return render(request, "spaces/members.html", context, status=400)


@login_required
@require_POST
def member_role(request, slug, membership_id):
    space = _facilitated_space(request, slug)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Choose owner, facilitator or member.")
        membership = services.membership_set_role(
            space=space,
            by=request.user,
            membership_id=membership_id,
            role=form.cleaned_data["role"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{membership.user.display_name} is now "
            f"{membership.get_role_display().lower()}.",
        )
    return redirect("spaces:members", space.slug)


@login_required
def member_remove(request, slug, membership_id):
    """GET: ask "are you sure?"; POST: remove."""
    space = _facilitated_space(request, slug)
    if request.method != "POST":
        membership = get_object_or_404(
            Membership.objects.select_related("user"), space=space, pk=membership_id
        )
        context = space_context(request, space, "members")
        context["removing"] = membership
        return render(request, "spaces/member_remove.html", context)
    try:
        membership = services.membership_remove(
            space=space, by=request.user, membership_id=membership_id
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{membership.user.display_name} was removed from the space."
        )
    return redirect("spaces:members", space.slug)


@login_required
@require_POST
def join_request_decide(request, slug, request_id, decision):
    space = _facilitated_space(request, slug)
    decide = {
        "approve": services.join_request_approve,
        "decline": services.join_request_decline,
    }[decision]
    try:
        join_request = decide(space=space, by=request.user, request_id=request_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        verb = "added to" if decision == "approve" else "not added to"
        messages.success(
            request, f"{join_request.user.display_name} was {verb} the space."
        )
    return redirect("spaces:members", space.slug)


def invitation(request, token):
    """An invitation link. Anyone holding it may see which space it is for."""
    found = (
        SpaceInvitation.objects.select_related("space", "invited_by")
        .filter(token=token)
        .first()
    )
    problem = None
    if found is None:
        problem = (
            "This invitation link is not valid. Check you copied the whole link "
            "from the email, or ask the person who invited you to send a new one."
        )
    elif found.accepted_at:
        problem = "This invitation has already been accepted."
    elif found.declined_at:
        problem = "This invitation was declined."
    elif found.is_expired:
        problem = (
            "This invitation has expired. Ask the person who invited you to send "
            "a new one."
        )
    if request.method == "POST" and problem is None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        decision = request.POST.get("decision")
        try:
            if decision == "accept":
                services.invitation_accept(token=token, user=request.user)
                messages.success(request, f"Welcome to {found.space.name}.")
                return redirect(found.space)
            if decision == "decline":
                services.invitation_decline(token=token, user=request.user)
                messages.success(request, "Invitation declined.")
                return redirect("spaces:directory")
            problem = "Choose whether to accept or decline the invitation."
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    signup_url = ""
    if found and problem is None and not request.user.is_authenticated:
        from people.models import Invitation

        pending = Invitation.objects.pending().filter(email__iexact=found.email).first()
        signup_url = (
            pending.get_absolute_url() if pending else reverse("account_signup")
        )
    wrong_account = bool(
        found
        and request.user.is_authenticated
        and request.user.email.lower() != found.email.lower()
    )
    return render(
        request,
        "spaces/invitation.html",
        {
            "invitation": found,
            "problem": problem,
            "signup_url": signup_url,
            "wrong_account": wrong_account,
        },
        status=400 if problem else 200,
    )


@login_required
def actions(request, slug):
    space = readable_space_or_403(request, slug)
    context = space_context(request, space, "actions")
    form = None
    if context["can_post"]:
        form = ActionForm(request.POST or None, space=space)
        if request.method == "POST" and form.is_valid():
            try:
                services.action_create(
                    space=space, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Action added.")
                return redirect("spaces:actions", space.slug)
    elif request.method == "POST":
        raise PermissionDenied("Only members of the space can add actions.")
    items = selectors.space_actions(space)
    context.update(
        form=form,
        page=page_of(request, items, 50),
        counts=items.values("status").annotate(n=Count("pk")),
    )
    status = 400 if form is not None and form.errors else 200
    return render(request, "spaces/actions.html", context, status=status)


@login_required
def action_edit(request, slug, action_id):
    space = readable_space_or_403(request, slug)
    if not access.can_post(request.user, space):
        raise PermissionDenied("Only members of the space can change actions.")
    action = get_object_or_404(Action, space=space, pk=action_id)
    form = ActionForm(request.POST or None, instance=action, space=space)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=Action.objects.get(pk=action.pk),
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Action updated.")
            return redirect("spaces:actions", space.slug)
    context = space_context(request, space, "actions")
    context.update(form=form, action=action)
    return render(
        request, "spaces/action_form.html", context, status=400 if form.errors else 200
    )
