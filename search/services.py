"""Writes: recording that a member opened a suggested item."""

from django.db import transaction
from django.utils.http import url_has_allowed_host_and_scheme

from .models import SimilarOpened

MAX_TARGET = 500


class RefusedTarget(ValueError):
    """The `to` address is not a path on this site."""


def local_path(target):
    """`target` if it is a path on this site ("/spaces/x/"), else raise.

    Refuses absolute URLs, scheme-relative ("//evil"), backslash tricks and
    control characters, so the open-tracking redirect is never an open
    redirect.
    """
    target = (target or "").strip()
    if (
        not target
        or len(target) > MAX_TARGET
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ord(ch) < 32 or ch == "\\" for ch in target)
        or not url_has_allowed_host_and_scheme(
            target, allowed_hosts=set(), require_https=False
        )
    ):
        raise RefusedTarget("Links from suggestions must point to this site.")
    return target


@transaction.atomic
def similar_opened_record(*, user, kind, target):
    """Record that `user`, writing a `kind`, opened `target` (a local path)."""
    target = local_path(target)
    if kind not in SimilarOpened.Kind.values:
        kind = SimilarOpened.Kind.OTHER
    return SimilarOpened.objects.create(user=user, kind=kind, target_url=target)
