"""allauth adapter: the sign-up allow-list and invitations."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from . import services

SESSION_INVITATION = "cop_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    def invitation_for(self, request, email):
        token = request.session.get(SESSION_INVITATION) if request else None
        if not token:
            return None
        return services.pending_invitation(email, token=token)

    def clean_email(self, email):
        email = super().clean_email(email).strip().lower()
        if services.organisation_for_email(email) is not None:
            return email
        if self.invitation_for(getattr(self, "request", None), email) is not None:
            return email
        domain = services.email_domain(email) or "that domain"
        raise forms.ValidationError(
            format_html(
                "Addresses at {} cannot sign up on their own. Joined Up is open to "
                "organisations on its allow-list. Ask an organisation admin or a "
                "member of staff to send you an invitation, or "
                '<a class="govuk-link" href="{}">see how to join</a>.',
                domain,
                reverse("people:how_to_join"),
            )
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            invitation = self.invitation_for(request, user.email)
            services.member_joined(
                user=user,
                invitation=invitation,
                job_title=form.cleaned_data.get("job_title", ""),
            )
            if invitation is not None:
                request.session.pop(SESSION_INVITATION, None)
        return user

    def is_reauthentication_required(self, *, app, **kwargs):
        # A member who signed in with their password moments ago is not asked
        # for it again before setting up two-factor (which staff and editors
        # are sent to straight after signing in).
        request = getattr(self, "request", None)
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if records and time.time() - records[-1]["at"] < (
                account_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
