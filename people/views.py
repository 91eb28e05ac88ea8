from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from cop.email import send_templated_email

from . import services
from .adapter import SESSION_INVITATION
from .forms import InvitationForm
from .models import Invitation, Organisation


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
