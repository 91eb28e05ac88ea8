"""Forms for the thread pages. The services enforce the rules; forms carry input."""

from django import forms

from spaces.models import Marking

from .models import Thread
from .services import MAX_POST_LENGTH, MAX_REASON_LENGTH, MAX_TITLE_LENGTH

MARKDOWN_HINT = (
    "You can use Markdown: **bold**, *italic*, lists, links and `code`. "
    "Mention someone with @ and their handle, for example @amara-okafor."
)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_POST_LENGTH,
        error_messages={
            "required": "Enter your reply",
            "max_length": f"Your post must be {MAX_POST_LENGTH:,} characters or fewer",
        },
    )


class EditPostForm(ReplyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Your post"


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you starting?",
        choices=[
            (Thread.Kind.DISCUSSION, "A discussion"),
            (Thread.Kind.QUESTION, "A question (someone can give an accepted answer)"),
        ],
        widget=forms.RadioSelect,
        initial=Thread.Kind.DISCUSSION,
        error_messages={"required": "Choose a discussion or a question"},
    )
    title = forms.CharField(
        label="Title",
        max_length=MAX_TITLE_LENGTH,
        error_messages={
            "required": "Enter a title",
            "max_length": f"The title must be {MAX_TITLE_LENGTH} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Your post",
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_POST_LENGTH,
        error_messages={
            "required": "Enter your post",
            "max_length": f"Your post must be {MAX_POST_LENGTH:,} characters or fewer",
        },
    )
    marking = forms.ChoiceField(
        label="Handling marking",
        choices=Marking.choices,
        initial=Marking.OFFICIAL,
        error_messages={"required": "Choose a handling marking"},
    )

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = space.allowed_markings()
        if len(allowed) == 1:
            del self.fields["marking"]
        else:
            self.fields["marking"].choices = [
                (value, label) for value, label in Marking.choices if value in allowed
            ]
            self.fields[
                "marking"
            ].help_text = (
                "OFFICIAL-SENSITIVE threads are readable by this space's members only."
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        help_text="Recorded in the moderation log with your name.",
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why, so the log explains the decision",
            "max_length": f"The reason must be {MAX_REASON_LENGTH} characters or fewer",
        },
    )


class MoveForm(ReasonForm):
    to_space = forms.ModelChoiceField(
        label="Move to",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose a space",
            "invalid_choice": "Choose a space",
        },
    )
    field_order = ["to_space", "reason"]

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_space"].queryset = spaces


class FlagForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this post?",
        help_text="For example: it breaks the community guidelines, or shares "
        "something above this space's handling marking.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Say what is wrong with this post",
            "max_length": "Keep the reason to 1,000 characters or fewer",
        },
    )


class AskForm(forms.Form):
    space = forms.ModelChoiceField(
        label="Where to ask",
        help_text="Spaces you both belong to. Everyone in the space can see the question.",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose a space",
            "invalid_choice": "Choose a space",
        },
    )
    title = ThreadForm.base_fields["title"]
    body = forms.CharField(
        label="Your question",
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_POST_LENGTH,
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your post must be {MAX_POST_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces
