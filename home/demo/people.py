"""Fictional members for the demo community. Any resemblance is accidental.

MEMBERS keeps its shape (email, first, last, job title, organisation admin?,
groups) and its first nine people: other apps' demos look them up by email.
The rest (about 150 in all) are made from the lists below with a fixed seed,
so every run makes the same people. PROFILES adds directory details by email.
"""

import csv
import random
from pathlib import Path

DEMO_PASSWORD = "joined-up-demo"  # noqa: S105 (demo accounts only)

# email, first, last, job title, organisation admin?, groups
MEMBERS = [
    (
        "amara.okafor@dwp.gov.uk",
        "Amara",
        "Okafor",
        "Head of Data Sharing Partnerships",
        True,
        [],
    ),
    (
        "tom.ashworth@leics.gov.uk",
        "Tom",
        "Ashworth",
        "Strategic Lead, Stronger Communities",
        True,
        [],
    ),
    (
        "priya.raman@digital.cabinet-office.gov.uk",
        "Priya",
        "Raman",
        "Service Owner, Shared Platforms",
        False,
        [],
    ),
    (
        "gareth.lloyd@gov.wales",
        "Gareth",
        "Lloyd",
        "Policy Adviser, Public Service Reform",
        False,
        [],
    ),
    (
        "fiona.macleod@gov.scot",
        "Fiona",
        "MacLeod",
        "Team Leader, Community Justice",
        False,
        [],
    ),
    ("daniel.osei@nhs.net", "Daniel", "Osei", "Population Health Analyst", False, []),
    (
        "helen.brooks@communities.gov.uk",
        "Helen",
        "Brooks",
        "Deputy Director, Local Growth",
        False,
        [],
    ),
    (
        "sam.whitfield@harborough.gov.uk",
        "Sam",
        "Whitfield",
        "Shared Services Manager",
        False,
        [],
    ),
    (
        "ruth.adeyemi@cabinetoffice.gov.uk",
        "Ruth",
        "Adeyemi",
        "Community Editor",
        False,
        ["Editors"],
    ),
]


# The named people above, with the details the directory shows.
PROFILES = {
    "amara.okafor@dwp.gov.uk": {
        "team": "Data Sharing and Partnerships",
        "grade": "Grade 6",
        "profession": "Digital data and technology",
        "region": "North West",
        "area_of_work": "I lead data sharing agreements between DWP, councils "
        "and the NHS so people get joined-up support.",
        "expertise": ["Data sharing", "Information and records management"],
        "happy_to_advise_on": "Writing a data sharing agreement that lawyers "
        "on both sides will sign",
        "languages": "English, Yoruba",
    },
    "tom.ashworth@leics.gov.uk": {
        "team": "Communities and Wellbeing",
        "grade": "Local government officer",
        "profession": "Policy",
        "region": "East Midlands",
        "area_of_work": "I run the county's stronger communities programme with "
        "districts, police and the voluntary sector.",
        "expertise": ["Neighbourhood renewal", "Local and regional delivery"],
        "happy_to_advise_on": "Pooling budgets across two tiers of local government",
        "languages": "English",
    },
    "priya.raman@digital.cabinet-office.gov.uk": {
        "team": "Shared Platforms",
        "grade": "Grade 6",
        "profession": "Digital data and technology",
        "region": "London",
        "area_of_work": "I own the shared platforms other departments build "
        "their services on.",
        "expertise": ["Digital services", "Shared services", "Data sharing"],
        "happy_to_advise_on": "Reusing a common platform instead of building one",
        "languages": "English, Tamil",
    },
    "gareth.lloyd@gov.wales": {
        "team": "Public Service Reform",
        "grade": "Grade 7",
        "profession": "Policy",
        "region": "Wales",
        "area_of_work": "I work on public service boards and how Welsh public "
        "bodies plan together.",
        "expertise": ["Policy making", "Consultation and engagement"],
        "happy_to_advise_on": "The Well-being of Future Generations Act in practice",
        "languages": "English, Welsh",
    },
    "fiona.macleod@gov.scot": {
        "team": "Community Justice Division",
        "grade": "Grade 7",
        "profession": "Policy",
        "region": "Scotland",
        "area_of_work": "I lead a team improving community sentences with "
        "local partners across Scotland.",
        "expertise": ["Criminal justice", "Drugs and alcohol"],
        "happy_to_advise_on": "Working with third sector partners on reoffending",
        "languages": "English, Scottish Gaelic",
    },
    "daniel.osei@nhs.net": {
        "team": "Population Health Intelligence",
        "grade": "Senior Executive Officer",
        "profession": "Analysis",
        "region": "London",
        "area_of_work": "I link health and council data to find people at risk "
        "before they reach crisis.",
        "expertise": ["Public health", "Data sharing", "Evidence and evaluation"],
        "happy_to_advise_on": "Linking NHS and local authority data lawfully",
        "languages": "English, Twi",
    },
    "helen.brooks@communities.gov.uk": {
        "team": "Local Growth Directorate",
        "grade": "Deputy Director",
        "profession": "Policy",
        "region": "Yorkshire and the Humber",
        "area_of_work": "I oversee area-based funding for towns and how places "
        "bid for it.",
        "expertise": ["Area-based initiatives", "Joint funding and pooled budgets"],
        "happy_to_advise_on": "Designing funds that places can combine",
        "languages": "English",
    },
    "sam.whitfield@harborough.gov.uk": {
        "team": "Shared Services",
        "grade": "Local government officer",
        "profession": "Operational delivery",
        "region": "East Midlands",
        "area_of_work": "I run revenues, benefits and HR services shared by "
        "three district councils.",
        "expertise": ["Shared services", "Invest to save"],
        "happy_to_advise_on": "Setting up a shared service between councils",
        "languages": "English",
    },
    "ruth.adeyemi@cabinetoffice.gov.uk": {
        "team": "Joined Up community team",
        "grade": "Senior Executive Officer",
        "profession": "Communications",
        "region": "London",
        "area_of_work": "I curate case studies and help members share what worked.",
        "expertise": ["Cross-government working", "Peer review and improvement"],
        "happy_to_advise_on": "Writing a case study people will read",
        "languages": "English",
    },
}

FIRST_NAMES = [
    "Aisha", "Alex", "Alice", "Amir", "Ana", "Andrew", "Angharad", "Anil", "Beth",
    "Bilal", "Bronwen", "Callum", "Caroline", "Catriona", "Chidi", "Chloe",
    "Connor", "Dafydd", "Deborah", "Declan", "Elif", "Ellie", "Emeka", "Emma",
    "Euan", "Farah", "Femi", "Gemma", "Grace", "Hamish", "Hannah", "Harpreet",
    "Imran", "Isla", "Jack", "James", "Jasmine", "Jess", "Joanna", "Kamal",
    "Karen", "Kwame", "Laura", "Leah", "Lewis", "Lucy", "Mairi", "Marek",
    "Mark", "Meera", "Mohammed", "Nadia", "Naomi", "Neil", "Nicola", "Niamh",
    "Oliver", "Owen", "Paul", "Rachel", "Rhys", "Rosa", "Sara", "Seren",
    "Simon", "Sinead", "Sophie", "Stuart", "Tariq", "Tomasz", "Uzma", "Yusuf",
    "Zainab", "Zoe",
]  # fmt: skip

LAST_NAMES = [
    "Abbott", "Ahmed", "Akhtar", "Baker", "Banerjee", "Bell", "Bennett",
    "Campbell", "Chen", "Clarke", "Davies", "Edwards", "Evans", "Fletcher",
    "Fraser", "Ghosh", "Green", "Griffiths", "Hall", "Harris", "Hughes",
    "Hussain", "Jenkins", "Johnson", "Jones", "Kaur", "Kelly", "Khan", "Kowalski",
    "Lewis", "Mensah", "Mitchell", "Morgan", "Murray", "Nowak", "Nwosu",
    "O'Brien", "Okonkwo", "Parry", "Patel", "Phillips", "Price", "Reid",
    "Roberts", "Robertson", "Scott", "Shah", "Singh", "Stewart", "Taylor",
    "Thomas", "Thompson", "Walker", "Watson", "White", "Williams", "Wilson",
    "Wright", "Young",
]  # fmt: skip

# (profession, job titles, expertise themes to draw from, advice phrases)
ROLES = [
    ("Policy", ["Policy Adviser", "Senior Policy Adviser", "Policy Lead",
                "Head of Policy", "Team Leader"],
     ["Policy making", "Cross-government working", "Consultation and engagement",
      "Children and families", "Child poverty", "Welfare to work and employment",
      "Climate and environment", "Criminal justice", "Early years"],
     ["getting a cross-departmental policy agreed", "running a consultation with "
      "partners", "writing a joint submission to ministers"]),
    ("Digital data and technology", ["Data Architect", "Service Owner",
     "Product Manager", "Head of Data", "Technical Architect", "Data Scientist"],
     ["Data sharing", "Digital services", "Digital and technology",
      "Information and records management", "Cyber and information assurance",
      "Shared services"],
     ["data sharing agreements", "reusing common components",
      "getting two systems to talk to each other"]),
    ("Operational delivery", ["Operations Manager", "Service Delivery Manager",
     "Area Manager", "Head of Operations", "Work Coach Team Leader"],
     ["Welfare to work and employment", "Local and regional delivery",
      "Shared services", "Service design and customer insight",
      "Emergencies and resilience"],
     ["co-locating services with partners", "running a shared front door",
      "joint case working with councils"]),
    ("Analysis", ["Senior Analyst", "Principal Analyst", "Head of Analysis",
     "Evaluation Lead"],
     ["Evidence and evaluation", "Data sharing", "Public health",
      "Finance and value for money"],
     ["evaluating a programme run by several bodies", "building a shared "
      "evidence base", "measuring what a partnership achieved"]),
    ("Social research", ["Social Researcher", "Senior Research Officer",
     "Head of Research"],
     ["Evidence and evaluation", "Service design and customer insight",
      "Children and families", "Neighbourhood renewal"],
     ["user research with vulnerable people", "mixed-methods evaluation"]),
    ("Statistics", ["Statistician", "Senior Statistician", "Head of Statistics"],
     ["Data sharing", "Evidence and evaluation", "Information and records "
      "management"],
     ["linking administrative datasets", "publishing official statistics jointly"]),
    ("Economics", ["Economist", "Senior Economic Adviser", "Head of Economics"],
     ["Finance and value for money", "Invest to save",
      "Joint funding and pooled budgets", "Area-based initiatives"],
     ["business cases for joint investment", "invest to save bids",
      "valuing benefits that land in another department"]),
    ("Finance", ["Finance Business Partner", "Head of Finance",
     "Senior Finance Manager"],
     ["Joint funding and pooled budgets", "Finance and value for money",
      "Invest to save"],
     ["pooling budgets lawfully", "accounting for shared funding"]),
    ("Commercial", ["Commercial Lead", "Category Manager", "Head of Procurement"],
     ["Commercial and procurement", "Shared services"],
     ["buying jointly with other departments", "collaborative procurement "
      "frameworks"]),
    ("Project delivery", ["Programme Manager", "Project Lead",
     "Senior Responsible Owner", "Portfolio Manager"],
     ["Cross-government working", "Shared services", "Pandemic preparedness",
      "Emergencies and resilience", "Area-based initiatives"],
     ["governance for a multi-department programme", "running a joint "
      "programme board"]),
    ("Human resources", ["HR Business Partner", "Head of Talent",
     "Learning and Development Lead"],
     ["Workforce and capability", "Secondments and mobility", "Leadership"],
     ["arranging secondments between departments", "joint leadership "
      "programmes"]),
    ("Communications", ["Communications Manager", "Head of Communications",
     "Engagement Lead"],
     ["Consultation and engagement", "Cross-government working"],
     ["joint campaigns", "engaging communities with several partners"]),
    ("Legal", ["Lawyer", "Senior Legal Adviser"],
     ["Data sharing", "Information and records management",
      "Commercial and procurement"],
     ["the legal gateways for data sharing", "memoranda of understanding"]),
    ("Knowledge and information management", ["Knowledge Manager",
     "Head of Information Management", "Records Manager"],
     ["Information and records management", "Data sharing",
      "Peer review and improvement"],
     ["keeping shared records in order", "knowledge sharing across teams"]),
    ("Security", ["Security Adviser", "Head of Protective Security"],
     ["Cyber and information assurance", "Emergencies and resilience"],
     ["sharing information securely with partners", "handling markings"]),
    ("Internal audit", ["Internal Auditor", "Head of Internal Audit"],
     ["Peer review and improvement", "Finance and value for money"],
     ["auditing joint arrangements", "assurance across organisations"]),
    ("Customer service", ["Customer Service Manager", "Contact Centre Lead"],
     ["Service design and customer insight", "Shared services"],
     ["a single front door for several services"]),
    ("Property", ["Estates Manager", "Head of Property"],
     ["Shared services", "Local and regional delivery"],
     ["sharing buildings with partners", "co-location hubs"]),
]  # fmt: skip

GRADE_WEIGHTS = [
    ("Director", 2), ("Deputy Director", 6), ("Grade 6", 16), ("Grade 7", 24),
    ("Senior Executive Officer", 18), ("Higher Executive Officer", 14),
    ("Executive Officer", 6), ("Fast Streamer", 4),
]  # fmt: skip

# Where each kind of organisation's people mostly work.
REGION_FOR = {
    "gov.scot": "Scotland",
    "gov.wales": "Wales",
    "leics.gov.uk": "East Midlands",
    "harborough.gov.uk": "East Midlands",
    "leeds.gov.uk": "Yorkshire and the Humber",
    "dvla.gov.uk": "Wales",
    "companieshouse.gov.uk": "Wales",
}
REGIONS = [
    "London", "London", "North West", "North East", "Yorkshire and the Humber",
    "West Midlands", "East Midlands", "South West", "South East",
    "East of England", "Scotland", "Wales", "Northern Ireland",
]  # fmt: skip
LANGUAGES = [
    "English", "English", "English", "English", "English, Welsh",
    "English, Punjabi", "English, Urdu", "English, Polish", "English, French",
    "English, British Sign Language", "English, Gujarati", "English, Arabic",
]  # fmt: skip
AREA_TEMPLATES = [
    "I work on {a} with colleagues in {org} and partners across government.",
    "I lead {org}'s work on {a}, especially where it meets {b}.",
    "I help teams across {org} join up {a} and {b}.",
    "My team looks after {a} for {org} and works closely with local partners.",
]
ADVISE_TEMPLATES = ["{x}", "{x}, and {b} more generally"]

TOTAL_MEMBERS = 150
JUNIOR_GRADES = {
    "Senior Executive Officer",
    "Higher Executive Officer",
    "Executive Officer",
    "Fast Streamer",
}


def _organisations():
    path = Path(__file__).resolve().parent / "organisations.csv"
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def _generated(count):
    rng = random.Random(2026)  # fixed: the same people on every run
    organisations = _organisations()
    taken = {(first, last) for _email, first, last, *_rest in MEMBERS}
    emails = {email for email, *_rest in MEMBERS}
    grades = [grade for grade, weight in GRADE_WEIGHTS for _ in range(weight)]
    members, profiles = [], {}
    index = 0
    while len(members) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if (first, last) in taken:
            continue
        taken.add((first, last))
        organisation = organisations[index % len(organisations)]
        index += 1
        domain = organisation["email_domain"]
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}@{domain}"
        if email in emails:
            continue
        emails.add(email)
        profession, titles, themes, advice = rng.choice(ROLES)
        title = rng.choice(titles)
        expertise = rng.sample(themes, k=min(len(themes), rng.randint(2, 3)))
        local_gov = organisation["type"] in {"local authority", "membership body"}
        outside = organisation["type"] in {"third sector", "private sector"}
        grade = (
            "Local government officer"
            if local_gov
            else "Partner organisation"
            if outside
            else rng.choice(grades)
        )
        if grade in JUNIOR_GRADES and title.startswith(("Head of", "Senior Resp")):
            title = next(
                (t for t in titles if not t.startswith(("Head of", "Senior Resp"))),
                "Adviser",
            )
        if grade in {"Director", "Deputy Director"}:
            title = (
                f"{'Director' if grade == 'Director' else 'Deputy Director'}, "
                + (expertise[0])
            )
        org_name = organisation["abbreviation"] or organisation["name"]
        a = expertise[0].lower()
        b = expertise[1].lower() if len(expertise) > 1 else "partnership working"
        members.append((email, first, last, title, index % 19 == 0, []))
        profiles[email] = {
            "team": f"{expertise[0]} team",
            "grade": grade,
            "profession": profession,
            "region": REGION_FOR.get(domain) or rng.choice(REGIONS),
            "area_of_work": rng.choice(AREA_TEMPLATES).format(a=a, b=b, org=org_name),
            "expertise": expertise,
            "happy_to_advise_on": rng.choice(ADVISE_TEMPLATES)
            .format(x=rng.choice(advice), b=b)
            .capitalize(),
            "languages": rng.choice(LANGUAGES),
            # Some people have not been seen or confirmed for a long time, so
            # the directory's ranking and freshness prompts have work to do.
            "active_days_ago": rng.choice([0, 1, 3, 7, 20, 45, 120, 400]),
            "confirmed_days_ago": rng.choice([5, 30, 90, 150, 200, 300]),
        }
    return members, profiles


_EXTRA_MEMBERS, _EXTRA_PROFILES = _generated(TOTAL_MEMBERS - len(MEMBERS))
MEMBERS = MEMBERS + _EXTRA_MEMBERS
PROFILES = {**PROFILES, **_EXTRA_PROFILES}
