from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cop.email import send_templated_email
from spaces.access import visible_spaces

from . import selectors, services
from .adapter import SESSION_INVITATION
from .forms import (
    IntroductionForm,
    InvitationForm,
    KeyContactForm,
    LeaverForm,
    ProfileAdminForm,
    ProfileForm,
)
from .models import (
    Contribution,
    IntroductionRequest,
    Invitation,
    Organisation,
    OrganisationKeyContact,
    Profile,
    User,
)

DIRECTORY_PAGE_SIZE = 20
MEMBERS_PAGE_SIZE = 30


def how_to_join(request):
    organisations = (
        Organisation.objects.active()
        .filter(domains__isnull=False)
        .distinct()
        .prefetch_related("domains")
    )
    return render(request, "people/how_to_join.html", {"organisations": organisations})


def invitation_accept(request, token):
    invitation = (
        Invitation.objects.select_related("organisation").filter(token=token).first()
    )
    problem = None
    if invitation is None:
        problem = (
            "This invitation link is not valid. Check you copied the whole link from "
            "the email, or ask the person who invited you to send a new one."
        )
    elif invitation.accepted_at:
        problem = "This invitation has already been used. Sign in with the address it was sent to."
    elif invitation.is_expired:
        problem = "This invitation has expired. Ask the person who invited you to send a new one."
    if problem:
        return render(
            request, "people/invitation_problem.html", {"problem": problem}, status=400
        )
    request.session[SESSION_INVITATION] = invitation.token
    return redirect(f"{reverse('account_signup')}?email={invitation.email}")


@login_required
def invite(request):
    if not services.can_invite(request.user):
        raise PermissionDenied(
            "Only organisation admins and staff can send invitations."
        )
    organisations = services.invitable_organisations(request.user)
    form = InvitationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            invited_by=request.user,
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
        )
        send_templated_email(
            "people/email/invitation",
            to=[invitation.email],
            context={
                "invitation": invitation,
                "inviter": request.user,
                "url": request.build_absolute_uri(invitation.get_absolute_url()),
            },
        )
        messages.success(request, f"Invitation sent to {invitation.email}.")
        return redirect("people:invite")
    sent = Invitation.objects.filter(invited_by=request.user).select_related(
        "organisation"
    )[:20]
    return render(request, "people/invite.html", {"form": form, "sent": sent})


# --- Directory ------------------------------------------------------------------


def _page(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def directory(request):
    query = request.GET.get("q", "").strip()
    chosen = {
        name: [value for value in request.GET.getlist(name) if value][:20]
        for name in selectors.FACETS
    }
    found = selectors.directory_search(request.user, query, chosen)
    paginator = Paginator(
        selectors.with_card_details(found.results), DIRECTORY_PAGE_SIZE
    )
    paginator.count = found.total  # counted with the facets: no COUNT query
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "people/directory.html",
        {
            "query": query,
            "facets": found.facets,
            "results": page,
            "chosen_any": any(chosen.values()),
            "querystring": _query_without_page(request),
        },
    )


# --- Profiles -------------------------------------------------------------------


def _profile_or_404(handle, *, include_leavers=False):
    profile = (
        Profile.objects.select_related("user", "organisation", "successor__profile")
        .filter(handle=handle)
        .first()
    )
    if profile is None:
        raise Http404("No such member.")
    if not profile.user.is_active and not (include_leavers and profile.is_leaver):
        raise Http404("No such member.")
    return profile


@login_required
def profile(request, handle):
    profile = _profile_or_404(handle, include_leavers=True)
    viewer = request.user
    context = {"profile": profile, "person": profile.user}
    if profile.is_leaver:
        return render(request, "people/profile_left.html", context)
    contributions = selectors.contributions_for(viewer, profile.user)
    is_self = viewer.pk == profile.user_id
    # One query, and only when a field is shared with "my spaces".
    needs_shared = not is_self and Profile.Visibility.SPACES in {
        profile.email_visibility,
        profile.phone_visibility,
    }
    shared = services.shares_a_space(viewer, profile.user) if needs_shared else False
    context.update(
        is_self=is_self,
        can_manage=not is_self and services.can_manage_member(viewer, profile),
        show_email=services.contact_visible(
            viewer, profile, profile.email_visibility, shared=shared
        ),
        show_phone=bool(profile.phone)
        and services.contact_visible(
            viewer, profile, profile.phone_visibility, shared=shared
        ),
        contributions=contributions,
        contribution_groups=_group_contributions(contributions),
        strengths=selectors.topic_strengths(profile, contributions),
        expertise=list(profile.expertise.all()),
        spaces=list(
            visible_spaces(viewer)
            .filter(memberships__user=profile.user, archived=False)
            .order_by("name")[:20]
        ),
        follow_state=services.follow_state(viewer, profile.user),
        pending_introduction=IntroductionRequest.objects.filter(
            from_user=viewer,
            to_user=profile.user,
            status=IntroductionRequest.Status.PENDING,
        ).exists(),
    )
    return render(request, "people/profile.html", context)


def _group_contributions(contributions):
    labels = dict(Contribution.Kind.choices)
    groups = {}
    for contribution in contributions:
        groups.setdefault(contribution.kind, []).append(contribution)
    return [(labels.get(kind, kind), items) for kind, items in groups.items()]


@login_required
def profile_edit(request):
    profile = request.user.profile
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            photo = form.prepared_photo
            if not photo and data["remove_photo"]:
                photo = False
            services.profile_update(
                profile=profile,
                user_fields={
                    "first_name": data["first_name"].strip(),
                    "last_name": data["last_name"].strip(),
                },
                profile_fields={
                    name: data[name]
                    for name in (
                        "job_title",
                        "team",
                        "grade",
                        "profession",
                        "area_of_work",
                        "happy_to_advise_on",
                        "region",
                        "languages",
                        "email_visibility",
                        "phone",
                        "phone_visibility",
                    )
                },
                expertise=data["expertise"],
                photo=photo,
            )
            messages.success(request, "Your profile has been saved.")
            return redirect("people:profile", handle=profile.handle)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile))
    return render(
        request, "people/profile_edit.html", {"form": form, "profile": profile}
    )


@login_required
@require_POST
def profile_confirm(request):
    services.profile_confirm(profile=request.user.profile)
    messages.success(request, "Thank you. Your details are marked as up to date.")
    return redirect("people:profile", handle=request.user.profile.handle)


@login_required
@require_POST
def profile_follow(request, handle):
    profile = _profile_or_404(handle)
    if profile.user_id == request.user.pk:
        raise Http404("You cannot follow yourself.")
    following = request.POST.get("following") == "1"
    services.follow_set(user=request.user, target=profile.user, following=following)
    messages.success(
        request,
        f"You are following {profile.user.display_name}."
        if following
        else f"You no longer follow {profile.user.display_name}.",
    )
    return redirect("people:profile", handle=handle)


def _managed_profile_or_404(request, handle):
    """A profile the requester may manage as an organisation admin.

    Not an admin at all: 403. An admin, but of another organisation: 404, so
    admins learn nothing about other organisations' members from this page.
    """
    if services.administered_organisation_ids(request.user) == set():
        raise PermissionDenied("Only organisation admins and staff can do this.")
    profile = _profile_or_404(handle)
    if profile.user_id == request.user.pk or not services.can_manage_member(
        request.user, profile
    ):
        raise Http404("No such member in your organisation.")
    return profile


@login_required
def profile_manage(request, handle):
    profile = _managed_profile_or_404(request, handle)
    form = ProfileAdminForm(
        request.POST or None,
        initial={"organisation": profile.organisation, "team": profile.team},
    )
    if request.method == "POST" and form.is_valid():
        services.profile_admin_update(
            by=request.user,
            profile=profile,
            organisation=form.cleaned_data["organisation"],
            team=form.cleaned_data["team"].strip(),
        )
        messages.success(request, f"{profile.user.display_name}'s details are saved.")
        return redirect("people:profile", handle=profile.handle)
    return render(
        request, "people/profile_manage.html", {"form": form, "profile": profile}
    )


@login_required
def profile_leaver(request, handle):
    profile = _managed_profile_or_404(request, handle)
    successors = User.objects.filter(is_active=True, profile__is_leaver=False).exclude(
        pk=profile.user_id
    )
    if not request.user.is_staff:
        successors = successors.filter(profile__organisation=profile.organisation)
    form = LeaverForm(
        request.POST or None, successors=successors.order_by("first_name", "last_name")
    )
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data["successor"]
        try:
            services.member_mark_leaver(
                by=request.user, leaver=profile.user, successor=successor
            )
        except ValueError as exc:
            form.add_error("successor", str(exc))
        else:
            messages.success(
                request,
                f"{profile.user.display_name} is marked as a leaver. "
                f"{successor.display_name} now has their roles.",
            )
            return redirect("people:profile", handle=profile.handle)
    return render(
        request, "people/profile_leaver.html", {"form": form, "profile": profile}
    )


# --- Introductions --------------------------------------------------------------


@login_required
def introduction_request(request, handle):
    profile = _profile_or_404(handle)
    if profile.user_id == request.user.pk:
        raise Http404("You cannot ask to be introduced to yourself.")
    form = IntroductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.introduction_request_create(
                from_user=request.user,
                to_user=profile.user,
                message=form.cleaned_data["message"],
            )
        except services.IntroductionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Your request has been sent to {profile.user.display_name}. "
                "We will email you if they accept.",
            )
            return redirect("people:profile", handle=profile.handle)
    return render(
        request,
        "people/introduction_request.html",
        {
            "form": form,
            "profile": profile,
            "left_today": services.introductions_left_today(request.user),
        },
    )


@login_required
def introductions(request):
    received = IntroductionRequest.objects.filter(to_user=request.user).select_related(
        "from_user__profile__organisation"
    )
    sent = IntroductionRequest.objects.filter(from_user=request.user).select_related(
        "to_user__profile__organisation"
    )
    return render(
        request,
        "people/introductions.html",
        {
            "pending": [r for r in received[:100] if r.status == r.Status.PENDING],
            "answered": [r for r in received[:100] if r.status != r.Status.PENDING],
            "sent": sent[:50],
        },
    )


@login_required
@require_POST
def introduction_decide(request, pk, decision):
    if decision not in {"accept", "decline"}:
        raise Http404("No such answer.")
    introduction = get_object_or_404(IntroductionRequest, pk=pk, to_user=request.user)
    try:
        services.introduction_decide(
            by=request.user, introduction=introduction, accept=decision == "accept"
        )
    except services.IntroductionRefused as exc:
        messages.error(request, str(exc))
    else:
        name = introduction.from_user.display_name
        messages.success(
            request,
            f"You accepted {name}'s request. We have sent them your email address."
            if decision == "accept"
            else f"You declined {name}'s request. We do not tell them why.",
        )
    return redirect("people:introductions")


# --- Organisations --------------------------------------------------------------


@login_required
def organisation_index(request):
    return render(
        request,
        "people/organisations.html",
        {"organisations": selectors.organisations_index()},
    )


def _organisation_or_404(slug):
    return get_object_or_404(
        Organisation.objects.select_related("parent", "predecessor"), slug=slug
    )


@login_required
def organisation_detail(request, slug):
    organisation = _organisation_or_404(slug)
    leads, takes_part = selectors.organisation_spaces(request.user, organisation)
    members = _page(
        request, selectors.organisation_members(organisation), MEMBERS_PAGE_SIZE
    )
    return render(
        request,
        "people/organisation.html",
        {
            "organisation": organisation,
            "leads": leads,
            "takes_part": takes_part,
            "case_studies": selectors.organisation_case_studies(
                request.user, organisation
            ),
            "members": members,
            "key_contacts": organisation.key_contacts.filter(
                user__is_active=True
            ).select_related("user__profile"),
            "successors": list(organisation.successors.all()),
            "children": list(organisation.children.active()),
            "can_manage": services.can_manage_organisation(request.user, organisation),
        },
    )


def _managed_organisation_or_404(request, slug):
    organisation = _organisation_or_404(slug)
    if services.administered_organisation_ids(request.user) == set():
        raise PermissionDenied("Only organisation admins and staff can do this.")
    if not services.can_manage_organisation(request.user, organisation):
        raise Http404("You do not manage this organisation.")
    return organisation


@login_required
def key_contacts(request, slug):
    organisation = _managed_organisation_or_404(request, slug)
    members = User.objects.filter(
        is_active=True, profile__organisation=organisation, profile__is_leaver=False
    ).order_by("first_name", "last_name")
    form = KeyContactForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        services.key_contact_set(
            by=request.user,
            organisation=organisation,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"].strip(),
        )
        messages.success(request, "Key contact saved.")
        return redirect("people:key_contacts", slug=organisation.slug)
    return render(
        request,
        "people/key_contacts.html",
        {
            "organisation": organisation,
            "form": form,
            "contacts": organisation.key_contacts.select_related("user"),
        },
    )


@login_required
@require_POST
def key_contact_remove(request, slug, pk):
    organisation = _managed_organisation_or_404(request, slug)
    contact = get_object_or_404(
        OrganisationKeyContact, pk=pk, organisation=organisation
    )
    services.key_contact_remove(by=request.user, contact=contact)
    messages.success(
        request, f"{contact.user.display_name} is no longer a key contact."
    )
    return redirect("people:key_contacts", slug=organisation.slug)
