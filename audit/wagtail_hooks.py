from wagtail import hooks

from .views import AuditEntryViewSet


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEntryViewSet("audit")
