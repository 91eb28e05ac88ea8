"""Demo data the people app adds after members exist (load_demo_data calls it).

Members and their profiles come from home/demo/people.py; here each
organisation with an admin gets a key contact and a few get a remit, and
some members follow colleagues and organisations (their digests' "people
you follow" and "from organisations you follow" sections draw on these).
"""

from .models import Organisation, OrganisationKeyContact, Profile, User
from .services import follow_set

REMITS = {
    "DWP": "Welfare, pensions and child maintenance policy, and helping people "
    "into work through Jobcentre Plus.",
    "CO": "Supports the Prime Minister and Cabinet and makes government work "
    "better as a whole.",
    "LCC": "County council for Leicestershire: adult social care, children's "
    "services, highways and public health.",
    "GDS": "Builds and runs shared digital platforms and sets standards for "
    "government services.",
    "MHCLG": "Local government, housing, planning and communities across England.",
    "NHSE": "Leads the NHS in England and commissions national services.",
}


# (follower's email, followed member's email or organisation abbreviation)
FOLLOWS = [
    ("amara.okafor@dwp.gov.uk", "priya.raman@digital.cabinet-office.gov.uk"),
    ("amara.okafor@dwp.gov.uk", "GDS"),
    ("amara.okafor@dwp.gov.uk", "LCC"),
    ("tom.ashworth@leics.gov.uk", "amara.okafor@dwp.gov.uk"),
    ("tom.ashworth@leics.gov.uk", "DWP"),
    ("tom.ashworth@leics.gov.uk", "LGA"),
    ("helen.brooks@communities.gov.uk", "sam.whitfield@harborough.gov.uk"),
    ("helen.brooks@communities.gov.uk", "LGA"),
    ("priya.raman@digital.cabinet-office.gov.uk", "gareth.lloyd@gov.wales"),
    ("priya.raman@digital.cabinet-office.gov.uk", "NHSE"),
    ("daniel.osei@nhs.net", "fiona.macleod@gov.scot"),
    ("daniel.osei@nhs.net", "ONS"),
    ("fiona.macleod@gov.scot", "WG"),
    ("gareth.lloyd@gov.wales", "SG"),
]


def _follows():
    made = 0
    for email, target in FOLLOWS:
        follower = User.objects.filter(email=email, is_active=True).first()
        if "@" in target:
            followed = User.objects.filter(email=target, is_active=True).first()
        else:
            followed = Organisation.objects.filter(abbreviation=target).first()
        if follower and followed:
            follow_set(user=follower, target=followed)
            made += 1
    return made


def load():
    for abbreviation, remit in REMITS.items():
        Organisation.objects.filter(abbreviation=abbreviation, remit="").update(
            remit=remit
        )
    contacts = 0
    admins = Profile.objects.filter(
        is_organisation_admin=True, organisation__isnull=False, is_leaver=False
    ).select_related("user")
    for profile in admins:
        role = "Questions about joining and about our work"
        if profile.expertise.exists():
            role = f"{profile.expertise.first().name} and questions about joining"
        OrganisationKeyContact.objects.update_or_create(
            organisation_id=profile.organisation_id,
            user=profile.user,
            defaults={"role": role},
        )
        contacts += 1
    follows = _follows()
    return (
        f"{contacts} key contacts, {len(REMITS)} organisation remits, "
        f"{follows} follows of colleagues and organisations"
    )
