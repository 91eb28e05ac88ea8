"""Everything our emails share: absolute links, signed tokens, unsubscribe headers.

Every email this app sends carries `List-Unsubscribe` (an https link with a
signed token, plus an optional mailto) and `List-Unsubscribe-Post:
List-Unsubscribe=One-Click` (RFC 8058), so a mail client's "Unsubscribe"
button turns that kind of email off with one POST and no sign-in.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cop.email import send_templated_email

from .models import Kind

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
DIGEST_VIEW_SALT = "notifications.digest-view"


class BadToken(Exception):
    """A link that was tampered with, has expired or names nobody."""


def absolute(path):
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.COP_SITE_URL}{path}"


# --- signed tokens -------------------------------------------------------------


def unsubscribe_token(user_id, kind):
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user_id, kind) from a token, else BadToken (tampered, expired, unknown)."""
    try:
        data = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=settings.COP_UNSUBSCRIBE_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise BadToken("expired") from exc
    except signing.BadSignature as exc:
        raise BadToken("invalid") from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or data.get("k") not in Kind.values
    ):
        raise BadToken("invalid")
    return data["u"], data["k"]


def digest_view_token(user_id, period):
    return signing.dumps({"u": user_id, "p": period}, salt=DIGEST_VIEW_SALT)


def read_digest_view_token(token):
    try:
        data = signing.loads(
            token, salt=DIGEST_VIEW_SALT, max_age=settings.COP_UNSUBSCRIBE_MAX_AGE
        )
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise BadToken("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise BadToken("invalid")
    return data["u"], str(data.get("p", ""))


def unsubscribe_url(user_id, kind):
    return absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)])
    )


def footer_context(user_id, kind):
    """Links every email's footer shows: change preferences, unsubscribe."""
    return {
        "preferences_url": absolute(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe_url(user_id, kind),
        "kind_label": Kind(kind).label,
    }


def unsubscribe_headers(user_id, kind):
    targets = [f"<{unsubscribe_url(user_id, kind)}>"]
    if settings.COP_UNSUBSCRIBE_MAILTO:
        token = unsubscribe_token(user_id, kind)
        targets.append(
            f"<mailto:{settings.COP_UNSUBSCRIBE_MAILTO}?subject=unsubscribe%20{token}>"
        )
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_with_unsubscribe(template_prefix, *, user, kind, context, connection=None):
    """Render and send one email to `user` with the unsubscribe headers."""
    context = {**context, **footer_context(user.pk, kind), "recipient": user}
    return send_templated_email(
        template_prefix,
        to=[user.email],
        context=context,
        headers=unsubscribe_headers(user.pk, kind),
        connection=connection,
    )
