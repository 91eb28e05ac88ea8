"""Forms for spaces' pages. They check shape; services check rules."""

from django import forms
from taggit.utils import edit_string_for_tags, parse_tags

from people.models import Organisation

from .models import Action, Marking, Membership, Space


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Search spaces", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *Space.Kind.choices]
    )
    visibility = forms.ChoiceField(
        label="Visibility",
        required=False,
        choices=[
            ("", "Any"),
            ("open", "Open"),
            ("closed", "Closed"),
            ("secret", "Secret (members only)"),
        ],
    )
    organisation = forms.ChoiceField(label="Organisation", required=False)
    mine = forms.BooleanField(label="Only spaces I belong to", required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Any organisation")] + [
            (org.slug, org.name) for org in organisations
        ]


class SpaceForm(forms.ModelForm):
    class Meta:
        model = Space
        fields = [
            "name",
            "purpose",
            "kind",
            "visibility",
            "ceiling",
            "charter_outputs",
            "charter_timescale",
            "charter_benefits",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "ceiling": forms.RadioSelect,
            "charter_outputs": forms.Textarea(attrs={"rows": 4}),
            "charter_benefits": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "name": "Name of the space",
            "charter_outputs": "Outputs (projects)",
            "charter_timescale": "Timescale (projects)",
            "charter_benefits": "Benefits to each party (projects)",
        }
        help_texts = {
            "ceiling": "The highest marking anything in this space may carry. "
            "Choose OFFICIAL-SENSITIVE only if the space needs it.",
            "charter_outputs": "What the project will produce.",
            "charter_timescale": "For example, April 2026 to March 2027.",
            "charter_benefits": "What each organisation gets from taking part.",
        }
        error_messages = {
            "name": {"required": "Enter a name for the space."},
            "purpose": {"required": "Say what the space is for."},
        }


class ParticipationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        error_messages={"required": "Choose an organisation."},
    )
    role = forms.CharField(
        label="Role in the space", required=False, max_length=300,
        help_text="What this organisation brings.",
    )  # fmt: skip
    benefits = forms.CharField(
        label="Benefits for this organisation", required=False, max_length=300
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active()


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label="Why do you want to join? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The facilitators read this when they decide.",
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="Anyone can be invited, including people outside the sign-up list.",
        error_messages={
            "required": "Enter an email address.",
            "invalid": "Enter an email address, like name@example.gov.uk.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Their organisation (only for people without an account)",
        help_text="Used when their address is not on the sign-up allow-list. "
        "Leave blank to use the space's lead organisation.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "status"]
        labels = {"description": "Action", "due_date": "Due date (optional)"}
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}
        error_messages = {
            "description": {"required": "Describe the action."},
            "due_date": {"invalid": "Enter the due date as a real date."},
        }

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        from people.models import User

        self.fields["owner"].queryset = User.objects.filter(memberships__space=space)
        self.fields["owner"].label = "Owner (optional)"


class FolderForm(forms.Form):
    name = forms.CharField(
        label="Folder name",
        max_length=120,
        error_messages={"required": "Enter a name for the folder."},
    )


class TagField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("label", "Tags (optional)")
        kwargs.setdefault(
            "help_text", "Separate tags with commas, for example: data sharing, DPIA."
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        tags = parse_tags(value or "")
        if any(len(tag) > 100 for tag in tags):
            raise forms.ValidationError("Each tag must be 100 characters or fewer.")
        return tags

    def prepare_value(self, value):
        if isinstance(value, list | tuple) and value and not isinstance(value[0], str):
            return edit_string_for_tags(value)
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class MarkingField(forms.ChoiceField):
    """Offers the markings the space allows; accepts any marking, so one
    above the ceiling reaches the service, which says why it is refused."""

    def valid_value(self, value):
        return value in Marking.values


def _marking_field(space):
    return MarkingField(
        label="Handling marking",
        choices=[(m.value, m.label) for m in space.allowed_markings()],
        initial=Marking.OFFICIAL,
        widget=forms.RadioSelect,
        help_text=f"This space's ceiling is {Marking(space.ceiling).label}: "
        "nothing marked higher can be stored here.",
    )


def _folder_field(space):
    from .models import Folder

    return forms.ModelChoiceField(
        queryset=Folder.objects.filter(space=space),
        required=False,
        label="Folder (optional)",
        empty_label="No folder",
    )


def _file_field(label="File"):
    from django.conf import settings

    extensions = ", ".join(sorted(settings.COP_UPLOAD_EXTENSIONS))
    limit = settings.COP_UPLOAD_MAX_BYTES // (1024 * 1024)
    return forms.FileField(
        label=label,
        # Our own check (spaces.files) says what is wrong with an empty file.
        allow_empty_file=True,
        widget=forms.FileInput,
        help_text=f"Allowed types: {extensions}. Up to {limit} MB.",
        error_messages={"required": "Choose a file to upload."},
    )


class DocumentUploadForm(forms.Form):
    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.fields["title"] = forms.CharField(
            label="Title",
            max_length=200,
            error_messages={"required": "Enter a title for the document."},
        )
        self.fields["description"] = forms.CharField(
            label="Description (optional)",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["marking"] = _marking_field(space)
        self.fields["folder"] = _folder_field(space)
        self.fields["tags"] = TagField()


class NewVersionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field("New version")
        self.fields["note"] = forms.CharField(
            label="What changed? (optional)", required=False, max_length=300
        )


class DocumentEditForm(forms.Form):
    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"] = forms.CharField(
            label="Title",
            max_length=200,
            error_messages={"required": "Enter a title for the document."},
        )
        self.fields["description"] = forms.CharField(
            label="Description (optional)",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["marking"] = _marking_field(space)
        self.fields["folder"] = _folder_field(space)
        self.fields["tags"] = TagField()


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="You can use Markdown.",
        error_messages={"required": "Enter a comment."},
    )
