from django import forms

from .models import Organisation


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    job_title = forms.CharField(
        max_length=150,
        required=False,
        label="Job title (optional)",
        help_text="For example, Policy adviser, Data sharing lead.",
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "job_title",
        "password1",
        "password2",
    ]

    def signup(self, request, user):
        # allauth has already copied first_name / last_name on to the user;
        # the profile is created in AccountAdapter.save_user.
        pass


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="They do not need an address on the allow-list.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Organisation they will join"
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean_email(self):
        from .models import User

        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Someone with this email address is already a member."
            )
        return email
