"""Demo data the people app adds after members exist (load_demo_data calls it).

Members and their profiles come from home/demo/people.py; here each
organisation with an admin gets a key contact and a few get a remit.
"""

from .models import Organisation, OrganisationKeyContact, Profile

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
    return f"{contacts} key contacts, {len(REMITS)} organisation remits"
