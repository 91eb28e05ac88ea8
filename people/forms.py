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


class ProfileForm(forms.Form):
    """A member's own profile. Plain text everywhere: templates escape it."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    job_title = forms.CharField(max_length=150, required=False, label="Job title")
    team = forms.CharField(max_length=150, required=False, label="Team")
    grade = forms.ChoiceField(required=False, label="Grade")
    profession = forms.ChoiceField(required=False, label="Profession")
    area_of_work = forms.CharField(
        max_length=300,
        required=False,
        label="Your area of work",
        help_text="One sentence, for example: I lead data sharing agreements "
        "between DWP and local authorities.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expertise = forms.CharField(
        max_length=500,
        required=False,
        label="Expertise",
        help_text="Topics you know well, separated by commas, for example: "
        "Data sharing, Shared services.",
    )
    happy_to_advise_on = forms.CharField(
        max_length=300,
        required=False,
        label="Happy to advise on",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    region = forms.ChoiceField(required=False, label="Region")
    languages = forms.CharField(
        max_length=200,
        required=False,
        label="Languages",
        help_text="For example, English, Welsh.",
    )
    email_visibility = forms.ChoiceField(
        label="Who can see your email address",
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        max_length=40, required=False, label="Phone number (optional)"
    )
    phone_visibility = forms.ChoiceField(
        label="Who can see your phone number", widget=forms.RadioSelect
    )
    photo = forms.FileField(
        required=False,
        label="Photo (optional)",
        help_text="A JPG, PNG, GIF or WebP image. We resize it to 400 pixels.",
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my photo")

    def __init__(self, *args, **kwargs):
        from .models import Visibility
        from .reference import GRADE_CHOICES, PROFESSION_CHOICES, REGION_CHOICES

        super().__init__(*args, **kwargs)
        blank = [("", "Choose")]
        self.fields["grade"].choices = blank + GRADE_CHOICES
        self.fields["profession"].choices = blank + PROFESSION_CHOICES
        self.fields["region"].choices = blank + REGION_CHOICES
        self.fields["email_visibility"].choices = Visibility.choices
        self.fields["phone_visibility"].choices = Visibility.choices
        self.prepared_photo = None

    @classmethod
    def initial_for(cls, profile):
        user = profile.user
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_title": profile.job_title,
            "team": profile.team,
            "grade": profile.grade,
            "profession": profile.profession,
            "area_of_work": profile.area_of_work,
            "expertise": ", ".join(tag.name for tag in profile.expertise.all()),
            "happy_to_advise_on": profile.happy_to_advise_on,
            "region": profile.region,
            "languages": profile.languages,
            "email_visibility": profile.email_visibility,
            "phone": profile.phone,
            "phone_visibility": profile.phone_visibility,
        }

    def clean_expertise(self):
        raw = self.cleaned_data["expertise"]
        tags, seen = [], set()
        for part in raw.split(","):
            name = " ".join(part.split())
            if not name:
                continue
            if len(name) > 60:
                raise forms.ValidationError(
                    "Each expertise topic must be 60 characters or fewer."
                )
            if name.lower() not in seen:
                seen.add(name.lower())
                tags.append(name)
        if len(tags) > 15:
            raise forms.ValidationError("List up to 15 expertise topics.")
        return tags

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        allowed = set("0123456789 +()-")
        if phone and (set(phone) - allowed or sum(c.isdigit() for c in phone) < 7):
            raise forms.ValidationError(
                "Enter a phone number, like 020 7946 0000 or +44 20 7946 0000."
            )
        return phone

    def clean_photo(self):
        from .services import photo_prepare

        upload = self.cleaned_data.get("photo")
        if upload:
            self.prepared_photo = photo_prepare(upload)
        return upload


class ProfileAdminForm(forms.Form):
    """What an organisation admin may change for a member: nothing more."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Organisation"
    )
    team = forms.CharField(max_length=150, required=False, label="Team")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active()


class LeaverForm(forms.Form):
    successor = forms.ModelChoiceField(
        queryset=None,
        label="Who is taking over their work?",
        help_text="They get the leaver's roles in spaces and their case-study "
        "contact slots.",
    )
    confirm = forms.BooleanField(
        label="I understand their account will be closed and they will no longer "
        "appear in the directory",
    )

    def __init__(self, *args, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors
        self.fields["successor"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.email})"
        )


class IntroductionForm(forms.Form):
    message = forms.CharField(
        max_length=1000,
        label="Why would you like to be introduced?",
        help_text="Say who you are, what you are working on and what you hope "
        "they can help with. They will see this message.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(
                "Write a few words about why you would like to meet them."
            )
        return message


class KeyContactForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label="Member")
    role = forms.CharField(
        max_length=150,
        label="What to contact them about",
        help_text="For example, Data sharing agreements.",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members
        self.fields["user"].label_from_instance = lambda user: user.display_name
