"""The weekly digest: what each member gets, built for a batch at a time.

`build_contexts(user_ids, period=...)` reads everything for the batch with a
fixed number of queries (selectors), then assembles each member's sections in
Python, asking `spaces.access` about every item (memberships primed, so that
costs nothing more). Sections are plain lists of items; an empty section is
left out, and a digest with too few personal items is skipped.

Marking-safe: OFFICIAL-SENSITIVE items never appear by title; they show as
"something new in <space>, sign in to read it", and only to the space's
members. Items the member may not read are left out altogether.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from spaces import access
from spaces.models import Marking, Space

from . import selectors
from .emails import absolute, digest_view_token, footer_context
from .models import Kind

# --- periods ------------------------------------------------------------------------


def current_period(now=None):
    """The ISO week, e.g. "2026-W47", in the site's time zone."""
    today = timezone.localdate(now or timezone.now())
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def parse_period(period):
    """(year, week) from "2026-W47"; ValueError for anything else."""
    try:
        year, week = period.split("-W")
        year, week = int(year), int(week)
        datetime.date.fromisocalendar(year, week, 1)
    except (AttributeError, ValueError) as exc:
        raise ValueError(f"Not an ISO week like 2026-W47: {period!r}") from exc
    return year, week


def period_window(period):
    """The week a period's digest covers: the seven days before its Monday."""
    year, week = parse_period(period)
    monday = datetime.date.fromisocalendar(year, week, 1)
    until = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    return until - datetime.timedelta(days=7), until


# --- items and sections ---------------------------------------------------------------


@dataclass
class Item:
    title: str
    url: str
    detail: str = ""
    sensitive: bool = False
    key: object = None  # what it lists, where sections must not repeat it


@dataclass
class Section:
    key: str
    heading: str
    items: list
    personal: bool = True  # counts towards "worth sending"


@dataclass
class Digest:
    user: object
    period: str
    since: datetime.datetime
    until: datetime.datetime
    sections: list = field(default_factory=list)

    @property
    def personal_count(self):
        return sum(len(s.items) for s in self.sections if s.personal)

    @property
    def item_count(self):
        return sum(len(s.items) for s in self.sections)

    def worth_sending(self):
        return self.personal_count >= settings.COP_DIGEST_MIN_ITEMS

    def subject(self):
        return digest_subject(self)

    def context(self):
        return {
            "digest": self,
            "user": self.user,
            "sections": self.sections,
            "subject": self.subject(),
            "period": self.period,
            "since": self.since,
            "until": self.until - datetime.timedelta(seconds=1),
            "view_url": absolute(
                _reverse(
                    "notifications:digest_view",
                    digest_view_token(self.user.pk, self.period),
                )
            ),
            **footer_context(self.user.pk, Kind.DIGEST),
        }


def _reverse(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


PHRASES = {
    "threads": ("a lively discussion", "{n} lively discussions"),
    "questions": ("a question you could answer", "{n} questions you could answer"),
    "documents": ("a new document", "{n} new documents"),
    "members": ("a new member", "{n} new members"),
    "case_studies": ("a new case study or lesson", "{n} new case studies and lessons"),
    "notifications": ("an update for you", "{n} updates for you"),
}


def digest_subject(digest):
    parts = []
    for section in digest.sections:
        if section.key not in PHRASES:
            continue
        one, many = PHRASES[section.key]
        n = len(section.items)
        parts.append(one if n == 1 else many.format(n=n))
    if not parts:
        return "Your week on Joined Up"
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:]


def _url(obj):
    """An item's absolute URL, worked out once per object per batch."""
    cached = obj.__dict__.get("_digest_url")
    if cached:
        return cached
    url = absolute("/")
    for name in ("get_absolute_url", "get_url"):
        method = getattr(obj, name, None)
        if callable(method):
            try:
                url = absolute(method() or "/")
                break
            except Exception:  # noqa: S112 - not routed yet: link to the site
                continue
    obj.__dict__["_digest_url"] = url
    return url


def _sensitive_item(space, what):
    return Item(
        title=f"{what} marked OFFICIAL-SENSITIVE in {space.name}",
        url=absolute("/accounts/login/"),
        detail="Sign in to read it.",
        sensitive=True,
    )


# --- building ----------------------------------------------------------------------------


def build_contexts(user_ids, *, period=None, since=None, until=None):
    """{user_id: Digest} for the active members among `user_ids`.

    A fixed number of queries whatever the batch size: each selector answers
    for the whole batch.
    """
    period = period or current_period()
    if since is None or until is None:
        since, until = period_window(period)
    limit = settings.COP_DIGEST_SECTION_LIMIT
    users = selectors.members(user_ids)
    if not users:
        return {}
    ids = [u.pk for u in users]
    follows = selectors.follows_of(ids)
    member_spaces = selectors.member_spaces_of(ids)
    expertise = selectors.expertise_of(ids)
    space_ct = ContentType.objects.get_for_model(Space).pk
    person_ct = ContentType.objects.get_for_model(users[0]).pk

    def followed_people(uid):
        return {
            oid
            for (ct, oid), muted in follows[uid].items()
            if ct == person_ct and not muted
        }

    theme_ct = selectors.content_type_id("casestudies.Theme")
    organisation_ct = selectors.content_type_id("people.Organisation")

    def followed_organisations(uid):
        return {
            oid
            for (ct, oid), muted in follows[uid].items()
            if ct == organisation_ct and not muted
        }

    def followed_spaces(uid):
        """Spaces followed or belonged to, minus muted ones."""
        mine = {oid for (ct, oid), muted in follows[uid].items() if ct == space_ct}
        muted = {oid for (ct, oid), m in follows[uid].items() if ct == space_ct and m}
        return (mine | member_spaces[uid]) - muted

    all_member_spaces = set().union(*member_spaces.values()) if member_spaces else set()
    all_followed = set().union(*(followed_spaces(uid) for uid in ids))

    threads = selectors.lively_threads(all_followed, since, until)
    questions = selectors.open_questions(all_member_spaces, since, until)
    documents = selectors.new_documents(all_member_spaces, since, until)
    joiners = selectors.new_members(all_member_spaces, since, until)
    unread_by_user = defaultdict(list)
    for notification in selectors.unread_for_digest(ids, since, until):
        unread_by_user[notification.recipient_id].append(notification)
    picks = selectors.editors_picks()
    case_studies = selectors.new_case_studies(since, until)
    lessons = selectors.new_lessons(since, until)
    children = selectors.theme_children() if theme_ct else {}
    # One query for both "From people you follow" and "From organisations
    # you follow".
    work = selectors.work_by(
        set().union(*(followed_people(u) for u in ids)),
        since,
        until,
        organisation_ids=set().union(*(followed_organisations(u) for u in ids)),
    )

    # One Space object per id, shared by every item, and one query that tells
    # spaces.access every member's membership of every one of them.
    items = [*threads, *questions, *documents, *joiners, *picks, *case_studies]
    items += lessons
    items += work
    spaces = selectors.spaces_by_id(
        {obj.space_id for obj in items if obj.space_id is not None}
    )
    for obj in items:
        if obj.space_id is not None:
            obj.space = spaces[obj.space_id]
    access.prime_memberships(users, spaces.values())

    digests = {}
    for user in users:
        uid = user.pk
        digest = Digest(user=user, period=period, since=since, until=until)
        mine = followed_spaces(uid)
        themes = _widen(
            {
                oid
                for (ct, oid), muted in follows[uid].items()
                if ct == theme_ct and not muted
            },
            children,
        )
        # A question someone could answer is listed there, not twice.
        asked = _questions_for(user, questions, expertise[uid], limit)
        from_people = _work_for(user, work, people=followed_people(uid), limit=limit)
        sections = [
            Section(
                "picks",
                "Editors' picks",
                _pages_for(user, picks, None, 3),
                personal=False,
            ),
            Section(
                "case_studies",
                "New case studies and lessons in themes you follow",
                _pages_for(user, [*case_studies, *lessons], themes, limit),
            ),
            Section(
                "notifications",
                "For you",
                [
                    Item(
                        title=n.title,
                        url=absolute(n.url or "/notifications/"),
                        sensitive=n.is_sensitive,
                    )
                    for n in unread_by_user[uid][:limit]
                ],
            ),
            Section("people", "From people you follow", from_people),
            Section(
                "organisations",
                "From organisations you follow",
                _work_for(
                    user,
                    work,
                    limit=limit,
                    organisations=followed_organisations(uid),
                    skip={item.key for item in from_people},
                ),
            ),
            Section(
                "threads",
                "Lively discussions in spaces you follow",
                _threads_for(user, threads, mine, limit, skip=asked),
            ),
            Section(
                "questions",
                "Questions you could answer",
                [Item(title=t.title, url=_url(t), detail=t.space.name) for t in asked],
            ),
            Section(
                "documents",
                "New documents in your spaces",
                _documents_for(user, documents, member_spaces[uid], limit),
            ),
            Section(
                "members",
                "New members in your spaces",
                _members_for(user, joiners, member_spaces[uid], limit),
            ),
        ]
        digest.sections = [s for s in sections if s.items]
        digests[uid] = digest
    return digests


def _widen(theme_ids, children):
    """Followed themes plus every theme beneath them."""
    found, todo = set(), list(theme_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def _page_themes(page):
    source = (
        getattr(page, "source_case_study", None) if hasattr(page, "lesson") else page
    )
    if source is None:
        return set()
    return {theme.pk for theme in source.themes.all()}  # prefetched


def _pages_for(user, pages, themes, limit):
    """Case studies and lessons `user` may read; in `themes` unless None.
    Sensitive pages are left out: digests never name them."""
    if themes is not None and not themes:
        return []
    found = []
    for page in pages:
        if themes is not None and not (_page_themes(page) & themes):
            continue
        ok, redacted = _visible(user, page)
        if not ok or redacted:
            continue
        summary = getattr(page, "summary", "") or getattr(page, "lesson", "")
        found.append(Item(title=page.title, url=_url(page), detail=summary[:140]))
        if len(found) >= limit:
            break
    return found


def _work_for(user, work, *, limit, people=(), organisations=(), skip=()):
    """Case studies and accepted answers by the `people`, or by members of the
    `organisations`, that `user` may read and that are not sensitive (a
    digest never names a sensitive item). Never the reader's own work, nor
    what `skip` names (contributions already listed in another section)."""
    found = []
    for contribution in work:
        if contribution.pk in skip or contribution.user_id == user.pk:
            continue
        author = contribution.user
        organisation = getattr(getattr(author, "profile", None), "organisation", None)
        if contribution.user_id not in people and (
            organisation is None or organisation.pk not in organisations
        ):
            continue
        ok, redacted = _visible(user, contribution)
        if not ok or redacted:
            continue
        who = author.display_name
        if organisation is not None and organisation.pk in organisations:
            who += f" ({organisation.short_name})"
        found.append(
            Item(
                title=contribution.title,
                url=absolute(contribution.url or "/"),
                detail=f"{who}: {contribution.get_kind_display().lower()}",
                key=contribution.pk,
            )
        )
        if len(found) >= limit:
            break
    return found


def _visible(user, obj):
    """(item may be described, must be redacted) according to spaces.access."""
    if not access.can_view(user, obj):
        return False, False
    sensitive = getattr(obj, "marking", None) == Marking.SENSITIVE
    return True, sensitive or access.redacted_for(user, obj)


def _threads_for(user, threads, space_ids, limit, skip=()):
    found = []
    for thread in threads:
        if thread.space_id not in space_ids or thread in skip:
            continue
        ok, redacted = _visible(user, thread)
        if not ok:
            continue
        if redacted:
            found.append(_sensitive_item(thread.space, "A discussion"))
        else:
            orgs = thread.organisations_count
            replies = max(thread.post_count - 1, 0)
            found.append(
                Item(
                    title=thread.title,
                    url=_url(thread),
                    detail=f"{thread.space.name}: {orgs} organisation"
                    f"{'' if orgs == 1 else 's'}, {replies} repl"
                    f"{'y' if replies == 1 else 'ies'}",
                )
            )
        if len(found) >= limit:
            break
    return found


def _matches(title, topics):
    words = title.lower()
    return any(topic in words for topic in topics)


def _questions_for(user, questions, topics, limit):
    if not topics:
        return []
    found = []
    for thread in questions:
        if thread.author_id == user.pk or not _matches(thread.title, topics):
            continue
        ok, redacted = _visible(user, thread)
        if not ok or redacted:
            continue  # never ask someone to answer what they cannot read
        found.append(thread)
        if len(found) >= limit:
            break
    return found


def _documents_for(user, documents, space_ids, limit):
    found = []
    for document in documents:
        if document.space_id not in space_ids or document.created_by_id == user.pk:
            continue
        ok, redacted = _visible(user, document)
        if not ok:
            continue
        if redacted:
            found.append(_sensitive_item(document.space, "A new document"))
        else:
            found.append(
                Item(
                    title=document.title, url=_url(document), detail=document.space.name
                )
            )
        if len(found) >= limit:
            break
    return found


def _members_for(user, joiners, space_ids, limit):
    found = []
    for membership in joiners:
        if membership.space_id not in space_ids or membership.user_id == user.pk:
            continue
        if not access.can_view_space(user, membership.space):
            continue
        person = membership.user
        if not person.is_active:
            continue
        profile = getattr(person, "profile", None)
        organisation = getattr(profile, "organisation", None)
        who = person.display_name + (
            f" ({organisation.short_name})" if organisation else ""
        )
        found.append(
            Item(
                title=who,
                url=_url(membership.space),
                detail=f"joined {membership.space.name}",
            )
        )
        if len(found) >= limit:
            break
    return found


def build_one(user, *, period=None, since=None, until=None):
    return build_contexts([user.pk], period=period, since=since, until=until).get(
        user.pk
    )


def preview_window(now=None):
    """The last seven days up to now, for "preview my digest"."""
    until = now or timezone.now()
    return until - datetime.timedelta(days=7), until
