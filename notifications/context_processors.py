"""The bell in the header: the member's unread count.

Lazy: the one COUNT query (index notif_recipient_read) runs only when a
template shows the count, and never for visitors.
"""

from django.utils.functional import SimpleLazyObject


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .models import Notification

        return Notification.objects.filter(
            recipient_id=user.pk, read_at__isnull=True
        ).count()

    return {"unread_notifications": SimpleLazyObject(count)}
