"""Render Django form fields and errors with GOV.UK Frontend markup.

One place for form markup: our templates and the allauth element overrides
both use these tags, so every form shows the same error summary and field
errors next to the field.
"""

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

INPUT_CLASS = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}


def _kind(widget):
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.inclusion_tag("includes/forms/field.html")
def govuk_field(field, label_class="govuk-label", width=""):
    widget = field.field.widget
    kind = _kind(widget)
    css = INPUT_CLASS.get(type(widget), "govuk-input")
    if kind == "input":
        classes = [css]
        if width:
            classes.append(f"govuk-input--width-{width}")
        if field.errors:
            error_class = {
                "govuk-textarea": "govuk-textarea--error",
                "govuk-select": "govuk-select--error",
                "govuk-file-upload": "govuk-file-upload--error",
            }.get(css, "govuk-input--error")
            classes.append(error_class)
        attrs = {"class": " ".join(classes)}
        describedby = []
        if field.help_text:
            describedby.append(f"{field.auto_id}-hint")
        if field.errors:
            describedby.append(f"{field.auto_id}-error")
        if describedby:
            attrs["aria-describedby"] = " ".join(describedby)
        rendered = field.as_widget(attrs=attrs)
    elif kind == "checkbox":
        rendered = field.as_widget(attrs={"class": "govuk-checkboxes__input"})
    else:
        rendered = ""
    return {
        "field": field,
        "kind": kind,
        "rendered": rendered,
        "label_class": label_class,
    }


@register.inclusion_tag("includes/forms/error_summary.html")
def govuk_error_summary(form):
    errors = []
    if form is not None and form.is_bound:
        for message in form.non_field_errors():
            errors.append({"href": "", "message": message})
        for field in form:
            for message in field.errors:
                anchor = field.auto_id
                if _kind(field.field.widget) in {"checkboxes", "radios"}:
                    anchor = f"{field.auto_id}_0"
                errors.append({"href": f"#{anchor}", "message": message})
    return {"errors": errors}


@register.simple_tag
def govuk_fields(form):
    """Every field of a form, in order, hidden ones as they are."""
    parts = [str(field) for field in form.hidden_fields()]
    for field in form.visible_fields():
        parts.append(render_to_string("includes/forms/field.html", govuk_field(field)))
    # Each part was rendered by an autoescaping template.
    return mark_safe("".join(parts))  # noqa: S308
