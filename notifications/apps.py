from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and digests"

    def ready(self):
        # Content apps send signals upward; they never import notifications.
        from . import receivers

        receivers.connect()
