"""Put back the pages and groups every site needs, with the real models.

Migration 0002 makes them on a new database. Tests that empty the tables
(transactional tests behind a live server) call `ensure_site()` to get them
back; it changes nothing where they already exist.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import HomePage, StandardPage
from .site_content import EDITOR_PAGE_PERMISSIONS, HOME_INTRO, SITE_PAGES, stream_body


@transaction.atomic
def ensure_site():
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(title="Joined Up", slug="home", intro=HOME_INTRO)
        )
    for slug, title, body in SITE_PAGES:
        if not StandardPage.objects.child_of(home).filter(slug=slug).exists():
            home.add_child(
                instance=StandardPage(title=title, slug=slug, body=stream_body(body))
            )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "Joined Up"},
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=editors,
            page=root,
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    # Each part checked on its own: after a test flush some may survive
    # without the others (a workflow with no task publishes on submit).
    task = GroupApprovalTask.objects.first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Editors approval")
    workflow = Workflow.objects.filter(name="Editorial review").first()
    if workflow is None:
        workflow = Workflow.objects.create(name="Editorial review")
    # Straight on the models: Workflow is clusterable, so its relation
    # managers only stage rows in memory.
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if not WorkflowPage.objects.filter(workflow=workflow, page=root).exists():
        WorkflowPage.objects.filter(page=root).delete()
        WorkflowPage.objects.create(workflow=workflow, page=root)
    task.groups.add(editors)
    return home
