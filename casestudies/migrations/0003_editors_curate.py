"""Editors curate: they add, change and delete collections and themes."""

from django.db import migrations

MODELS = {"curatedcollection": "collection", "theme": "theme"}


def editors_curate(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for model, verbose in MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="casestudies", model=model
        )
        for action in ("add", "change", "delete", "view"):
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose}"},
            )
            editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0002_vocabulary_and_index_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(editors_curate, migrations.RunPython.noop)]
