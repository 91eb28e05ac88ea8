from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Profile, User


@receiver(post_save, sender=User, dispatch_uid="people_profile_for_every_user")
def ensure_profile(sender, instance, created, raw=False, **kwargs):
    # Every member has a profile, however the account was made
    # (sign-up, invitation, createsuperuser, the admin, fixtures).
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
