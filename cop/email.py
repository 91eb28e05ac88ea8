"""The one helper that renders and sends email: subject.txt, body.txt, body.html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(template_prefix, context):
    subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
    text = render_to_string(f"{template_prefix}.txt", context)
    html = render_to_string(f"{template_prefix}.html", context)
    return " ".join(subject.split()), text, html


def send_templated_email(
    template_prefix, *, to, context, headers=None, connection=None
):
    subject, text, html = render_email(template_prefix, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return message
