from django import forms

from .models import ALLOWED_DELIVERY, Delivery, Kind

HINTS = {
    Kind.MENTION: "When someone writes your @handle in a post.",
    Kind.REPLY: "New posts in discussions you started or follow.",
    Kind.ANSWER: "When the person who asked accepts your answer.",
    Kind.NEW_IN_FOLLOWED_SPACE: "Documents added to spaces you follow.",
    Kind.CASE_STUDY_REVIEW: "When editors approve or ask for changes.",
    Kind.JOIN_REQUEST: "When someone asks to join a closed space you own or "
    "facilitate, so you can approve or decline it.",
    Kind.NEW_MEMBER: "When someone joins a space you own or facilitate. Your "
    "weekly digest lists new members in all your spaces as well.",
    Kind.DIGEST: "One email a week with lively discussions, questions you "
    "could answer and what is new in your spaces.",
}

DIGEST_CHOICES = [
    (Delivery.DIGEST, "Send me the weekly digest"),
    (Delivery.OFF, "Do not send me the weekly digest"),
]


class PreferencesForm(forms.Form):
    """One set of GOV.UK radios per kind of event."""

    def __init__(self, *args, initial_choices, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            choices = (
                DIGEST_CHOICES
                if kind == Kind.DIGEST
                else [(d.value, d.label) for d in ALLOWED_DELIVERY[kind]]
            )
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                help_text=HINTS[kind],
                choices=choices,
                widget=forms.RadioSelect,
                initial=initial_choices[kind],
                error_messages={
                    "required": f"Choose how to hear about: {kind.label.lower()}",
                    "invalid_choice": f"Choose one of the options for: "
                    f"{kind.label.lower()}",
                },
            )
