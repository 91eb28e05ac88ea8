from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        # The audit app listens; the apps it records never import it.
        from . import receivers

        receivers.connect()
