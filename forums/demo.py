"""Demo discussions: threads between organisations across a dozen spaces.

Runs after spaces/demo.py. Spaces are looked up by slug (or name); one that
is missing is created with the details below. Safe to run again: a thread
that already exists is left as it is. All content is fictional.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from people import services as people_services
from people.models import Organisation, User
from spaces.models import Membership, Space
from spaces.selectors import space_facilitators

from . import services, signals
from .models import Flag, Post, Reaction, Thread
from .services import MENTION_RE

# Short names for the demo members (home/demo/people.py) who post here.
PEOPLE = {
    "amara": "amara.okafor@dwp.gov.uk",
    "tom": "tom.ashworth@leics.gov.uk",
    "priya": "priya.raman@digital.cabinet-office.gov.uk",
    "gareth": "gareth.lloyd@gov.wales",
    "fiona": "fiona.macleod@gov.scot",
    "daniel": "daniel.osei@nhs.net",
    "helen": "helen.brooks@communities.gov.uk",
    "sam": "sam.whitfield@harborough.gov.uk",
    "ruth": "ruth.adeyemi@cabinetoffice.gov.uk",
}

# slug: (name, kind, visibility, lead organisation abbreviation, purpose)
SPACES = {
    "data-sharing-community": (
        "Data Sharing Community",
        "community",
        "open",
        "DWP",
        "Practitioners who share personal data between public bodies lawfully and safely.",
    ),
    "local-partnerships-network": (
        "Local Partnerships Network",
        "network",
        "open",
        "LGA",
        "Councils and departments working on the same places and the same families.",
    ),
    "shared-platforms-adoption": (
        "Shared Platforms Adoption",
        "project",
        "open",
        "GDS",
        "Helping services adopt common components instead of building their own.",
    ),
    "population-health-analysts": (
        "Population Health Analysts",
        "community",
        "open",
        "NHSE",
        "Analysts linking health, care and wider public data to understand need.",
    ),
    "community-justice-exchange": (
        "Community Justice Exchange",
        "network",
        "open",
        "SG",
        "Comparing community sentences and reintegration support across the nations.",
    ),
    "public-service-reform-wales": (
        "Public Service Reform in Wales",
        "community",
        "open",
        "WG",
        "Lessons from joining up public services under the Well-being of Future "
        "Generations approach.",
    ),
    "user-research-community": (
        "User Research Across Government",
        "community",
        "open",
        "GDS",
        "Researchers sharing methods, recruitment tips and findings across services.",
    ),
    "cost-of-living-support": (
        "Cost of Living Support Council",
        "council",
        "closed",
        "MHCLG",
        "Co-ordinating household support schemes between departments and councils.",
    ),
    "rural-services-network": (
        "Rural Services Network",
        "network",
        "open",
        "HDC",
        "District councils and departments designing services for rural areas.",
    ),
    "evidence-and-evaluation": (
        "Evidence and Evaluation",
        "community",
        "open",
        "CO",
        "Evaluators sharing designs, counterfactuals and what the evidence says.",
    ),
    "tell-us-once-review": (
        "Tell Us Once Review",
        "project",
        "closed",
        "DWP",
        "Reviewing how a death or birth is reported once and shared with every "
        "body that needs to know.",
    ),
    "cross-government-collaboration": (
        "Cross-Government Collaboration",
        "community",
        "open",
        "CO",
        "How we work across organisational boundaries: tools, habits and barriers.",
    ),
}

# (space slug, kind, title, [(author, days ago, body)], accepted reply index,
#  [(post index, reactor, reaction kind)])
THREADS = [
    (
        "data-sharing-community",
        "question",
        "Which legal gateway are councils using for address-change data?",
        [
            (
                "amara",
                21,
                "We want to share change-of-address notifications with councils so "
                "their council tax and housing teams stop writing to empty houses. "
                "Our lawyers are comfortable on our side, but councils keep asking "
                "which gateway they should cite. Has anyone settled this?",
            ),
            (
                "tom",
                20,
                "We cite the public service delivery powers in the Digital Economy "
                "Act 2017, under the objective for multiple disadvantages, and keep "
                "a short data protection impact assessment alongside. Happy to share "
                "our template, @amara-okafor.",
            ),
            (
                "sam",
                19,
                "Same here for Harborough. The thing that took longest was agreeing "
                "retention: we settled on deleting the raw notifications after 90 "
                "days once the record is updated.",
            ),
            (
                "amara",
                18,
                "Thank you both. Tom, the template would save us weeks. I'll mark "
                "yours as the answer so others can find it.",
            ),
        ],
        1,
        [(1, "amara", "thanks"), (1, "sam", "agree"), (2, "amara", "insightful")],
    ),
    (
        "data-sharing-community",
        "discussion",
        "Plain-English privacy notices that people actually read",
        [
            (
                "priya",
                9,
                "We tested three versions of a privacy notice with users last month. "
                "The short layered version with a 'what we share and why' table "
                "beat the long one on comprehension by a wide margin. Sharing the "
                "pattern here in case it helps.",
            ),
            (
                "daniel",
                8,
                "Really useful. In health we found people mostly wanted to know who "
                "would see their data, not the legal basis. Did your table lead with "
                "recipients?",
            ),
            (
                "priya",
                8,
                "It did: recipients first, purpose second, legal basis behind a "
                "'more detail' link.",
            ),
        ],
        None,
        [(0, "daniel", "insightful"), (0, "ruth", "thumbs-up")],
    ),
    (
        "local-partnerships-network",
        "question",
        "How do you fund a shared post between a council and a department?",
        [
            (
                "tom",
                14,
                "We want a jointly funded analyst who works half for the county "
                "and half for a jobcentre district. Who employs them, and how did "
                "you handle line management and vetting?",
            ),
            (
                "helen",
                13,
                "We've seen this work best when one body employs and the other "
                "pays a recharge under a simple memorandum of understanding. Keep "
                "the objectives joint and review them together every quarter.",
            ),
        ],
        None,
        [(1, "tom", "thanks")],
    ),
    (
        "local-partnerships-network",
        "discussion",
        "Working with voluntary sector partners on winter pressures",
        [
            (
                "helen",
                6,
                "Several areas are planning warm spaces again. What has worked for "
                "getting the voluntary sector round the table early rather than "
                "after the money is allocated?",
            ),
            (
                "sam",
                5,
                "A standing monthly call with the council for voluntary service, "
                "started in September, made all the difference for us.",
            ),
            (
                "tom",
                5,
                "Agree with @sam-whitfield. We also gave partners a named contact "
                "in each department's local office.",
            ),
        ],
        None,
        [(1, "helen", "agree"), (2, "helen", "thumbs-up")],
    ),
    (
        "shared-platforms-adoption",
        "question",
        "Has anyone moved from their own SMS supplier to GOV.UK Notify?",
        [
            (
                "gareth",
                12,
                "We are weighing up leaving our current text message contract. "
                "What did migration involve, and did delivery rates change?",
            ),
            (
                "priya",
                11,
                "Most teams switch in a sprint or two. The work is in templates "
                "and in handling delivery receipts; rates usually stay the same or "
                "improve. I can put you in touch with two teams who have done it.",
            ),
            (
                "ruth",
                10,
                "We moved last year. Budget a little time for content design: "
                "shorter messages cost less and people act on them more.",
            ),
        ],
        1,
        [(1, "gareth", "thanks"), (2, "gareth", "insightful")],
    ),
    (
        "population-health-analysts",
        "discussion",
        "Linking housing and health data to understand damp and mould",
        [
            (
                "daniel",
                16,
                "We are exploring a linked dataset of housing repair requests and "
                "respiratory admissions. Has anyone done this with a council and "
                "found a workable way to match records?",
            ),
            (
                "tom",
                15,
                "We matched on address reference numbers rather than names, which "
                "kept it to a pseudonymised join. Happy to compare notes.",
            ),
            (
                "amara",
                14,
                "Worth speaking to our analysts too: we have a method note on "
                "address matching quality we could share.",
            ),
        ],
        None,
        [(1, "daniel", "insightful")],
    ),
    (
        "community-justice-exchange",
        "question",
        "Evidence on short prison sentences versus community orders?",
        [
            (
                "fiona",
                25,
                "Colleagues in England: are you seeing similar reoffending patterns "
                "to ours after the presumption against short sentences? Looking for "
                "comparable evidence for a ministerial briefing.",
            ),
            (
                "ruth",
                24,
                "The published proven reoffending statistics let you compare like "
                "with like if you match on offence and prior record. The evaluation "
                "team can point you to a matched comparison study.",
            ),
            (
                "fiona",
                23,
                "That is exactly what I needed, thank you @ruth-adeyemi.",
            ),
        ],
        1,
        [(1, "fiona", "thanks")],
    ),
    (
        "public-service-reform-wales",
        "discussion",
        "Involving citizens early: what the future generations approach taught us",
        [
            (
                "gareth",
                10,
                "We now ask every programme to show who it involved before the "
                "options were fixed. It slowed the first month and sped up the "
                "rest. Interested in how others build this in.",
            ),
            (
                "fiona",
                9,
                "Similar experience in Scotland with community planning "
                "partnerships. The trick is giving people a real choice, not a "
                "consultation on a decision already taken.",
            ),
        ],
        None,
        [(0, "fiona", "agree"), (1, "gareth", "agree")],
    ),
    (
        "user-research-community",
        "question",
        "Recruiting research participants who don't use digital services",
        [
            (
                "priya",
                7,
                "Our recruitment agency struggles to reach people who avoid online "
                "services. Who has found a reliable route?",
            ),
            (
                "sam",
                6,
                "Libraries and the council's customer service centre. We pay "
                "participants in vouchers and book sessions in person.",
            ),
            (
                "helen",
                6,
                "Local voluntary groups were our best route: they vouched for us, "
                "which mattered more than the incentive.",
            ),
        ],
        None,
        [(1, "priya", "thanks"), (2, "priya", "thanks")],
    ),
    (
        "cost-of-living-support",
        "discussion",
        "Avoiding double payments between national and local schemes",
        [
            (
                "helen",
                4,
                "Some households received both a local hardship payment and a "
                "national one meant to replace it. How are councils checking "
                "eligibility without asking people for the same evidence twice?",
            ),
            (
                "amara",
                3,
                "We can confirm benefit entitlement to councils through the "
                "existing data sharing service, so they don't need to ask "
                "households for award letters.",
            ),
            (
                "tom",
                3,
                "That check cut our processing time by about a third.",
            ),
        ],
        None,
        [(1, "helen", "insightful"), (2, "amara", "thumbs-up")],
    ),
    (
        "rural-services-network",
        "question",
        "Mobile outreach for services in villages without a bus route",
        [
            (
                "sam",
                8,
                "We are trialling a van that visits villages with council, "
                "jobcentre and health advisers on board. Has anyone measured "
                "whether this reaches people who would otherwise miss out?",
            ),
            (
                "daniel",
                7,
                "The NHS screening vans kept simple records of first-time "
                "attenders, which was the best measure of new reach. Worth copying.",
            ),
        ],
        None,
        [(1, "sam", "insightful")],
    ),
    (
        "evidence-and-evaluation",
        "question",
        "Counterfactuals when a programme rolls out everywhere at once",
        [
            (
                "ruth",
                13,
                "Ministers want a national launch, so there is no control group. "
                "What designs have people used to estimate impact?",
            ),
            (
                "daniel",
                12,
                "A staggered start by region, even a few months apart, gives you "
                "a comparison. If that's impossible, interrupted time series on "
                "good administrative data is the next best thing.",
            ),
            (
                "gareth",
                12,
                "We used the second approach for a Wales-wide change and were "
                "open about its limits in the report.",
            ),
        ],
        1,
        [(1, "ruth", "thanks"), (1, "gareth", "agree")],
    ),
    (
        "tell-us-once-review",
        "discussion",
        "Which organisations still don't receive Tell Us Once notifications?",
        [
            (
                "amara",
                11,
                "We are mapping the bodies that still write to bereaved families "
                "after a death was reported. Please add any you know of.",
            ),
            (
                "tom",
                10,
                "Some adult social care teams are still outside it in our county.",
            ),
        ],
        None,
        [],
    ),
    (
        "cross-government-collaboration",
        "discussion",
        "What stops you collaborating with another department?",
        [
            (
                "ruth",
                3,
                "Gathering examples for a short paper. For us it's mostly finding "
                "the right person: the org chart never says who actually knows.",
            ),
            (
                "gareth",
                2,
                "Different information handling rules, and not knowing whether "
                "we're allowed to share a draft early.",
            ),
            (
                "fiona",
                2,
                "Time. Collaboration is never in anyone's objectives. "
                "@priya-raman did GDS ever try joint objectives?",
            ),
            (
                "priya",
                1,
                "We did for one programme, and it worked: shared objectives and a "
                "shared backlog. I'll write it up as a case study.",
            ),
        ],
        None,
        [(0, "helen", "agree"), (2, "ruth", "agree"), (3, "fiona", "thanks")],
    ),
]


# Spaces the spaces demo makes that suit these threads better: used when present.
PREFERRED = {
    "community-justice-exchange": "community-justice-practitioners",
    "local-partnerships-network": "neighbourhood-renewal-network",
    "shared-platforms-adoption": "devolved-digital-council",
    "cost-of-living-support": "benefit-take-up-pilot",
}


def _space(slug):
    space = Space.objects.filter(slug=PREFERRED.get(slug, slug)).first()
    if space is None:
        space = Space.objects.filter(slug=slug).first()
    name, kind, visibility, lead, purpose = SPACES[slug]
    if space is None:
        space = Space.objects.filter(name=name).first()
    if space is None:
        organisation = (
            Organisation.objects.filter(abbreviation=lead).first()
            or Organisation.objects.first()
        )
        space, _ = Space.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "visibility": visibility,
                "lead_organisation": organisation,
                "purpose": purpose,
            },
        )
    return space


def _ensure_member(space, user):
    Membership.objects.get_or_create(space=space, user=user)


@transaction.atomic
def load():
    people = {
        key: User.objects.filter(email=email).first() for key, email in PEOPLE.items()
    }
    people = {key: user for key, user in people.items() if user is not None}
    if not people:
        return "skipped: the demo members are missing (run the people demo first)"
    now = timezone.now()
    created = posts_made = 0
    spaces = set()
    for slug, kind, title, posts, accepted, reactions in THREADS:
        space = _space(slug)
        spaces.add(space.pk)
        authors = [people.get(author) for author, _days, _body in posts]
        if any(author is None for author in authors):
            continue
        thread, made = Thread.objects.get_or_create(
            space=space,
            title=title,
            defaults={
                "kind": kind,
                "author": authors[0],
                "created_at": now - timedelta(days=posts[0][1]),
            },
        )
        if not made:
            continue
        created += 1
        saved = []
        for (_author_key, days, body), author in zip(posts, authors, strict=True):
            _ensure_member(space, author)
            post = Post.objects.create(
                thread=thread,
                author=author,
                body=body,
                created_at=now - timedelta(days=days, hours=len(saved)),
            )
            saved.append(post)
            people_services.follow_set(user=author, target=thread)
            handles = MENTION_RE.findall(body)
            mentioned = [
                user
                for user in people_services.members_by_handle(handles)
                if user.pk != author.pk
            ]
            transaction.on_commit(
                lambda post=post, author=author, mentioned=mentioned, first=not saved[:-1]: (
                    signals.post_created.send(
                        sender=Post,
                        post=post,
                        thread=post.thread,
                        author=author,
                        mentioned=mentioned,
                        is_first_post=first,
                    )
                )
            )
        posts_made += len(saved)
        for index, reactor, reaction in reactions:
            if reactor in people:
                _ensure_member(space, people[reactor])
                Reaction.objects.get_or_create(
                    post=saved[index], user=people[reactor], kind=reaction
                )
        thread.post_count = len(saved)
        thread.last_post_at = saved[-1].created_at
        thread.organisations_count = len(
            {
                author.profile.organisation_id
                for author in authors
                if author.profile.organisation_id
            }
        )
        if accepted is not None:
            answer = saved[accepted]
            thread.accepted_answer = answer
            people_services.contribution_record(
                user=answer.author,
                kind="accepted_answer",
                target=answer,
                title=thread.title,
                url=answer.get_absolute_url(),
                space=space,
                marking=thread.marking,
            )
        thread.save()
    reports = _moderation(people)
    return (
        f"{created} new threads ({posts_made} posts) across {len(spaces)} spaces; "
        f"{Thread.objects.count()} threads in all; {reports}"
    )


# (thread title, post index, reporter, reason, facilitator's dismissal or None)
REPORTS = [
    (
        "Plain-English privacy notices that people actually read",
        1,
        "sam",
        "This quotes a resident's letter word for word. Could someone check it "
        "can't identify them before more people read it?",
        None,  # left open: the facilitator's moderation queue has it waiting
    ),
    (
        "Which legal gateway are councils using for address-change data?",
        0,
        "ruth",
        "It names one supplier's product; is that advertising?",
        "It names the supplier as an example of what councils use, not to sell "
        "it. The guidelines allow that, so the post stays.",
    ),
]


def _moderation(people):
    """A report waiting in a facilitator's queue and one already dismissed,
    made through the services so the moderation and audit logs record them."""
    made = 0
    for title, index, reporter_key, reason, dismissal in REPORTS:
        thread = Thread.objects.select_related("space").filter(title=title).first()
        reporter = people.get(reporter_key)
        if thread is None or reporter is None:
            continue
        post = thread.posts.order_by("created_at", "pk")[index : index + 1].first()
        if post is None or Flag.objects.filter(post=post, reporter=reporter).exists():
            continue
        flag = services.flag_create(post=post, user=reporter, reason=reason)
        made += 1
        if dismissal:
            facilitator = _facilitator(thread.space, people)
            if facilitator is not None:
                services.flag_dismiss(
                    flag=flag, moderator=facilitator, reason=dismissal
                )
    open_reports = Flag.objects.filter(status=Flag.Status.OPEN).count()
    return f"{made} new reports, {open_reports} waiting for a moderator"


def _facilitator(space, people):
    """The space's first facilitator; Amara (its lead organisation's member)
    takes the role where the demo made the space without one."""
    found = space_facilitators(space).first()
    if found:
        return found
    amara = people.get("amara")
    if amara is None:
        return None
    Membership.objects.update_or_create(
        space=space, user=amara, defaults={"role": Membership.Role.FACILITATOR}
    )
    return amara
