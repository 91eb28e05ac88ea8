"""Load themes, success factors, barriers and Compact principles; add the
case study and lesson index pages under the home page."""

from django.db import migrations

from casestudies.reference import vocabulary_load

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4

INDEXES = [
    (
        "casestudyindexpage",
        "Case studies",
        "case-studies",
        "What others across government have already tried, what happened and "
        "who to ask about it.",
    ),
    (
        "lessonindexpage",
        "Lessons learned",
        "lessons",
        "One-sentence lessons from case studies, discussions and projects.",
    ),
]


def _int(path):
    value = 0
    for char in path:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    return value


def _key(number):
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def load_vocabulary(apps, schema_editor):
    vocabulary_load(
        apps.get_model("casestudies", "Theme"),
        apps.get_model("casestudies", "Factor"),
        apps.get_model("casestudies", "CompactPrinciple"),
    )


def add_index_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    home = HomePage.objects.first()
    if home is None:
        return
    for model_name, title, slug, intro in INDEXES:
        model_name = model_name.lower()
        Model = apps.get_model("casestudies", model_name)
        if Model.objects.exists():
            continue
        content_type, _ = ContentType.objects.get_or_create(
            app_label="casestudies", model=model_name
        )
        last = (
            Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
            .order_by("-path")
            .first()
        )
        number = _int(last.path[-STEPLEN:]) + 1 if last else 1
        Model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=home.path + _key(number),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            locale_id=home.locale_id,
            live=True,
            intro=intro,
        )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
        home.numchild += 1


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0001_initial"),
        ("home", "0002_site_pages_and_editors"),
    ]

    operations = [
        migrations.RunPython(load_vocabulary, migrations.RunPython.noop),
        migrations.RunPython(add_index_pages, migrations.RunPython.noop),
    ]
