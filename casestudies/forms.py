"""Forms: index filters, the steps of the submission form, "we reused this"."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.utils import pretty_name

from people.models import Organisation
from spaces.access import member_space_ids
from spaces.models import Marking, Space

from .models import (
    CaseStudyOrganisation,
    CaseStudyPage,
    CompactPrinciple,
    EvidenceStrength,
    Factor,
    Theme,
)
from .models.curation import NOTE_MAX
from .models.pages import SUMMARY_MAX

ORGANISATION_CHOICE_ERROR = "Choose an organisation from the list"


class ChoicesById(forms.ModelMultipleChoiceField):
    """A forged id too large for the database is refused like any unknown
    choice (on SQLite the lookup raises OverflowError instead of finding
    nothing)."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "That"},
            ) from None


# Index filters ---------------------------------------------------------------


class CaseStudyFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        Theme.objects.all(),
        required=False,
        empty_label="Any theme",
        to_field_name="slug",
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.filter(
            Exists(CaseStudyOrganisation.objects.filter(organisation=OuterRef("pk")))
        ),
        required=False,
        empty_label="Any organisation",
        to_field_name="slug",
        error_messages={"invalid_choice": ORGANISATION_CHOICE_ERROR},
    )
    organisation_type = forms.ChoiceField(
        choices=[("", "Any type")] + list(Organisation.Type.choices),
        required=False,
        label="Type of organisation",
        error_messages={
            "invalid_choice": "Choose a type of organisation from the list"
        },
    )
    year = forms.TypedChoiceField(
        choices=(),
        coerce=int,
        required=False,
        empty_value=None,
        label="Year (as at)",
        error_messages={"invalid_choice": "Choose a year from the list"},
    )
    has_outcomes = forms.BooleanField(
        required=False, label="Only case studies with measured outcomes"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = (
            CaseStudyPage.objects.live()
            .filter(as_at__isnull=False)
            .dates("as_at", "year", order="DESC")
        )
        self.fields["year"].choices = [("", "Any year")] + [
            (str(d.year), str(d.year)) for d in years
        ]

    def filters(self):
        """Valid filters only: a bad value is reported and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            key: value
            for key, value in data.items()
            if value not in (None, "", False) and key not in self.errors
        }


# Submission steps --------------------------------------------------------------


class BasicsForm(forms.Form):
    title = forms.CharField(
        max_length=255,
        label="Title",
        help_text="Say what was done, for example ‘Sharing benefit data with councils’.",
        error_messages={"required": "Enter a title"},
    )
    summary = forms.CharField(
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Summary",
        help_text=f"What happened and what changed, in up to {SUMMARY_MAX} characters. "
        "Shown on cards and in search results.",
        error_messages={
            "required": "Enter a summary",
            "max_length": f"Summary must be {SUMMARY_MAX} characters or fewer",
        },
    )
    as_at = forms.DateField(
        required=False,
        label="As at (optional)",
        help_text="The date these facts were true, for example 2025-03-31.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as year-month-day, like 2025-03-31"},
    )
    themes = ChoicesById(
        Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one theme"},
    )
    marking = forms.ChoiceField(
        choices=Marking.choices,
        initial=Marking.OFFICIAL,
        widget=forms.RadioSelect,
        label="Handling marking",
        help_text="OFFICIAL-SENSITIVE case studies are shown only to a space's members.",
    )
    space = forms.ModelChoiceField(
        Space.objects.none(),
        required=False,
        label="Space (needed for OFFICIAL-SENSITIVE)",
        empty_label="Not in a space",
        error_messages={"invalid_choice": "Choose one of your spaces from the list"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(
            pk__in=member_space_ids(user), archived=False
        )

    def clean(self):
        data = super().clean()
        marking, space = data.get("marking"), data.get("space")
        if marking == Marking.SENSITIVE and space is None:
            self.add_error(
                "space", "Choose the space whose members may see this case study"
            )
        elif space is not None and marking not in space.allowed_markings():
            self.add_error("marking", f"{space.name} only holds OFFICIAL material")
        return data


class OrganisationRoleForm(forms.Form):
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        required=False,
        empty_label="Choose an organisation",
        error_messages={"invalid_choice": ORGANISATION_CHOICE_ERROR},
    )
    role = forms.ChoiceField(
        choices=CaseStudyOrganisation.Role.choices,
        initial=CaseStudyOrganisation.Role.PARTNER,
    )


class NumberedFormSet(forms.BaseFormSet):
    """Rows whose labels say which row they are ("Organisation 2"), so each
    field has a unique accessible name."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        for name, field in form.fields.items():
            field.label = f"{field.label or pretty_name(name)} {i + 1}"
        return form


class BaseOrganisationRoleFormSet(NumberedFormSet):
    def clean(self):
        if any(self.errors):
            return
        chosen = [
            form.cleaned_data["organisation"]
            for form in self.forms
            if form.cleaned_data.get("organisation")
        ]
        if not chosen:
            raise ValidationError("Add at least one organisation involved")
        if len(set(chosen)) != len(chosen):
            raise ValidationError("List each organisation once")

    def roles(self):
        return [
            (form.cleaned_data["organisation"], form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data.get("organisation")
        ]


OrganisationRoleFormSet = forms.formset_factory(
    OrganisationRoleForm,
    formset=BaseOrganisationRoleFormSet,
    extra=2,
    max_num=10,
    validate_max=True,
)


class StoryForm(forms.Form):
    problem = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="The problem and its context",
        help_text="What was wrong, for whom, and what made it hard.",
        error_messages={"required": "Describe the problem and its context"},
    )
    approach = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What you did",
        help_text="The approach: who did what, in what order.",
        error_messages={"required": "Describe what you did"},
    )
    costs = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Costs"
    )
    savings = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Savings"
    )


class OutcomeForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label="Measure")
    baseline = forms.CharField(max_length=60, required=False)
    target = forms.CharField(max_length=60, required=False)
    actual = forms.CharField(max_length=60, required=False)
    unit = forms.CharField(max_length=60, required=False)
    source = forms.CharField(max_length=255, required=False)

    def clean(self):
        data = super().clean()
        filled = any(
            data.get(k) for k in ("baseline", "target", "actual", "unit", "source")
        )
        if filled and not data.get("name"):
            self.add_error("name", "Name the measure these figures belong to")
        return data


OutcomeFormSet = forms.formset_factory(
    OutcomeForm, formset=NumberedFormSet, extra=2, max_num=12, validate_max=True
)


class EvidenceForm(forms.Form):
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Evidence",
        help_text="How you know it worked: evaluations, data, feedback.",
    )
    evidence_strength = forms.ChoiceField(
        choices=EvidenceStrength.choices,
        required=False,
        widget=forms.RadioSelect,
        label="How strong is the evidence?",
    )


class LessonsForm(forms.Form):
    what_worked = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="What worked"
    )
    what_did_not_work = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="What did not work",
    )
    do_differently = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="What you would do differently",
    )
    success_factors = ChoicesById(
        Factor.objects.filter(kind=Factor.Kind.SUCCESS_FACTOR),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What helped",
    )
    barriers = ChoicesById(
        Factor.objects.filter(kind=Factor.Kind.BARRIER),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What got in the way",
    )
    principles = ChoicesById(
        CompactPrinciple.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Compact principles it shows",
    )
    name_me = forms.BooleanField(
        required=False,
        label="Name me as a contact for this case study",
        help_text="Members will see your name and profile on the page.",
    )
    other_contacts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Other contacts who agreed to be named (optional)",
        help_text="Their Joined Up email addresses, one a line. Only name people "
        "who have said yes.",
    )

    def clean_other_contacts(self):
        emails = [
            line.strip().lower()
            for line in self.cleaned_data["other_contacts"]
            .replace(",", "\n")
            .splitlines()
            if line.strip()
        ]
        users = {
            user.email.lower(): user
            for user in get_user_model().objects.filter(
                email__in=emails, is_active=True
            )
        }
        missing = [email for email in emails if email not in users]
        if missing:
            raise ValidationError(
                "No member has the email address %(emails)s",
                params={"emails": ", ".join(missing)},
            )
        self.contact_users = [users[email] for email in dict.fromkeys(emails)]
        return "\n".join(dict.fromkeys(emails))


class AdoptionForm(forms.Form):
    note = forms.CharField(
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How your organisation reused it",
        help_text=f"A short note, up to {NOTE_MAX} characters.",
        error_messages={
            "required": "Say briefly how your organisation reused it",
            "max_length": f"Note must be {NOTE_MAX} characters or fewer",
        },
    )
