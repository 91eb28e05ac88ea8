"""Auditors: staff who may read the audit log in the Wagtail admin.

Give the group to a staff member (is_staff) to let them read and export the
log; the permission alone does nothing for someone who is not staff
(audit/views.py). Superusers read it without the group.
"""

from django.db import migrations


def auditors(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")

    def permission(app_label, model, codename, name):
        # Permissions are normally made after migrations (post_migrate);
        # make them now if needed, exactly as post_migrate would.
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model
        )
        return Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]

    group, _ = Group.objects.get_or_create(name="Auditors")
    group.permissions.add(
        permission("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        permission("audit", "auditentry", "view_auditentry", "Can view audit entry"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(auditors, migrations.RunPython.noop)]
