"""Replace Wagtail's welcome page with our HomePage and the pages the footer
links to; give the Editors group what editors need to review and publish."""

from django.db import migrations

ACCESSIBILITY = [
    ("heading", "How accessible this service is"),
    (
        "paragraph",
        "<p>We want as many people as possible to be able to use Joined Up. You "
        "should be able to change colours and fonts, zoom in to 300% without the "
        "text spilling off the screen, get around using just a keyboard and use "
        "a screen reader.</p><p>We are building towards the Web Content "
        "Accessibility Guidelines (WCAG) 2.2 at level AA and check pages in a "
        "real browser with automated tools. The full audit of every page has not "
        "been completed yet, so this service is partially compliant.</p>",
    ),
    ("heading", "Reporting a problem"),
    (
        "paragraph",
        "<p>If you find a problem that is not listed here, or you need "
        "information in a different format, email "
        '<a href="mailto:accessibility@joinedup.local">accessibility@joinedup.local</a>. '
        "We reply within 5 working days.</p>",
    ),
]
PRIVACY = [
    ("heading", "What we keep about you"),
    (
        "paragraph",
        "<p>Your name, work email address, organisation and job title, and what "
        "you post. We use them to run the community and to send the emails you "
        "chose. We never sell them or use them for advertising.</p>",
    ),
    ("heading", "Who can see it"),
    (
        "paragraph",
        "<p>Other signed-in members see your name, organisation and job title. "
        "What you post in a closed or secret space is seen only by that space's "
        "members.</p>",
    ),
]


def _body(items):
    import uuid

    return [
        {"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in items
    ]


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
        intro="<p>Joined Up is where people who work across government find each "
        "other, share what worked and what did not, and solve shared problems "
        "together. It is open to departments, agencies, councils, the NHS, the "
        "devolved administrations and their partners.</p>",
    )
    for index, (slug, title, body) in enumerate(
        [
            ("accessibility", "Accessibility statement", ACCESSIBILITY),
            ("privacy", "Privacy", PRIVACY),
        ],
        start=1,
    ):
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
            body=_body(body),
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
