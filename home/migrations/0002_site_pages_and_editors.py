"""Replace Wagtail's welcome page with our HomePage and the pages the footer
links to; give the Editors group what editors need to review and publish."""

from django.db import migrations

from home.site_content import (
    HOME_INTRO,
    SITE_PAGES,
    stream_body,
)


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")
    StandardPage = apps.get_model("home.StandardPage")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    locale_id = Page.objects.get(depth=1).locale_id

    home_ct, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    standard_ct, _ = ContentType.objects.get_or_create(
        model="standardpage", app_label="home"
    )
    home = HomePage.objects.create(
        title="Joined Up",
        draft_title="Joined Up",
        slug="home",
        content_type=home_ct,
        path="00010001",
        depth=2,
        numchild=2,
        url_path="/home/",
        locale_id=locale_id,
        intro=HOME_INTRO,
    )
    for index, (slug, title, body) in enumerate(SITE_PAGES, start=1):
        StandardPage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=standard_ct,
            path=f"00010001{index:04d}",
            depth=3,
            numchild=0,
            url_path=f"/home/{slug}/",
            locale_id=locale_id,
            body=stream_body(body),
        )
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost",
        root_page=home,
        is_default_site=True,
        site_name="Joined Up",
    )


def editors_can_review(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Task = apps.get_model("wagtailcore.GroupApprovalTask")

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

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        permission("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    )
    root = Page.objects.get(depth=1)
    for codename in (
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    ):
        page_permission = permission(
            "wagtailcore", "page", codename, codename.replace("_", " ")
        )
        GroupPagePermission.objects.get_or_create(
            group=editors, page=root, permission=page_permission
        )
    # Wagtail's default "Moderators approval" task: editors review too.
    for task in Task.objects.all():
        task.groups.add(editors)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.RunPython(create_pages, migrations.RunPython.noop),
        migrations.RunPython(editors_can_review, migrations.RunPython.noop),
    ]
