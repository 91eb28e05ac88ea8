"""Fictional members for the demo community. Any resemblance is accidental."""

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
