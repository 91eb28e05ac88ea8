"""Hostile input to every form and every POST route (issue 9, point 5).

Each form the project defines has a row in CASES: the route it is posted
to and how to build it (so its fields, dynamic ones included, are fuzzed).
Hypothesis sends huge strings, control characters, NUL bytes, unicode edge
cases, script tags, javascript: URLs, numbers out of range, forged ids of
other people's things, missing fields and lists where one value is
expected, as the signed-in actor (tests/hostile/world.py). For every
example:

- the answer is never a server error (status < 500);
- a refusal (a re-rendered form, a 4xx, or a redirect with an error
  message) changes nothing: no row added or removed anywhere in our apps,
  and no editable row changed;
- no page (the answer, or where a success redirects to) shows the hostile
  markup unescaped.

`test_every_form_class_is_fuzzed` fails when a new form class appears that
CASES does not cover; `test_every_route_is_classified` does the same for
routes (POST_ROUTES are fuzzed with generic data, READ_ONLY ones are
posted to once).
"""

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.hostile.strategies import (
    assert_no_live_markup,
    form_data,
    hostile_text,
    management_form,
)
from tests.world import our_routes

pytestmark = pytest.mark.django_db

OUR_APPS = [
    "cop",
    "home",
    "people",
    "spaces",
    "forums",
    "casestudies",
    "notifications",
    "search",
]


# --- the state a refusal must leave alone ----------------------------------

COUNTED_APPS = {*OUR_APPS, "taggit", "wagtailcore"}
# Rows a request may write whatever it asks: the member's last-active stamp
# (cop's LastActiveMiddleware) and Wagtail's per-user admin preferences.
UNCOUNTED = {"wagtailusers.UserProfile"}
VOLATILE_FIELDS = {"last_active_at", "last_login"}
# Rows a form edits in place: a refusal must leave their values as they were.
EDITABLE = [
    "people.User",
    "people.Profile",
    "spaces.Space",
    "spaces.Membership",
    "spaces.Action",
    "spaces.Document",
    "spaces.JoinRequest",
    "forums.Thread",
    "forums.Post",
    "forums.Flag",
    "notifications.Preference",
    "notifications.Notification",
    "people.IntroductionRequest",
]


def _counted_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in COUNTED_APPS
        and model._meta.managed
        and not model._meta.proxy
        and model._meta.label not in UNCOUNTED
    ]


def state():
    """Row counts of every table of ours (one query) and the values of the
    rows forms edit in place."""
    models = _counted_models()
    quote = connection.ops.quote_name
    # Table names come from Django's model registry, never from input.
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})"  # noqa: S608
        for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        counts = dict(
            zip((m._meta.label for m in models), cursor.fetchone(), strict=True)
        )
    values = {}
    for label in EDITABLE:
        model = apps.get_model(label)
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in VOLATILE_FIELDS
        ]
        values[label] = list(model._default_manager.order_by("pk").values_list(*names))
    return counts, values


def changes(before, after):
    counts_before, values_before = before
    counts_after, values_after = after
    changed = {
        label: (counts_before[label], counts_after[label])
        for label in counts_before
        if counts_before[label] != counts_after[label]
    }
    changed.update(
        {
            label: "values changed"
            for label in values_before
            if values_before[label] != values_after[label]
        }
    )
    return changed


# --- posting and judging the answer ------------------------------------------


def refused(response, done=302):
    """A re-rendered form, a 4xx, or a redirect carrying an error message;
    `done` is the status of success (a redirect, for all but a few)."""
    if response.status_code != done:
        return response.status_code != 302
    levels = [m.level for m in get_messages(response.wsgi_request)]
    return message_levels.ERROR in levels


def _body(response):
    if getattr(response, "streaming", False):
        return ""  # downloads: the stored file, served as an attachment
    return response.content.decode(errors="replace")


def check_answer(client, response, where):
    assert response.status_code < 500, f"{where}: {response.status_code}"
    assert_no_live_markup(_body(response), where)
    if response.status_code == 302:
        target = urlsplit(response["Location"])
        if not target.netloc and not target.path.startswith("/accounts/"):
            page = client.get(response["Location"])
            assert page.status_code < 500, f"{where} -> {response['Location']}"
            assert_no_live_markup(_body(page), f"{where} -> {response['Location']}")


def send(client, method, url, data):
    if method == "get":
        return client.get(url, data)
    return client.post(url, data)


# --- the forms ----------------------------------------------------------------


def _formset_fields(form_class, prefix, rows=3):
    return {
        f"{prefix}-{row}-{name}": field
        for row in range(rows)
        for name, field in form_class().fields.items()
    }


def _signup_fields(world):
    from people.forms import SignupDetailsForm

    return {
        **SignupDetailsForm().fields,
        "email": forms.EmailField(),
        "password1": forms.CharField(),
        "password2": forms.CharField(),
    }


def _basics_fields(world):
    from casestudies.forms import BasicsForm, OrganisationRoleForm

    return {
        **BasicsForm(user=world.actor).fields,
        **_formset_fields(OrganisationRoleForm, "organisations"),
    }


def _outcomes_fields(world):
    from casestudies.forms import EvidenceForm, OutcomeForm

    return {**EvidenceForm().fields, **_formset_fields(OutcomeForm, "outcomes")}


def _step_url(step):
    return lambda world: f"/case-studies/contribute/{world.objects['draft'].pk}/{step}/"


def _image_fields(world):
    from wagtail.images import get_image_model
    from wagtail.images.forms import get_image_form

    form_class = get_image_form(get_image_model())
    return form_class(user=world.editor).fields


def _reason_fields(world):
    from forums.forms import ReasonForm

    return ReasonForm().fields


# Forms of ours posted to other packages' views (allauth, the Wagtail admin).
THIRD_PARTY = {"account_signup", "wagtailimages:add"}


@dataclass(frozen=True)
class Case:
    name: str
    forms: tuple  # dotted paths of the form classes this row covers
    route: str  # a key of world.urls
    fields: Any  # world -> {name: form field}
    method: str = "post"
    who: str = "actor"
    more: Any = None  # world -> {key: strategy}, e.g. a formset's management
    url: Any = None  # world -> url, when not world.urls[route]


def _f(path, **kwargs):
    """Fields of the form at `path`, built with kwargs computed from the world."""

    def fields(world):
        module, name = path.rsplit(".", 1)
        form_class = getattr(importlib.import_module(module), name)
        return form_class(**{k: v(world) for k, v in kwargs.items()}).fields

    return fields


def _organisations(world):
    from people.models import Organisation

    return Organisation.objects.all()


def _home(world):
    return world.home


def _dwp_members(world):
    from people.models import User

    return User.objects.filter(profile__organisation=world.objects["dwp"])


def _shared_spaces(world):
    from forums.selectors import shared_spaces

    return shared_spaces(world.actor, world.other_member)


def _move_targets(world):
    from forums.services import move_targets

    return move_targets(world.actor, world.objects["to_move"])


def _current_preferences(world):
    from notifications.services import preferences_of

    return preferences_of(world.actor)


CASES = [
    # people
    Case(
        "sign up",
        ("people.forms.SignupDetailsForm",),
        "account_signup",
        _signup_fields,
        who="anonymous",
        url=lambda world: "/accounts/signup/",
    ),
    Case(
        "invite to the site",
        ("people.forms.InvitationForm",),
        "people:invite",
        _f("people.forms.InvitationForm", organisations=_organisations),
    ),
    Case(
        "edit my profile",
        ("people.forms.ProfileForm",),
        "people:profile_edit",
        _f("people.forms.ProfileForm"),
    ),
    Case(
        "manage a colleague",
        ("people.forms.ProfileAdminForm",),
        "people:profile_manage",
        _f("people.forms.ProfileAdminForm"),
    ),
    Case(
        "mark a leaver",
        ("people.forms.LeaverForm",),
        "people:profile_leaver",
        _f("people.forms.LeaverForm", successors=_dwp_members),
    ),
    Case(
        "ask for an introduction",
        ("people.forms.IntroductionForm",),
        "people:introduction_request",
        _f("people.forms.IntroductionForm"),
    ),
    Case(
        "name a key contact",
        ("people.forms.KeyContactForm",),
        "people:key_contacts",
        _f("people.forms.KeyContactForm", members=_dwp_members),
    ),
    # spaces
    Case(
        "filter the space directory",
        ("spaces.forms.DirectoryFilterForm",),
        "spaces:directory",
        _f("spaces.forms.DirectoryFilterForm"),
        method="get",
    ),
    Case(
        "create a space",
        ("spaces.forms.SpaceForm",),
        "spaces:create",
        _f("spaces.forms.SpaceForm"),
    ),
    Case(
        "edit a space",
        ("spaces.forms.SpaceForm",),
        "spaces:edit",
        _f("spaces.forms.SpaceForm"),
    ),
    Case(
        "add an organisation",
        ("spaces.forms.ParticipationForm",),
        "spaces:organisation_set",
        _f("spaces.forms.ParticipationForm"),
    ),
    Case(
        "ask to join",
        ("spaces.forms.JoinRequestForm",),
        "spaces:ask_to_join",
        _f("spaces.forms.JoinRequestForm"),
    ),
    Case(
        "invite to a space",
        ("spaces.forms.InviteForm",),
        "spaces:invite",
        _f("spaces.forms.InviteForm"),
    ),
    Case(
        "change a member's role",
        ("spaces.forms.RoleForm",),
        "spaces:member_role",
        _f("spaces.forms.RoleForm"),
    ),
    Case(
        "add an action",
        ("spaces.forms.ActionForm",),
        "spaces:actions",
        _f("spaces.forms.ActionForm", space=_home),
    ),
    Case(
        "edit an action",
        ("spaces.forms.ActionForm",),
        "spaces:action_edit",
        _f("spaces.forms.ActionForm", space=_home),
    ),
    Case(
        "create a folder",
        ("spaces.forms.FolderForm",),
        "spaces:folder_create",
        _f("spaces.forms.FolderForm"),
    ),
    Case(
        "upload a document",
        ("spaces.forms.DocumentUploadForm",),
        "spaces:upload",
        _f("spaces.forms.DocumentUploadForm", space=_home),
    ),
    Case(
        "upload a new version",
        ("spaces.forms.NewVersionForm",),
        "spaces:new_version",
        _f("spaces.forms.NewVersionForm"),
    ),
    Case(
        "edit a document",
        ("spaces.forms.DocumentEditForm",),
        "spaces:document_edit",
        _f("spaces.forms.DocumentEditForm", space=_home),
    ),
    Case(
        "comment on a document",
        ("spaces.forms.CommentForm",),
        "spaces:comment_create",
        _f("spaces.forms.CommentForm"),
    ),
    # forums
    Case(
        "start a thread",
        ("forums.forms.ThreadForm",),
        "forums:thread_create",
        _f("forums.forms.ThreadForm", space=_home),
    ),
    Case(
        "reply",
        ("forums.forms.ReplyForm",),
        "forums:reply",
        _f("forums.forms.ReplyForm"),
    ),
    Case(
        "edit my post",
        ("forums.forms.EditPostForm",),
        "forums:post_edit",
        _f("forums.forms.EditPostForm"),
    ),
    Case("lock a thread", ("forums.forms.ReasonForm",), "forums:lock", _reason_fields),
    Case("hide a post", ("forums.forms.ReasonForm",), "forums:hide", _reason_fields),
    Case(
        "restore a post", ("forums.forms.ReasonForm",), "forums:restore", _reason_fields
    ),
    Case(
        "move a thread",
        ("forums.forms.MoveForm",),
        "forums:move",
        _f("forums.forms.MoveForm", spaces=_move_targets),
    ),
    Case(
        "report a post",
        ("forums.forms.FlagForm",),
        "forums:report",
        _f("forums.forms.FlagForm"),
    ),
    Case(
        "ask someone",
        ("forums.forms.AskForm",),
        "forums:ask",
        _f("forums.forms.AskForm", spaces=_shared_spaces),
    ),
    # notifications
    Case(
        "choose notifications",
        ("notifications.forms.PreferencesForm",),
        "notifications:preferences",
        _f("notifications.forms.PreferencesForm", initial_choices=_current_preferences),
    ),
    # the Wagtail admin (editors): images for pages and case studies
    Case(
        "add an image",
        ("home.image_forms.ImageForm",),
        "wagtailimages:add",
        _image_fields,
        who="editor",
        url=lambda world: "/admin/images/add/",
    ),
    # case studies
    Case(
        "filter case studies",
        ("casestudies.forms.CaseStudyFilterForm",),
        "casestudies:index",
        _f("casestudies.forms.CaseStudyFilterForm"),
        method="get",
    ),
    Case(
        "start a case study",
        ("casestudies.forms.BasicsForm", "casestudies.forms.OrganisationRoleForm"),
        "casestudies:start",
        _basics_fields,
        more=lambda world: management_form("organisations"),
    ),
    Case(
        "case study basics",
        ("casestudies.forms.BasicsForm", "casestudies.forms.OrganisationRoleForm"),
        "casestudies:step",
        _basics_fields,
        more=lambda world: management_form("organisations"),
        url=_step_url("basics"),
    ),
    Case(
        "case study story",
        ("casestudies.forms.StoryForm",),
        "casestudies:step",
        _f("casestudies.forms.StoryForm"),
        url=_step_url("story"),
    ),
    Case(
        "case study outcomes",
        ("casestudies.forms.EvidenceForm", "casestudies.forms.OutcomeForm"),
        "casestudies:step",
        _outcomes_fields,
        more=lambda world: management_form("outcomes"),
        url=_step_url("outcomes"),
    ),
    Case(
        "case study lessons",
        ("casestudies.forms.LessonsForm",),
        "casestudies:step",
        _f("casestudies.forms.LessonsForm"),
        url=_step_url("lessons"),
    ),
    Case(
        "we reused this",
        ("casestudies.forms.AdoptionForm",),
        "casestudies:adoption",
        _f("casestudies.forms.AdoptionForm"),
    ),
]


def ids_to_try(world):
    """Forged ids of the stranger's things, and valid ids of the actor's."""
    from casestudies.models import CompactPrinciple, Factor, Theme

    valid = [
        world.home.pk,
        world.target.pk,
        world.colleague.pk,
        world.other_member.pk,
        world.objects["dwp"].pk,
        world.objects["folder"].pk,
        *Theme.objects.values_list("pk", flat=True)[:2],
        *Theme.objects.values_list("slug", flat=True)[:2],
        *Factor.objects.values_list("pk", flat=True)[:2],
        *CompactPrinciple.objects.values_list("pk", flat=True)[:1],
    ]
    return [str(value) for value in [*world.forged.values(), *valid]]


def _client_for(case, world):
    client = Client()
    if case.who != "anonymous":
        client.force_login(getattr(world, case.who))
    return client


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@given(data=st.data())
def test_hostile_form_input_is_refused_cleanly(world, case, data):
    client = _client_for(case, world)
    url = case.url(world) if case.url else world.urls[case.route]
    fields = case.fields(world)
    more = case.more(world) if case.more else None
    values = data.draw(form_data(fields, ids_to_try(world), more), label="data")
    before = state()
    response = send(client, case.method, url, values)
    where = f"{case.name} ({case.method.upper()} {url})"
    check_answer(client, response, where)
    if case.method == "post" and refused(response):
        assert changes(before, state()) == {}, f"{where} refused but changed rows"


# Modules not imported to look for forms: settings for other environments,
# entry points and migrations.
SKIP_MODULES = ("cop.settings", "cop.wsgi", "cop.asgi", "cop.celery")


def _project_form_classes():
    """Every Form / ModelForm class defined in our apps' modules."""
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            name = module.name
            if name.startswith(SKIP_MODULES) or ".migrations" in name:
                continue
            importlib.import_module(name)
    found, queue = set(), [forms.BaseForm]
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in OUR_APPS:
            found.add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def test_every_form_class_is_fuzzed():
    covered = {path for case in CASES for path in case.forms}
    missing = _project_form_classes() - covered
    assert missing == set(), f"add rows to CASES for these forms: {sorted(missing)}"
    ours = {case.route for case in CASES if case.route not in THIRD_PARTY}
    assert ours <= set(POST_ROUTES + READ_ONLY)


# --- every route --------------------------------------------------------------

# Routes that take a POST (with or without a form): fuzzed with the keys any
# of our views reads from request.POST.
POST_ROUTES = [
    "spaces:create",
    "spaces:invitation",
    "spaces:edit",
    "spaces:organisation_set",
    "spaces:organisation_remove",
    "spaces:join",
    "spaces:ask_to_join",
    "spaces:leave",
    "spaces:invite",
    "spaces:member_role",
    "spaces:member_remove",
    "spaces:join_request_decide",
    "spaces:actions",
    "spaces:action_edit",
    "spaces:folder_create",
    "spaces:upload",
    "spaces:document_edit",
    "spaces:comment_create",
    "spaces:new_version",
    "forums:ask",
    "forums:thread_create",
    "forums:reply",
    "forums:follow",
    "forums:lock",
    "forums:move",
    "forums:post_edit",
    "forums:react",
    "forums:report",
    "forums:accept",
    "forums:hide",
    "forums:restore",
    "forums:flag_dismiss",
    "people:invite",
    "people:profile_edit",
    "people:profile_confirm",
    "people:introduction_decide",
    "people:key_contacts",
    "people:key_contact_remove",
    "people:profile_follow",
    "people:introduction_request",
    "people:profile_manage",
    "people:profile_leaver",
    "casestudies:start",
    "casestudies:check",
    "casestudies:step",
    "casestudies:adoption",
    "notifications:mark_read",
    "notifications:mark_all_read",
    "notifications:preferences",
    "notifications:unsubscribe",
    "search:similar",
]
# Routes that only read: a POST gets 405, or is answered like a GET.
READ_ONLY = [
    "healthz",
    "robots_txt",
    "spaces:directory",
    "spaces:detail",
    "spaces:members",
    "spaces:documents",
    "spaces:document",
    "spaces:download",
    "forums:index",
    "forums:guidelines",
    "forums:space",
    "forums:moderation",
    "forums:thread",
    "forums:posts_after",
    "forums:post",
    "forums:history",
    "people:directory",
    "people:how_to_join",
    "people:invitation_accept",
    "people:introductions",
    "people:organisations",
    "people:organisation",
    "people:profile",
    "casestudies:index",
    "casestudies:overview",
    "casestudies:mine",
    "casestudies:feed",
    "casestudies:atom",
    "notifications:index",
    "notifications:digest_preview",
    "notifications:digest_view",
    "search:search",
    "search:suggest",
    "search:similar_open",
    "search:similar_report",
    "notifications:outbox",
    "notifications:outbox_message",
    "audit:index",
    "audit:index_results",
    "audit:inspect",
]
# Every key a view of ours reads straight from request.POST or request.GET.
RAW_KEYS = [
    "kind",
    "state",
    "following",
    "decision",
    "reason",
    "next",
    "later",
    "note",
    "body",
    "title",
    "summary",
    "q",
    "page",
    "after",
    "to",
    "folder",
    "tag",
    "format",
    "sort",
    "tab",
]


def test_every_route_is_classified(world):
    ours = {name for name, _ in our_routes() if name}
    listed = set(POST_ROUTES) | set(READ_ONLY)
    assert not set(POST_ROUTES) & set(READ_ONLY)
    assert ours - listed == set(), f"classify these routes: {sorted(ours - listed)}"
    assert listed - ours == set(), f"no such routes any more: {sorted(listed - ours)}"
    assert listed <= set(world.urls)


RAW_FIELDS = {key: forms.CharField() for key in RAW_KEYS}
# Routes whose success is a page, not a redirect.
DONE = {"notifications:unsubscribe": 200}


@pytest.mark.parametrize("route", POST_ROUTES)
@hypothesis_settings(max_examples=10)
@given(data=st.data())
def test_hostile_posts_to_every_route_are_refused_cleanly(world, route, data):
    client = Client()
    client.force_login(world.actor)
    url = world.urls[route]
    values = data.draw(form_data(RAW_FIELDS, ids_to_try(world)), label="data")
    before = state()
    response = client.post(url, values)
    check_answer(client, response, f"POST {url}")
    if refused(response, done=DONE.get(route, 302)):
        assert changes(before, state()) == {}, f"POST {url} refused but changed rows"


@pytest.mark.parametrize("route", READ_ONLY)
def test_posts_to_read_only_routes_change_nothing(world, route):
    client = Client()
    client.force_login(world.actor)
    url = world.urls[route]
    before = state()
    response = client.post(
        url, dict.fromkeys(RAW_KEYS, "<script>alert('xss')</script>")
    )
    check_answer(client, response, f"POST {url}")
    assert changes(before, state()) == {}


@pytest.mark.parametrize("route", READ_ONLY)
@hypothesis_settings(max_examples=5)
@given(query=st.dictionaries(st.sampled_from(RAW_KEYS), hostile_text, max_size=4))
def test_hostile_queries_to_read_only_routes_are_answered_cleanly(world, route, query):
    client = Client()
    client.force_login(world.actor)
    url = world.urls[route]
    separator = "&" if "?" in url else "?"
    response = client.get(url + separator + urlencode(query))
    check_answer(client, response, f"GET {url} {query!r}")
