"""Search listens to the content apps; they never import search."""

from django.apps import apps
from wagtail.search.index import class_is_indexed, insert_or_update_object

from cop import outbox

from .tasks import extract_document_text

# User fields that profiles are found by.
PROFILE_USER_FIELDS = {"first_name", "last_name", "is_active", "email"}


def document_uploaded(sender, document, version, **kwargs):
    # Sent on commit by spaces.services.document_upload: the file is stored.
    outbox.enqueue(extract_document_text, document.pk, version.pk)


def user_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A member's name is indexed on their profile: re-index it when it changes."""
    if created or kwargs.get("raw"):
        return
    if update_fields is not None and not PROFILE_USER_FIELDS & set(update_fields):
        return  # e.g. last_login on every sign-in
    Profile = apps.get_model("people", "Profile")
    if not class_is_indexed(Profile):
        return
    profile = Profile.objects.filter(user=instance).first()
    if profile is not None:
        insert_or_update_object(profile)
