"""Load the demo community. Safe to run again: it updates what it made before."""

import csv
from datetime import date
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from home.demo.people import DEMO_PASSWORD, MEMBERS, PROFILES
from people.models import Organisation, OrganisationDomain, Profile, User
from people.services import organisation_for_email

DEMO_APPS = ["people", "spaces", "forums", "casestudies", "notifications"]
DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load demo organisations and members (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        organisations = self.load_organisations()
        members = self.load_members()
        # Each feature app adds its own demo content in `<app>/demo.py`, in
        # dependency order: spaces before the threads and documents in them.
        for app in DEMO_APPS:
            try:
                load = import_string(f"{app}.demo.load")
            except ImportError:
                continue
            summary = load()
            self.stdout.write(f"{app}: {summary}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {organisations} organisations, {members} members "
                f"(password for every demo member: {DEMO_PASSWORD})."
            )
        )

    def load_organisations(self):
        with open(DEMO_DIR / "organisations.csv", newline="") as handle:
            rows = list(csv.DictReader(handle))
        by_name = {}
        for row in rows:
            organisation, _ = Organisation.objects.update_or_create(
                name=row["name"],
                defaults={"abbreviation": row["abbreviation"], "type": row["type"]},
            )
            OrganisationDomain.objects.get_or_create(
                organisation=organisation, domain=row["email_domain"].lower()
            )
            by_name[organisation.name] = organisation
        for row in rows:
            if row["parent"]:
                Organisation.objects.filter(name=row["name"]).update(
                    parent=by_name[row["parent"]]
                )
        # A machinery-of-government change, so predecessor links show up.
        former, _ = Organisation.objects.update_or_create(
            name="Department for Business Energy and Industrial Strategy",
            defaults={
                "abbreviation": "BEIS",
                "type": Organisation.Type.MINISTERIAL,
                "active_from": date(2016, 7, 14),
                "active_to": date(2023, 2, 7),
            },
        )
        Organisation.objects.filter(abbreviation__in=["DBT", "DESNZ", "DSIT"]).update(
            predecessor=former, active_from=date(2023, 2, 7)
        )
        return Organisation.objects.count()

    def load_members(self):
        """Demo members and their directory profiles (home/demo/people.py)."""
        from datetime import timedelta

        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        # One hash for every demo account: hashing 150 passwords one by one
        # would make `make demo` take most of a minute.
        password = make_password(DEMO_PASSWORD)
        now = timezone.now()
        groups_by_name = {group.name: group for group in Group.objects.all()}
        for email, first, last, job_title, org_admin, groups in MEMBERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": first, "last_name": last, "password": password},
            )
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            details = dict(PROFILES.get(email, {}))
            expertise = details.pop("expertise", [])
            active = details.pop("active_days_ago", 1)
            confirmed = details.pop("confirmed_days_ago", 30)
            profile, _ = Profile.objects.update_or_create(
                user=user,
                defaults={
                    "organisation": organisation_for_email(email),
                    "job_title": job_title,
                    "is_organisation_admin": org_admin,
                    "last_active_at": now - timedelta(days=active),
                    "last_confirmed_at": now - timedelta(days=confirmed),
                    **details,
                },
            )
            profile.expertise.set(expertise)
            for name in groups:
                user.groups.add(
                    groups_by_name.get(name) or Group.objects.get(name=name)
                )
        return len(MEMBERS)
