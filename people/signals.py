"""People's receivers, and the events it sends to other apps.

`member_left(sender, leaver, successor)` is sent inside the transaction that
marks a leaver (people.services.member_mark_leaver), after their space roles
and Contribution rows have been handed over. Apps that hold their own
references to people (case-study contact slots) connect to it in their
AppConfig.ready and hand those over too; people imports none of them.
"""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import Signal, receiver

from .models import Organisation, Profile, TaggedExpertise, User

member_left = Signal()  # kwargs: leaver, successor
# Sent synchronously inside the service's transaction when an organisation
# admin or staff member acts on someone else (a leaver, a move, an
# invitation, a key contact). Same kwargs as spaces.signals.facilitator_acted:
# actor, action, target, space, reason, detail.
admin_acted = Signal()


@receiver(post_save, sender=User, dispatch_uid="people_profile_for_every_user")
def ensure_profile(sender, instance, created, raw=False, **kwargs):
    # Every member has a profile, however the account was made
    # (sign-up, invitation, createsuperuser, the admin, fixtures).
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
    elif not raw and _name_may_have_changed(kwargs.get("update_fields")):
        # A changed name must be findable: refresh the directory's text.
        for profile in Profile.objects.filter(user=instance).select_related(
            "organisation"
        ):
            profile.user = instance
            refresh_search_text(profile)


def _name_may_have_changed(update_fields):
    # Signing in saves last_login only: no need to touch the profile then.
    return update_fields is None or bool(
        {"first_name", "last_name"} & set(update_fields)
    )


def refresh_search_text(profile):
    Profile.objects.filter(pk=profile.pk).update(
        search_text=profile.build_search_text()
    )


@receiver(
    m2m_changed, sender=TaggedExpertise, dispatch_uid="people_search_text_on_tags"
)
def search_text_on_tags(sender, instance, action, **kwargs):
    # taggit sends m2m_changed for add/remove/clear/set on profile.expertise.
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(
        instance, Profile
    ):
        refresh_search_text(instance)


@receiver(
    post_save, sender=Organisation, dispatch_uid="people_search_text_on_organisation"
)
def search_text_on_organisation(sender, instance, created, raw=False, **kwargs):
    # Renaming an organisation (rare) refreshes its members' directory text.
    if created or raw:
        return
    for profile in Profile.objects.filter(organisation=instance).select_related("user"):
        profile.organisation = instance
        refresh_search_text(profile)


@receiver(user_logged_in, dispatch_uid="people_last_active_on_login")
def last_active_on_login(sender, request, user, **kwargs):
    import time

    from .middleware import SESSION_LAST_ACTIVE
    from .services import profile_touch

    profile_touch(user=user)
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LAST_ACTIVE] = time.time()
