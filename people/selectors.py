"""Reads for the directory, profiles and organisation pages.

Ranking happens in the database: one score annotation sums Case/When terms
(text matches, `IN` lists of profiles with a matching expertise tag, of
members with at least k contributions the viewer may see), so a search costs
the same few queries whether there are ten profiles or ten thousand, and each
list is computed once per query rather than once per profile.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Least
from django.utils import timezone

from spaces.access import visible_items, visible_spaces

from .models import Contribution, Organisation, Profile, TaggedExpertise
from .reference import GRADES, PROFESSIONS, REGIONS

# Relevance weights: an exact declared expertise tag beats a sentence about
# the area of work, which beats a passing mention in a job title or team.
WEIGHT_NAME = 120
WEIGHT_TAG_EXACT = 100
WEIGHT_TAG_PARTIAL = 40
WEIGHT_AREA = 40
WEIGHT_ADVISE = 35
WEIGHT_MENTION = 10
WEIGHT_ORGANISATION = 10
# Every word of a several-word query found somewhere (not as one phrase).
WEIGHT_ALL_TERMS = 15
MAX_TERMS = 5
# Each visible contribution on the topic adds this, up to INFERRED_CAP of them.
WEIGHT_INFERRED = 12
INFERRED_CAP = 3
# Activity: recent people above long-inactive ones with the same relevance.
ACTIVE_RECENT_DAYS = 90
ACTIVE_STALE_DAYS = 365
WEIGHT_ACTIVE_RECENT = 20
WEIGHT_ACTIVE_SOME = 10

FACETS = ("organisation", "profession", "grade", "region")


def _int(value):
    return Value(value, output_field=IntegerField())


def _when(condition, weight):
    return Case(When(condition, then=_int(weight)), default=_int(0))


def _topic_q(topic):
    """Contributions whose topics include `topic` (any case, whole topic).

    Matches Contribution.topics_key ("|data sharing|...|", lowercased at
    save) with a plain LIKE: no JSON cast per row.
    """
    from .models import topics_key

    return Q(topics_key__contains=topics_key([topic]))


def visible_contributions(viewer):
    """Contributions `viewer` may know about: the access policy decides."""
    return visible_items(Contribution.objects.all(), viewer)


def _contributors(viewer, topics):
    """Visible contributions on any of `topics`, grouped by member (unevaluated)."""
    condition = Q()
    for topic in topics:
        condition |= _topic_q(topic)
    return (
        visible_contributions(viewer)
        .filter(condition)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
    )


def _inferred_score(viewer, topics):
    """WEIGHT_INFERRED for each visible contribution on `topics`, up to a cap.

    A correlated count, but it sits only in the SELECT (the ORDER BY refers
    to the score by position) and the WHERE has already cut the rows to the
    matches, so it runs once per matching profile through the
    contribution(user) index.
    """
    counted = _contributors(viewer, topics).filter(user_id=OuterRef("user_id"))
    count = Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)
    return Least(count, _int(INFERRED_CAP)) * _int(WEIGHT_INFERRED)


def _tagged(**lookup):
    """Profile ids with a declared tag matching `lookup` (run once, hashed)."""
    return TaggedExpertise.objects.filter(**lookup).values("content_object_id")


def _activity_score():
    now = timezone.now()
    return Case(
        When(
            last_active_at__gte=now - timedelta(days=ACTIVE_RECENT_DAYS),
            then=_int(WEIGHT_ACTIVE_RECENT),
        ),
        When(
            last_active_at__gte=now - timedelta(days=ACTIVE_STALE_DAYS),
            then=_int(WEIGHT_ACTIVE_SOME),
        ),
        default=_int(0),
    )


def _every_term_matches(query):
    """Each word of a several-word query appears somewhere on the profile.

    "data sharing DWP" matches a DWP member whose expertise is data sharing
    though no single field holds the whole phrase. A one-word query is
    covered by the phrase matches already.
    """
    terms = [term for term in query.split() if len(term) >= 2][:MAX_TERMS]
    if len(terms) < 2:
        return None
    condition = Q()
    for term in terms:
        condition &= (
            Q(full_name__icontains=term)
            | Q(job_title__icontains=term)
            | Q(team__icontains=term)
            | Q(area_of_work__icontains=term)
            | Q(happy_to_advise_on__icontains=term)
            | Q(organisation__name__icontains=term)
            | Q(organisation__abbreviation__iexact=term)
            | Q(profession__icontains=term)
            | Q(region__icontains=term)
            | Q(pk__in=_tagged(tag__name__icontains=term))
        )
    return condition


def _signals(viewer, query):
    """[(condition, weight)] for a query; conditions are Q objects on Profile."""
    signals = [
        (Q(full_name__icontains=query), WEIGHT_NAME),
        (Q(pk__in=_tagged(tag__name__iexact=query)), WEIGHT_TAG_EXACT),
        (Q(pk__in=_tagged(tag__name__icontains=query)), WEIGHT_TAG_PARTIAL),
        (Q(area_of_work__icontains=query), WEIGHT_AREA),
        (Q(happy_to_advise_on__icontains=query), WEIGHT_ADVISE),
        (Q(job_title__icontains=query) | Q(team__icontains=query), WEIGHT_MENTION),
        (
            Q(organisation__name__icontains=query)
            | Q(organisation__abbreviation__iexact=query),
            WEIGHT_ORGANISATION,
        ),
        (
            Q(profession__icontains=query)
            | Q(grade__icontains=query)
            | Q(region__icontains=query),
            WEIGHT_MENTION,
        ),
    ]
    every_term = _every_term_matches(query)
    if every_term is not None:
        signals.append((every_term, WEIGHT_ALL_TERMS))
    return signals


def _clean(query):
    return " ".join(query.split())[:100]


def matching_profiles(viewer, query=""):
    """Listed profiles that match `query` anywhere (no ranking: for counts).

    One LIKE on Profile.search_text (every searchable field, lowercased),
    or every word of a longer query found in it, or an `IN` list (run once)
    of members with visible contributions on the topic.
    """
    query = _clean(query)
    profiles = Profile.objects.listed().alias(
        full_name=Concat("user__first_name", Value(" "), "user__last_name")
    )
    if not query:
        return profiles
    lowered = query.lower()
    match = Q(search_text__contains=lowered) | Q(
        user_id__in=_contributors(viewer, [query]).values("user_id")
    )
    terms = [term for term in lowered.split() if len(term) >= 2][:MAX_TERMS]
    if len(terms) >= 2:
        every = Q()
        for term in terms:
            every &= Q(search_text__contains=term)
        match |= every
    return profiles.filter(match)


def ranked_profiles(viewer, query=""):
    """matching_profiles annotated with `score`, best first.

    The score is computed once per matching row in the SELECT and the ORDER
    BY refers to it by position, so nothing in it is evaluated twice.
    """
    query = _clean(query)
    profiles = matching_profiles(viewer, query)
    score = _activity_score()
    if query:
        for condition, weight in _signals(viewer, query):
            score = score + _when(condition, weight)
        score = score + _inferred_score(viewer, [query])
    return profiles.annotate(score=score).order_by(
        "-score", F("last_active_at").desc(nulls_last=True), "user__first_name",
        "user__last_name",
    )  # fmt: skip


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)

    @property
    def selected_count(self):
        return sum(1 for option in self.options if option.selected)


def _apply_facets(profiles, chosen):
    if chosen.get("organisation"):
        profiles = profiles.filter(organisation__slug__in=chosen["organisation"])
    for name in ("profession", "grade", "region"):
        if chosen.get(name):
            profiles = profiles.filter(**{f"{name}__in": chosen[name]})
    return profiles


@dataclass
class DirectoryResults:
    results: object  # ranked queryset, facets applied
    facets: list
    total: int  # len(results), already counted


def directory_search(viewer, query="", chosen=None):
    """Ranked results, facets and the total for the directory.

    Facet counts follow the usual rule for combinable facets: each facet
    counts over the results filtered by the query and every *other* facet,
    so choosing one organisation still shows how many match in the others.
    One GROUP BY over the matches by (organisation, profession, grade,
    region) gives every facet and the total at once; the page of results is
    a second query. The grouped rows number at most the distinct
    combinations among the matches (bounded by the reference lists), and the
    query count stays the same however many profiles there are.
    """
    chosen = {name: set(values) for name, values in (chosen or {}).items() if values}
    combos = list(
        matching_profiles(viewer, query)
        .order_by()
        .values_list("organisation__slug", *FACETS[1:])
        .annotate(n=Count("pk"))
    )
    counts = {name: Counter() for name in FACETS}
    total = 0
    for *values, n in combos:
        row = dict(zip(FACETS, values, strict=True))
        misses = [
            name
            for name in FACETS
            if chosen.get(name) and row[name] not in chosen[name]
        ]
        if not misses:
            total += n
        for name in FACETS:
            # A facet counts rows that pass every other facet.
            if not [miss for miss in misses if miss != name] and row[name]:
                counts[name][row[name]] += n
    organisation_names = dict(
        Organisation.objects.filter(
            slug__in=[*counts["organisation"], *chosen.get("organisation", ())]
        ).values_list("slug", "name")
    )
    facets = []
    for name, label, values in (
        (
            "organisation",
            "Organisation",
            sorted(organisation_names, key=organisation_names.get),
        ),
        ("profession", "Profession", PROFESSIONS),
        ("grade", "Grade", [grade for grade, _band in GRADES]),
        ("region", "Region", REGIONS),
    ):
        facet = Facet(name, label)
        for value in values:
            selected = value in chosen.get(name, ())
            if counts[name].get(value) or selected:
                facet.options.append(
                    FacetOption(
                        value,
                        organisation_names.get(value, value),
                        counts[name].get(value, 0),
                        selected,
                    )
                )
        facets.append(facet)
    results = _apply_facets(ranked_profiles(viewer, query), chosen)
    return DirectoryResults(results, facets, total)


def with_card_details(profiles):
    """What a directory card shows, fetched in a fixed number of queries."""
    return profiles.select_related("user", "organisation").prefetch_related("expertise")


# --- Profile page ---------------------------------------------------------------


def contributions_for(viewer, user, limit=50):
    """What `user` has done here, as far as `viewer` may see."""
    return list(
        visible_contributions(viewer)
        .filter(user=user)
        .select_related("space")
        .order_by("-created_at")[:limit]
    )


def topic_strengths(profile, contributions, limit=10):
    """[(topic, strength, declared?, inferred count)], strongest first.

    Declared expertise counts 2; each visible contribution on a topic adds 1.
    """
    declared = {tag.name.lower(): tag.name for tag in profile.expertise.all()}
    inferred = Counter()
    names = dict(declared)
    for contribution in contributions:
        for topic in contribution.topics:
            inferred[topic.lower()] += 1
            names.setdefault(topic.lower(), topic)
    rows = []
    for key, name in names.items():
        is_declared = key in declared
        rows.append(
            (
                name,
                inferred[key] + (2 if is_declared else 0),
                is_declared,
                inferred[key],
            )
        )
    rows.sort(key=lambda row: (-row[1], row[0].lower()))
    return rows[:limit]


# --- Similar people -------------------------------------------------------------


def similar_people(viewer, topics, exclude=(), limit=5):
    """Members whose declared expertise or visible work matches `topics`.

    Used for "People who did similar work" on case studies and questions.
    Contributions in spaces `viewer` cannot see never count. One query.
    """
    topics = [str(topic).strip() for topic in topics if str(topic).strip()][:20]
    if not topics or not (viewer and viewer.is_authenticated):
        return []
    tag_condition = Q()
    for topic in topics:
        tag_condition |= Q(tag__name__iexact=topic)
    declared = (
        TaggedExpertise.objects.filter(tag_condition, content_object_id=OuterRef("pk"))
        .order_by()
        .values("content_object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    exclude_ids = [getattr(user, "pk", user) for user in exclude]
    contributors = _contributors(viewer, topics)
    inferred = contributors.filter(user_id=OuterRef("user_id")).values("n")
    # Candidates first (two IN lists, each run once), so the per-row counts
    # run only for people who match at all.
    candidates = Q(
        pk__in=TaggedExpertise.objects.filter(tag_condition).values("content_object_id")
    ) | Q(user_id__in=contributors.values("user_id"))
    profiles = (
        Profile.objects.listed()
        .filter(candidates)
        .exclude(user_id__in=exclude_ids)
        .annotate(
            declared=Coalesce(Subquery(declared, output_field=IntegerField()), 0),
            inferred=Coalesce(Subquery(inferred, output_field=IntegerField()), 0),
        )
        .annotate(similarity=F("declared") * 3 + F("inferred"))
        .select_related("user", "organisation")
        .order_by(
            "-similarity", F("last_active_at").desc(nulls_last=True), "user__first_name"
        )
    )
    return list(profiles[:limit])


# --- Organisations --------------------------------------------------------------


def organisations_index():
    return (
        Organisation.objects.active()
        .annotate(
            members=Count(
                "profiles",
                filter=Q(profiles__is_leaver=False, profiles__user__is_active=True),
            )
        )
        .order_by("name")
    )


def organisation_spaces(viewer, organisation):
    """(spaces it leads, spaces it takes part in) that `viewer` may know about."""
    spaces = visible_spaces(viewer).filter(archived=False)
    leads = list(spaces.filter(lead_organisation=organisation).order_by("name")[:50])
    takes_part = list(
        spaces.filter(organisations=organisation)
        .exclude(lead_organisation=organisation)
        .distinct()
        .order_by("name")[:50]
    )
    return leads, takes_part


def organisation_case_studies(viewer, organisation, limit=10):
    """Case studies its members wrote, as far as `viewer` may see (one query).

    Read from Contribution rows (kind case_study), so people needs no import
    from casestudies.
    """
    rows = (
        visible_contributions(viewer)
        .filter(
            kind=Contribution.Kind.CASE_STUDY,
            user__profile__organisation=organisation,
        )
        .order_by("-created_at")
        .values("content_type_id", "object_id", "title", "url")[: limit * 3]
    )
    found, seen = [], set()
    for row in rows:
        key = (row["content_type_id"], row["object_id"])
        if key not in seen:
            seen.add(key)
            found.append(row)
    return found[:limit]


def organisation_members(organisation):
    return with_card_details(
        Profile.objects.listed().filter(organisation=organisation)
    ).order_by("user__first_name", "user__last_name")
