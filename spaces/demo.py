"""Demo spaces: every kind and visibility, members from several organisations,
documents with versions, a project with a charter and an action log.

Called by `manage.py load_demo_data` after the people demo. Safe to run
again: rows are found by name and updated, and only missing versions are
uploaded. Members are looked up by email; any who do not exist are skipped.
The facts behind the content are public cross-government collaborations
(see the reference notes); the people and the details are invented.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from people.models import Organisation, Profile, User
from people.services import organisation_for_email

from . import services
from .files import bytes_upload
from .models import (
    Action,
    Document,
    DocumentAccess,
    DocumentComment,
    Folder,
    JoinRequest,
    Membership,
    Space,
    SpaceInvitation,
    SpaceOrganisation,
)

AMARA = "amara.okafor@dwp.gov.uk"
TOM = "tom.ashworth@leics.gov.uk"
PRIYA = "priya.raman@digital.cabinet-office.gov.uk"
GARETH = "gareth.lloyd@gov.wales"
FIONA = "fiona.macleod@gov.scot"
DANIEL = "daniel.osei@nhs.net"
HELEN = "helen.brooks@communities.gov.uk"
SAM = "sam.whitfield@harborough.gov.uk"
RUTH = "ruth.adeyemi@cabinetoffice.gov.uk"
# Members only the spaces demo needs; made here if the people demo lacks them.
KEMI = "kemi.adebayo@hmrc.gov.uk"
MARK = "mark.jennings@leeds.gov.uk"
LUCY = "lucy.hart@ncvo.org.uk"

EXTRA_MEMBERS = [
    (KEMI, "Kemi", "Adebayo", "Senior Analyst, Customer Insight"),
    (MARK, "Mark", "Jennings", "Head of Welfare Rights"),
    (LUCY, "Lucy", "Hart", "Policy Manager, Public Services"),
]

SPACES = [
    {
        "slug": "data-sharing-community",
        "name": "Data Sharing Community of Practice",
        "kind": "community",
        "visibility": "open",
        "ceiling": "official",
        "lead": "DWP",
        "purpose": "For anyone who agrees, builds or signs off data sharing between "
        "public bodies: templates that passed legal review, lessons from "
        "agreements that stalled, and people who have done it before.",
        "members": [
            (AMARA, "owner"),
            (PRIYA, "facilitator"),
            (TOM, "member"),
            (DANIEL, "member"),
            (KEMI, "member"),
            (FIONA, "member"),
            (HELEN, "member"),
        ],
        "organisations": [
            ("DWP", "Hosts the community and its template library", ""),
            ("GDS", "Brings the data standards team", ""),
            ("HMRC", "Shares its agreements with other departments", ""),
        ],
    },
    {
        "slug": "benefit-take-up-pilot",
        "name": "Benefit Take-up Pilot: Leicestershire",
        "kind": "project",
        "visibility": "closed",
        "ceiling": "official-sensitive",
        "lead": "DWP",
        "purpose": "A joint invest-to-save pilot: use council and DWP data together "
        "to find households missing out on Pension Credit and help them claim.",
        "charter_outputs": "A lawful data sharing agreement between DWP and two "
        "councils; a referral route from council teams to DWP; an independent "
        "evaluation of take-up and savings after twelve months.",
        "charter_timescale": "April 2026 to March 2027",
        "charter_benefits": "Households get money they are owed; councils spend "
        "less on crisis support; DWP learns which outreach works before a wider "
        "roll-out.",
        "members": [
            (AMARA, "owner"),
            (TOM, "facilitator"),
            (SAM, "member"),
            (DANIEL, "member"),
            (MARK, "member"),
        ],
        "organisations": [
            (
                "DWP",
                "Leads; matches records and processes claims",
                "Evidence for a national outreach model",
            ),
            (
                "LCC",
                "Identifies households through council tax support",
                "Lower demand for crisis grants",
            ),
            (
                "HDC",
                "Runs outreach through its customer service centre",
                "A tested referral route its staff can keep using",
            ),
            (
                "NHSE",
                "Shares frailty data through the local integrated care board",
                "Fewer admissions linked to cold homes and poor diet",
            ),
        ],
        "actions": [
            ("Sign the data sharing agreement", TOM, -12, "in-progress"),
            ("Agree the evaluation questions with the analysts", DANIEL, 14, "open"),
            ("Train customer service staff on the referral route", SAM, 30, "open"),
            ("Publish the privacy notice on both councils' sites", TOM, -40, "done"),
        ],
        "pending_request": GARETH,
    },
    {
        "slug": "district-shared-services-board",
        "name": "District Shared Services Board",
        "kind": "council",
        "visibility": "secret",
        "ceiling": "official-sensitive",
        "lead": "HDC",
        "purpose": "Chief officers of neighbouring districts deciding which services "
        "to share next. Options and staffing papers are sensitive until the "
        "councils decide.",
        "members": [(SAM, "owner"), (TOM, "member"), (MARK, "member")],
        "organisations": [
            ("HDC", "Chairs the board", "Savings shared in proportion to spend"),
            ("LCC", "Provides the county's view on two-tier services", ""),
        ],
    },
    {
        "slug": "neighbourhood-renewal-network",
        "name": "Neighbourhood Renewal Network",
        "kind": "network",
        "visibility": "open",
        "ceiling": "official",
        "lead": "MHCLG",
        "purpose": "People working on place-based regeneration, inside and outside "
        "government, picking up where the policy action teams left off.",
        "members": [
            (HELEN, "owner"),
            (GARETH, "member"),
            (LUCY, "member"),
            (TOM, "member"),
        ],
        "organisations": [("MHCLG", "Hosts the network", ""), ("NCVO", "", "")],
    },
    {
        "slug": "community-justice-practitioners",
        "name": "Community Justice Practitioners",
        "kind": "community",
        "visibility": "closed",
        "ceiling": "official",
        "lead": "SG",
        "purpose": "Practitioners from the Scottish and Welsh governments and "
        "partners comparing approaches to community sentences and "
        "rehabilitation.",
        "members": [(FIONA, "owner"), (GARETH, "facilitator"), (LUCY, "member")],
        "organisations": [("SG", "", ""), ("WG", "", "")],
    },
    {
        "slug": "pandemic-preparedness-forum",
        "name": "Pandemic Preparedness Stakeholder Forum",
        "kind": "network",
        "visibility": "closed",
        "ceiling": "official",
        "lead": "NHSE",
        "purpose": "Departments, the NHS, industry and voluntary groups keeping one "
        "another current on the pandemic framework, with a regular newsletter "
        "everyone can forward.",
        "members": [(DANIEL, "owner"), (HELEN, "member"), (KEMI, "member")],
        "organisations": [("NHSE", "", ""), ("MHCLG", "", ""), ("HMRC", "", "")],
    },
    {
        "slug": "devolved-digital-council",
        "name": "Devolved Digital Council",
        "kind": "council",
        "visibility": "closed",
        "ceiling": "official",
        "lead": "GDS",
        "purpose": "Digital leads from the UK and devolved governments agreeing "
        "shared components and how they are funded.",
        "members": [(PRIYA, "owner"), (GARETH, "member"), (FIONA, "member")],
        "organisations": [("GDS", "", ""), ("WG", "", ""), ("SG", "", "")],
    },
    {
        "slug": "local-agreements-review",
        "name": "Local Public Service Agreements Review",
        "kind": "project",
        "visibility": "secret",
        "ceiling": "official",
        "lead": "MHCLG",
        "purpose": "Reviewing whether stretch targets agreed with councils in "
        "return for upfront funding are worth reviving. Not announced.",
        "charter_outputs": "A short options paper for ministers.",
        "charter_timescale": "Autumn 2026",
        "charter_benefits": "Councils get a say before anything is announced.",
        "members": [(HELEN, "owner"), (TOM, "member")],
        "organisations": [
            ("MHCLG", "Writes the options paper", "Advice grounded in practice"),
            ("LCC", "Tests the options against a county's plans", "Early sight"),
        ],
        "actions": [("Draft the options paper", HELEN, 21, "in-progress")],
    },
    {
        "slug": "report-template-streamlining",
        "name": "Report Template Streamlining",
        "kind": "project",
        "visibility": "open",
        "ceiling": "official",
        "lead": "HDC",
        "purpose": "One committee report template instead of five, with fewer "
        "approval steps. Open so other councils can reuse what we learn.",
        "charter_outputs": "One template; a shorter approval route; a guide.",
        "charter_timescale": "Three months",
        "charter_benefits": "Officers spend less time formatting; members get "
        "clearer reports.",
        "members": [(SAM, "owner"), (MARK, "member"), (TOM, "member")],
        "organisations": [
            ("HDC", "Owns the template", "Less time on formatting"),
            ("LeedsCC", "Reviews it from a city council's side", "A template to adopt"),
        ],
        "actions": [
            ("Collect the five current templates", SAM, -30, "done"),
            ("Test the draft template with two committees", MARK, -5, "open"),
        ],
    },
]

# space slug -> documents: (title, marking, folder, tags, uploader, versions)
# where versions is a list of (filename, kind, text, note)
DOCUMENTS = {
    "data-sharing-community": [
        (
            "Data sharing agreement template",
            "official",
            "Templates",
            ["data sharing", "templates"],
            AMARA,
            [
                ("dsa-template.pdf", "pdf", "Data sharing agreement: template", ""),
                (
                    "dsa-template-v2.pdf",
                    "pdf",
                    "Data sharing agreement: template (revised retention clause)",
                    "Retention clause rewritten after legal review",
                ),
                (
                    "dsa-template-v3.pdf",
                    "pdf",
                    "Data sharing agreement: template (with DPIA checklist)",
                    "Added the DPIA checklist as an annex",
                ),
            ],
        ),
        (
            "Agreements that stalled: lessons",
            "official",
            None,
            ["lessons", "data sharing"],
            PRIYA,
            [
                (
                    "stalled-agreements.md",
                    "text",
                    "# Why agreements stall\n\n- Nobody owns the legal gateway.\n"
                    "- Security teams see the request too late.\n",
                    "",
                ),
            ],
        ),
    ],
    "benefit-take-up-pilot": [
        (
            "Pilot plan",
            "official",
            "Plans",
            ["pension credit", "outreach"],
            AMARA,
            [
                ("pilot-plan.pdf", "pdf", "Benefit take-up pilot: plan (draft)", ""),
                (
                    "pilot-plan-v2.pdf",
                    "pdf",
                    "Benefit take-up pilot: plan (agreed by the board)",
                    "Agreed at the first board meeting",
                ),
            ],
        ),
        (
            "Matched households by district",
            "official-sensitive",
            "Data",
            ["pension credit"],
            TOM,
            [
                (
                    "matched-households.csv",
                    "csv",
                    "district,households_matched,referred\n"
                    "Harborough,412,96\nBlaby,388,71\n",
                    "",
                ),
                (
                    "matched-households-v2.csv",
                    "csv",
                    "district,households_matched,referred\n"
                    "Harborough,430,121\nBlaby,401,88\n",
                    "Figures to the end of the second month",
                ),
            ],
        ),
    ],
    "district-shared-services-board": [
        (
            "Options for sharing revenues and benefits",
            "official-sensitive",
            None,
            ["shared services"],
            SAM,
            [("options-paper.pdf", "pdf", "Shared revenues and benefits: options", "")],
        ),
    ],
    "report-template-streamlining": [
        (
            "Draft committee report template",
            "official",
            None,
            ["templates"],
            SAM,
            [
                ("report-template.txt", "text", "Title\nSummary\nRecommendation\n", ""),
                (
                    "report-template-v2.txt",
                    "text",
                    "Title\nSummary\nRecommendation\nFinancial implications\n",
                    "Added financial implications after the first committee test",
                ),
            ],
        ),
    ],
}

COMMENTS = [
    (
        "data-sharing-community",
        "Data sharing agreement template",
        KEMI,
        "We used version 2 for a DWP-HMRC agreement: the new retention clause "
        "got through our legal team **first time**.",
    ),
    (
        "benefit-take-up-pilot",
        "Pilot plan",
        DANIEL,
        "Can we add the frailty data to month three? The ICB has agreed in principle.",
    ),
]


def pdf_bytes(text):
    """A small, valid one-page PDF showing `text`."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 760 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _file_bytes(kind, text):
    return pdf_bytes(text) if kind == "pdf" else text.encode()


def _ensure_extra_members():
    from home.demo.people import DEMO_PASSWORD

    for email, first, last, job_title in EXTRA_MEMBERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        profile, _ = Profile.objects.get_or_create(user=user)
        if not profile.organisation_id:
            profile.organisation = organisation_for_email(email)
        profile.job_title = profile.job_title or job_title
        profile.save()


def _users(emails):
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def _load_space(spec, users, organisations, today):
    lead = organisations.get(spec["lead"])
    if lead is None:
        return None
    space, _ = Space.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "purpose": spec["purpose"],
            "kind": spec["kind"],
            "visibility": spec["visibility"],
            "ceiling": spec["ceiling"],
            "lead_organisation": lead,
            "created_by": users.get(spec["members"][0][0]),
            "charter_outputs": spec.get("charter_outputs", ""),
            "charter_timescale": spec.get("charter_timescale", ""),
            "charter_benefits": spec.get("charter_benefits", ""),
        },
    )
    for abbreviation, role, benefits in spec.get("organisations", []):
        organisation = organisations.get(abbreviation)
        if organisation:
            SpaceOrganisation.objects.update_or_create(
                space=space,
                organisation=organisation,
                defaults={"role": role, "benefits": benefits},
            )
    for email, role in spec["members"]:
        user = users.get(email)
        if user is None:
            continue
        membership, _ = Membership.objects.update_or_create(
            space=space, user=user, defaults={"role": role}
        )
        services._record_facilitation(membership)
        if user.profile.organisation_id:
            SpaceOrganisation.objects.get_or_create(
                space=space, organisation_id=user.profile.organisation_id
            )
    for description, owner, days, status in spec.get("actions", []):
        Action.objects.update_or_create(
            space=space,
            description=description,
            defaults={
                "owner": users.get(owner),
                "due_date": today + timedelta(days=days),
                "status": status,
            },
        )
    requester = users.get(spec.get("pending_request"))
    if requester and not Membership.objects.filter(space=space, user=requester):
        JoinRequest.objects.get_or_create(
            space=space,
            user=requester,
            status=JoinRequest.Status.PENDING,
            defaults={"message": "Wales is planning a similar pilot next year."},
        )
    return space


def _load_documents(space, specs, users, readers):
    count = 0
    for title, marking, folder_name, tags, uploader_email, versions in specs:
        uploader = users.get(uploader_email)
        if uploader is None:
            continue
        folder = None
        if folder_name:
            folder, _ = Folder.objects.get_or_create(
                space=space, parent=None, name=folder_name
            )
        document = Document.objects.filter(space=space, title=title).first()
        have = document.versions.count() if document else 0
        for number, (filename, kind, text, note) in enumerate(versions, start=1):
            if number <= have:
                continue
            services.document_upload(
                space=space,
                by=uploader,
                upload=bytes_upload(filename, _file_bytes(kind, text)),
                document=document,
                title=title,
                marking=marking,
                folder=folder,
                tags=tags,
                note=note,
            )
            document = Document.objects.get(space=space, title=title)
        count += 1
        # A download or two, so facilitators' access log has something in it.
        for reader in readers:
            if not DocumentAccess.objects.filter(document=document, user=reader):
                DocumentAccess.objects.create(
                    document=document, version=document.current_version, user=reader
                )
    return count


@transaction.atomic
def load():
    _ensure_extra_members()
    emails = {email for spec in SPACES for email, _ in spec["members"]}
    emails |= {spec["pending_request"] for spec in SPACES if "pending_request" in spec}
    users = _users(emails)
    organisations = {
        org.abbreviation: org
        for org in Organisation.objects.exclude(abbreviation="").order_by("-pk")
    }
    today = timezone.localdate()
    spaces, documents = {}, 0
    for spec in SPACES:
        space = _load_space(spec, users, organisations, today)
        if space is None:
            continue
        spaces[space.slug] = space
        readers = [users[e] for e, _ in spec["members"][:3] if e in users]
        documents += _load_documents(
            space, DOCUMENTS.get(space.slug, []), users, readers
        )
    for slug, title, author_email, body in COMMENTS:
        author = users.get(author_email)
        document = Document.objects.filter(space__slug=slug, title=title).first()
        if (
            author
            and document
            and not DocumentComment.objects.filter(document=document, author=author)
        ):
            services.document_comment_create(document=document, by=author, body=body)
    pilot = spaces.get("benefit-take-up-pilot")
    inviter = users.get(AMARA)
    if pilot and inviter:
        SpaceInvitation.objects.get_or_create(
            space=pilot,
            email="jo.parry@citizensadvice.org.uk",
            defaults={"invited_by": inviter},
        )
    return (
        f"{len(spaces)} spaces, {documents} documents, "
        f"{Membership.objects.filter(space__in=spaces.values()).count()} memberships"
    )
