"""Demo notifications and preferences. Runs last (after forums, whose demo
posts already notify people through the signals). Safe to run again."""

from people.models import User

from .models import Delivery, Kind, Notification, Preference

WELCOME = "Welcome to Joined Up: choose what you hear about and how"


def load():
    members = list(User.objects.filter(is_active=True).order_by("pk")[:9])
    made = 0
    for user in members:
        _, created = Notification.objects.get_or_create(
            recipient=user,
            kind=Kind.DIGEST,
            title=WELCOME,
            defaults={"url": "/notifications/preferences/"},
        )
        made += created
    # One member who wants replies straight away, to show the choice.
    tom = User.objects.filter(email="tom.ashworth@leics.gov.uk").first()
    if tom:
        Preference.objects.update_or_create(
            user=tom, kind=Kind.REPLY, defaults={"delivery": Delivery.INSTANT}
        )
    total = Notification.objects.count()
    return f"{made} welcome notifications added; {total} notifications in all"
