"""What search can find: one `Kind` per content type.

Each kind says how to get the queryset a viewer may see (always through
`spaces.access` or the owning app's visibility rule), how to narrow it by
theme, organisation and space, and how to describe a found object. Search
never looks at a row before this visible queryset has been applied: the
full-text match and the ranking run inside it.

A kind whose model is missing or not indexed (no `search_fields`) is simply
left out, so search keeps working while an app is being built.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.urls import NoReverseMatch
from modelsearch.index import class_is_indexed

from cop.text import plain_text
from spaces.access import visible_items, visible_spaces
from spaces.models import Marking


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _url(obj):
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


def _person(user):
    """(name, url) for a member shown beside a result, or None."""
    if user is None:
        return None
    profile = getattr(user, "profile", None)
    url = _url(profile) if profile is not None and profile.handle else ""
    return {"name": str(user), "url": url}


@dataclass
class Found:
    """One result, ready for a template or JSON."""

    kind: str
    kind_label: str
    title: str
    url: str
    text: str
    date: Any
    meta: list = field(default_factory=list)
    people: list = field(default_factory=list)
    sensitive: bool = False
    score: float = 0.0
    snippet: str = ""
    title_html: str = ""

    def as_json(self):
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "title": self.title,
            "url": self.url,
            "snippet": self.snippet,
            "date": self.date.isoformat() if self.date else None,
            "meta": self.meta,
            "people": self.people,
        }


class Kind:
    key = ""
    label = ""
    singular = ""
    model_label = ""
    date_field = "created_at"
    # Filters this kind understands; a kind that lacks a filter the viewer
    # chose drops out of the results (a theme filter shows only case studies).
    filters = ()
    # Rank only the newest this-many matches (None: rank them all). For kinds
    # of which there are very many, ranking every match of a common word was
    # most of a search's time (docs/search.md, "Speed").
    rank_window = None

    @property
    def model(self):
        return _model(self.model_label)

    def available(self):
        model = self.model
        return model is not None and bool(class_is_indexed(model))

    def visible(self, user):  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        return queryset

    def for_display(self, queryset):
        return queryset

    def describe(self, obj):  # pragma: no cover
        raise NotImplementedError

    def found(self, obj, **kwargs):
        return Found(kind=self.key, kind_label=self.singular, **kwargs)

    def date_of(self, obj):
        """The date recency is judged by (without describing the object)."""
        value = obj
        for part in self.date_field.split("__"):
            value = getattr(value, part, None)
        return value


class SpaceKind(Kind):
    key, label, singular = "space", "Spaces", "Space"
    model_label = "spaces.Space"
    date_field = "updated_at"
    filters = ("organisation", "space")

    def visible(self, user):
        return visible_spaces(user).filter(archived=False)

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        if organisation is not None:
            queryset = queryset.filter(
                Q(lead_organisation=organisation)
                | Q(pk__in=organisation.participations.values("space_id"))
            )
        if space is not None:
            queryset = queryset.filter(pk=space.pk)
        return queryset

    def for_display(self, queryset):
        return queryset.select_related("lead_organisation")

    def describe(self, obj):
        return self.found(
            obj,
            title=obj.name,
            url=_url(obj),
            text=obj.purpose,
            date=obj.updated_at,
            meta=[obj.get_kind_display(), f"Led by {obj.lead_organisation.short_name}"],
            sensitive=obj.is_sensitive,
        )


class DocumentKind(Kind):
    key, label, singular = "document", "Documents", "Document"
    model_label = "spaces.Document"
    date_field = "updated_at"
    filters = ("organisation", "space")

    def visible(self, user):
        return visible_items(self.model.objects.all(), user)

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        if organisation is not None:
            queryset = queryset.filter(created_by__profile__organisation=organisation)
        if space is not None:
            queryset = queryset.filter(space=space)
        return queryset

    def for_display(self, queryset):
        return queryset.select_related("space", "created_by__profile")

    def describe(self, obj):
        return self.found(
            obj,
            title=obj.title,
            url=_url(obj),
            text=f"{obj.description}\n{obj.extracted_text}",
            date=obj.updated_at,
            meta=[f"In {obj.space.name}"],
            people=[p for p in [_person(obj.created_by)] if p],
            sensitive=obj.marking == Marking.SENSITIVE,
        )


class ThreadKind(Kind):
    key, label, singular = "thread", "Discussions", "Discussion"
    model_label = "forums.Thread"
    date_field = "last_post_at"
    filters = ("organisation", "space")

    def visible(self, user):
        return visible_items(self.model.objects.all(), user)

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        if organisation is not None:
            queryset = queryset.filter(author__profile__organisation=organisation)
        if space is not None:
            queryset = queryset.filter(space=space)
        return queryset

    def for_display(self, queryset):
        return queryset.select_related("space", "author__profile")

    def describe(self, obj):
        replies = max(obj.post_count - 1, 0)
        return self.found(
            obj,
            title=obj.title,
            url=_url(obj),
            text=obj.title,
            date=obj.last_post_at,
            meta=[
                f"In {obj.space.name}",
                f"{replies} repl{'y' if replies == 1 else 'ies'}",
            ],
            people=[p for p in [_person(obj.author)] if p],
            sensitive=obj.marking == Marking.SENSITIVE,
        )


class PostKind(Kind):
    key, label, singular = "post", "Posts", "Post"
    model_label = "forums.Post"
    date_field = "created_at"
    filters = ("organisation", "space")
    # Posts are the conversation: the newest matches are the ones wanted.
    # Above the count cap (search.selectors.COUNT_CAP), so counts are unchanged.
    rank_window = 2000

    def visible(self, user):
        threads = _model("forums.Thread")
        readable = visible_items(threads.objects.all(), user)
        # Hidden posts are never found, whoever searches.
        return self.model.objects.filter(hidden=False, thread__in=readable)

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        if organisation is not None:
            queryset = queryset.filter(author__profile__organisation=organisation)
        if space is not None:
            queryset = queryset.filter(thread__space=space)
        return queryset

    def for_display(self, queryset):
        return queryset.select_related("thread__space", "author__profile")

    def describe(self, obj):
        return self.found(
            obj,
            title=f"Reply in “{obj.thread.title}”",
            url=_url(obj),
            text=plain_text(obj.body_html) or obj.body,
            date=obj.created_at,
            meta=[f"In {obj.thread.space.name}"],
            people=[p for p in [_person(obj.author)] if p],
            sensitive=obj.thread.marking == Marking.SENSITIVE,
        )


class _PageKind(Kind):
    date_field = "last_published_at"
    filters = ("organisation", "space", "theme")

    def visible(self, user):
        pages = self.model.objects.live()
        if _signed_in(user):
            return visible_items(pages, user)
        # Signed out: only what an editor made public (never sensitive).
        return pages.filter(is_public=True, marking=Marking.OFFICIAL)

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        if space is not None:
            queryset = queryset.filter(space=space)
        return queryset

    def page_date(self, obj):
        return obj.last_published_at or obj.first_published_at


class CaseStudyKind(_PageKind):
    key, label, singular = "case_study", "Case studies", "Case study"
    model_label = "casestudies.CaseStudyPage"

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        queryset = super().narrow(queryset, space=space)
        if theme is not None:
            ids = theme.__class__.with_descendants([theme.pk])
            queryset = queryset.filter(
                pk__in=self.model.themes.through.objects.filter(
                    theme_id__in=ids
                ).values("casestudypage_id")
            )
        if organisation is not None:
            queryset = queryset.filter(
                pk__in=organisation.case_study_roles.values("page_id")
            )
        return queryset

    def for_display(self, queryset):
        contacts = _model("casestudies.CaseStudyContact")
        from django.db.models import Prefetch

        return queryset.prefetch_related(
            Prefetch(
                "contacts",
                queryset=contacts.objects.filter(consented=True).select_related(
                    "user__profile"
                ),
            ),
            "themes",
        )

    def describe(self, obj):
        return self.found(
            obj,
            title=obj.title,
            url=obj.url or "",
            text=obj.summary,
            date=self.page_date(obj),
            meta=[theme.name for theme in obj.themes.all()][:3],
            people=[
                p
                for p in (_person(contact.user) for contact in obj.contacts.all())
                if p
            ][:3],
            sensitive=obj.marking == Marking.SENSITIVE,
        )


class LessonKind(_PageKind):
    key, label, singular = "lesson", "Lessons", "Lesson"
    model_label = "casestudies.LessonPage"
    filters = ("space", "theme", "organisation")

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        queryset = super().narrow(queryset, space=space)
        if theme is not None:
            case_studies = CaseStudyKind().narrow(
                CaseStudyKind().model.objects.all(), theme=theme
            )
            queryset = queryset.filter(source_case_study__in=case_studies)
        if organisation is not None:
            queryset = queryset.filter(
                source_case_study__in=organisation.case_study_roles.values("page_id")
            )
        return queryset

    def describe(self, obj):
        return self.found(
            obj,
            title=obj.title,
            url=obj.url or "",
            text=f"{obj.lesson}\n{obj.what_happened}",
            date=self.page_date(obj),
            sensitive=obj.marking == Marking.SENSITIVE,
        )


class PersonKind(Kind):
    key, label, singular = "person", "People", "Person"
    model_label = "people.Profile"
    date_field = "user__date_joined"
    filters = ("organisation", "space")

    def visible(self, user):
        if not _signed_in(user):
            return self.model.objects.none()
        profiles = self.model.objects.all()
        listed = getattr(profiles, "listed", None)
        return listed() if listed else profiles.filter(user__is_active=True)

    def narrow(self, queryset, *, theme=None, organisation=None, space=None):
        if organisation is not None:
            queryset = queryset.filter(organisation=organisation)
        if space is not None:
            queryset = queryset.filter(
                user__in=space.memberships.values("user_id"),
            )
        return queryset

    def for_display(self, queryset):
        return queryset.select_related("user", "organisation")

    def describe(self, obj):
        org = obj.organisation.short_name if obj.organisation else ""
        text = " ".join(
            part
            for part in [
                obj.job_title,
                getattr(obj, "area_of_work", ""),
                getattr(obj, "happy_to_advise_on", ""),
            ]
            if part
        )
        return self.found(
            obj,
            title=str(obj.user),
            url=_url(obj),
            text=text,
            date=obj.user.date_joined,
            meta=[m for m in [obj.job_title, org] if m],
        )


KINDS = [
    CaseStudyKind(),
    LessonKind(),
    ThreadKind(),
    PostKind(),
    DocumentKind(),
    SpaceKind(),
    PersonKind(),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def available_kinds():
    return [kind for kind in KINDS if kind.available()]
