"""Permission-aware search, "similar work" and suggestions.

The rule that makes search safe: every content type is searched *within* the
queryset the viewer may see (`kinds.Kind.visible`, built on spaces.access),
so the full-text match, the ranking, the counts, the facets and the snippets
are all computed on visible rows only. Nothing is fetched and filtered after.

Ranking: each type is searched through Wagtail's search backend with
relevance scores; the database backends keep every type in one index table,
so their scores are comparable and the lists are merged by score, with the
newer item first when scores tie.
"""

import math
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.urls import reverse
from wagtail.search.backends import get_search_backend

from people.models import Organisation
from spaces.access import visible_spaces

from .kinds import KINDS_BY_KEY, available_kinds
from .text import clean_query, highlight_title, snippet

PER_PAGE = 20
MAX_PAGES = 50
SIMILAR_LIMIT = 5
SUGGEST_LIMIT = 5
# Kinds offered as "similar work" on create forms: work, not chatter or people.
SIMILAR_KINDS = ("case_study", "lesson", "thread", "space", "document")
# Counts stop here: no page past it is offered (MAX_PAGES x PER_PAGE), and
# counting every match of a common word cost more than finding the page.
COUNT_CAP = MAX_PAGES * PER_PAGE
# For search engines other than the database ones (which take any queryset),
# the visible rows are passed as a list of ids: at most this many per type.
ENGINE_ID_LIMIT = 10_000

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "new",
        "how",
        "use",
        "using",
    ]
)


# --- the engine ---------------------------------------------------------------


def _backend():
    return get_search_backend()


def _is_database_backend(backend):
    return type(backend).__module__.startswith("modelsearch.backends.database")


def _search_within(backend, query, queryset, operator, rank_window=None):
    """Full-text search restricted to `queryset`, best first, scores annotated."""
    if _is_database_backend(backend):
        # The database backends wrap the queryset's own SQL (with the access
        # policy's subqueries) around the full-text match, so any filter
        # works. Their `check()` demands every filter be an index FilterField,
        # a need of the external engines only, so it is not run here.
        compiler_class = backend.query_compiler_class
        if type(backend).__name__ == "PostgresSearchBackend":
            from .engine import IndexedWordsCompiler as compiler_class
        compiler = compiler_class(queryset, query, operator=operator)
        if rank_window and hasattr(compiler_class, "rank_window"):
            compiler.rank_window = rank_window
        results = backend.results_class(backend, compiler)
    else:
        # OpenSearch / Elasticsearch: filters must be expressed on indexed
        # fields, so the visible rows go as a list of ids (FilterField "id").
        model = queryset.model
        ids = list(queryset.values_list("pk", flat=True)[:ENGINE_ID_LIMIT])
        results = backend.search(
            query, model.objects.filter(pk__in=ids), operator=operator
        )
    return results.annotate_score("_score")


def _count(results, cap=COUNT_CAP):
    """(matches, capped): matches up to `cap`, and whether there are more.

    The database backends count a LIMITed subquery, so the work stops at
    cap + 1 rows; other engines count however they count.
    """
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is None:
        total = results.count()
        return min(total, cap), total > cap
    found = get_queryset().order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


def _relevance(backend, score):
    """Higher is better, whatever the engine (SQLite's bm25 is negative)."""
    if score is None:
        return 0.0
    score = float(score)
    if type(backend).__name__ == "SQLiteSearchBackend":
        return -score
    return score


def _timestamp(date):
    return date.timestamp() if hasattr(date, "timestamp") else 0.0


def _rank_key(score, date):
    # Relevance first; equal (to 6 significant figures) ties go to the newer.
    rounded = float(f"{score:.6g}") if score else 0.0
    return (-rounded, -_timestamp(date))


# --- filters --------------------------------------------------------------------


@dataclass
class Filters:
    theme: object = None
    organisation: object = None
    space: object = None
    errors: dict = field(default_factory=dict)

    @property
    def chosen(self):
        return [
            name for name in ("theme", "organisation", "space") if getattr(self, name)
        ]


def _theme_model():
    try:
        return apps.get_model("casestudies", "Theme")
    except LookupError:
        return None


def resolve_filters(user, *, theme=None, organisation=None, space=None):
    """Turn slugs from the query string into objects the viewer may use.

    A space the viewer may not see is treated exactly like one that does not
    exist, so the filter never confirms a secret space.
    """
    filters = Filters()
    if theme:
        Theme = _theme_model()
        if isinstance(theme, str):
            found = Theme.objects.filter(slug=theme).first() if Theme else None
        else:
            found = theme
        if found is None:
            filters.errors["theme"] = "Choose a theme from the list."
        filters.theme = found
    if organisation:
        if isinstance(organisation, str):
            found = Organisation.objects.filter(slug=organisation).first()
        else:
            found = organisation
        if found is None:
            filters.errors["organisation"] = "Choose an organisation from the list."
        filters.organisation = found
    if space:
        if isinstance(space, str):
            found = visible_spaces(user).filter(slug=space).first()
        else:
            found = visible_spaces(user).filter(pk=space.pk).first()
        if found is None:
            filters.errors["space"] = "Choose a space from the list."
        filters.space = found
    return filters


def _kinds_for(filters, types=None):
    kinds = available_kinds()
    chosen = filters.chosen
    kinds = [k for k in kinds if all(name in k.filters for name in chosen)]
    if types:
        kinds = [k for k in kinds if k.key in types]
    return kinds


def _queryset(kind, user, filters):
    queryset = kind.visible(user)
    queryset = kind.narrow(
        queryset,
        theme=filters.theme,
        organisation=filters.organisation,
        space=filters.space,
    )
    return kind.for_display(queryset)


# --- search -----------------------------------------------------------------------


@dataclass
class SearchResults:
    query: str = ""
    terms: list = field(default_factory=list)
    results: list = field(default_factory=list)
    total: int = 0
    total_capped: bool = False  # more than `total` match: show "1,000+"
    facets: list = field(default_factory=list)
    page: int = 1
    num_pages: int = 0
    per_page: int = PER_PAGE
    types: list = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    any_words: bool = False
    message: str = ""

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def start_index(self):
        return (self.page - 1) * self.per_page + 1 if self.results else 0

    @property
    def end_index(self):
        return self.start_index + len(self.results) - 1 if self.results else 0

    def as_json(self):
        return {
            "query": self.query,
            "total": self.total,
            "total_capped": self.total_capped,
            "page": self.page,
            "num_pages": self.num_pages,
            "facets": [
                {
                    "type": f["key"],
                    "label": f["label"],
                    "count": f["count"],
                    "capped": f["capped"],
                }
                for f in self.facets
            ],
            "results": [r.as_json() for r in self.results],
        }


def _page_number(page):
    try:
        page = int(page)
    except (TypeError, ValueError):
        return 1
    return max(1, page)


def _describe(kind, score, obj, terms):
    item = kind.describe(obj)
    item.score = score
    item.snippet = snippet(item.text, terms)
    item.title_html = highlight_title(item.title, terms)
    return item


def _ranked(kind, backend, objects):
    """(sort key, kind, score, object) for each hit, without describing it."""
    ranked = []
    for obj in objects:
        score = _relevance(backend, getattr(obj, "_score", None))
        ranked.append((_rank_key(score, kind.date_of(obj)), kind, score, obj))
    return ranked


def _merge(ranked, start, stop, terms):
    # Only the page shown is described (snippets cost more than sorting).
    ranked.sort(key=lambda entry: (*entry[0], entry[1].key, entry[3].pk))
    return [
        _describe(kind, score, obj, terms) for _, kind, score, obj in ranked[start:stop]
    ]


def _run(user, query, terms, kinds, types, filters, page, per_page, operator):
    backend = _backend()
    searches = {
        kind.key: (
            kind,
            _search_within(
                backend,
                query,
                _queryset(kind, user, filters),
                operator,
                rank_window=kind.rank_window,
            ),
        )
        for kind in kinds
    }
    # Facets: counts of matches the viewer may see, per type (one capped
    # COUNT each).
    counted = {key: _count(results) for key, (_, results) in searches.items()}
    counts = {key: n for key, (n, _) in counted.items()}
    selected = [key for key in searches if not types or key in types]
    total = sum(counts[key] for key in selected)
    total_capped = total >= COUNT_CAP or any(counted[key][1] for key in selected)
    total = min(total, COUNT_CAP)
    num_pages = min(MAX_PAGES, math.ceil(total / per_page)) if total else 0
    page = min(page, num_pages) if num_pages else 1
    start, stop = (page - 1) * per_page, page * per_page
    if len(selected) == 1:
        kind, results = searches[selected[0]]
        found = _merge(_ranked(kind, backend, results[start:stop]), 0, per_page, terms)
    else:
        ranked = []
        for key in selected:
            if counts[key]:
                kind, results = searches[key]
                ranked.extend(_ranked(kind, backend, results[:stop]))
        found = _merge(ranked, start, stop, terms)
    facets = [
        {
            "key": kind.key,
            "label": kind.label,
            "count": counts[kind.key],
            "capped": counted[kind.key][1],
            "selected": kind.key in (types or ()),
        }
        for kind, _ in searches.values()
    ]
    return SearchResults(
        results=found,
        total=total,
        total_capped=total_capped,
        facets=facets,
        page=page,
        num_pages=num_pages,
        per_page=per_page,
    )


def search(
    user,
    query,
    types=None,
    theme=None,
    organisation=None,
    space=None,
    page=1,
    per_page=PER_PAGE,
):
    """One page of results for `query`, across every type `user` may see."""
    cleaned, terms = clean_query(query)
    types = [t for t in (types or []) if t in KINDS_BY_KEY]
    filters = resolve_filters(user, theme=theme, organisation=organisation, space=space)
    page = _page_number(page)
    if not cleaned:
        message = "Enter a word to search for." if (query or "").strip() else ""
        return SearchResults(
            query="", terms=[], types=types, filters=filters, message=message
        )
    if filters.errors:
        return SearchResults(query=cleaned, terms=terms, types=types, filters=filters)
    kinds = _kinds_for(filters)
    outcome = _run(user, cleaned, terms, kinds, types, filters, page, per_page, "and")
    if not outcome.total and len(terms) > 1:
        # Nothing has every word: show what has any of them, and say so.
        words = [t for t in terms if t.lower() not in STOPWORDS] or terms
        outcome = _run(
            user, " ".join(words), words, kinds, types, filters, page, per_page, "or"
        )
        outcome.any_words = bool(outcome.total)
    outcome.query, outcome.terms = cleaned, terms
    outcome.types, outcome.filters = types, filters
    return outcome


# --- similar work ---------------------------------------------------------------


def similar_terms(*texts):
    _, terms = clean_query(" ".join(t or "" for t in texts)[:600])
    return [t for t in terms if len(t) > 2 and t.lower() not in STOPWORDS]


@dataclass
class Similar:
    items: list
    people: list
    terms: list


def similar(user, *, title="", summary="", kind=None, limit=SIMILAR_LIMIT):
    """Up to `limit` visible items like the one being written, and their people."""
    terms = similar_terms(title, summary)
    if not terms or not (user and user.is_authenticated):
        return Similar(items=[], people=[], terms=terms)
    backend = _backend()
    filters = Filters()
    found = []
    for kind_obj in available_kinds():
        if kind_obj.key not in SIMILAR_KINDS:
            continue
        results = _search_within(
            backend, " ".join(terms), _queryset(kind_obj, user, filters), "or"
        )
        found.extend(_ranked(kind_obj, backend, results[:limit]))
    # The kind being written first when scores tie: a thread like a thread.
    found.sort(key=lambda entry: (*entry[0], entry[1].key != kind, entry[3].pk))
    items = [_describe(k, score, obj, terms) for _, k, score, obj in found[:limit]]
    people, seen = [], set()
    for item in items:
        for person in item.people:
            key = person["url"] or person["name"]
            if key not in seen:
                seen.add(key)
                people.append(person)
    return Similar(items=items, people=people[:limit], terms=terms)


# --- suggestions ------------------------------------------------------------------


def suggest(user, q, limit=SUGGEST_LIMIT):
    """People and themes whose names start with what was typed."""
    _, terms = clean_query(q)
    terms = terms[:4]
    if not terms or not (user and user.is_authenticated):
        return []
    suggestions = []
    Profile = apps.get_model("people", "Profile")
    profiles = Profile.objects.all()
    profiles = profiles.listed() if hasattr(profiles, "listed") else profiles
    condition = Q()
    for term in terms:
        condition &= (
            Q(user__first_name__istartswith=term)
            | Q(user__last_name__istartswith=term)
            | Q(organisation__abbreviation__iexact=term)
        )
    for profile in profiles.filter(condition).select_related("user", "organisation")[
        :limit
    ]:
        hint = ", ".join(
            p
            for p in [
                profile.job_title,
                profile.organisation.short_name if profile.organisation else "",
            ]
            if p
        )
        try:
            url = profile.get_absolute_url()
        except Exception:  # the directory may not be routed yet
            url = reverse("search:search") + f"?q={str(profile.user)}&type=person"
        suggestions.append(
            {"type": "person", "label": str(profile.user), "hint": hint, "url": url}
        )
    Theme = _theme_model()
    if Theme is not None:
        condition = Q()
        for term in terms:
            # Word starts: "tom" finds "Tomorrow's services", not "customer".
            condition &= Q(name__istartswith=term) | Q(name__icontains=f" {term}")
        search_url = reverse("search:search")
        for theme in Theme.objects.filter(condition)[:limit]:
            suggestions.append(
                {
                    "type": "theme",
                    "label": theme.name,
                    "hint": "Theme",
                    "url": f"{search_url}?theme={theme.slug}",
                }
            )
    return suggestions
