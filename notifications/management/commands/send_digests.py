"""Send or preview weekly digests by hand.

    manage.py send_digests                      # everyone due this week
    manage.py send_digests --period 2026-W47    # a given ISO week
    manage.py send_digests --dry-run            # who would get what; sends nothing
    manage.py send_digests --preview a@b.gov.uk # print one member's digest

Sending is idempotent (DigestLog): running it twice sends nothing twice.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from notifications.delivery import digest_batches, digest_render, digest_send_batch
from notifications.digest import (
    build_contexts,
    build_one,
    current_period,
    parse_period,
    preview_window,
)


class Command(BaseCommand):
    help = "Send (or preview) the weekly digest."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="ISO week, e.g. 2026-W47 (default: now)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list who would get a digest and how many items; send nothing",
        )
        parser.add_argument(
            "--preview",
            metavar="EMAIL",
            help="print this member's digest (text) for the last seven days, "
            "or for --period; send nothing",
        )

    def handle(self, *args, period=None, dry_run=False, preview=None, **options):
        if period:
            try:
                parse_period(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        if preview:
            return self.preview(preview, period)
        period = period or current_period()
        totals = {"sent": 0, "skipped": 0, "already": 0, "refused": 0, "missing": 0}
        for user_ids, batch_period in digest_batches(period=period):
            if dry_run:
                for digest in build_contexts(user_ids, period=period).values():
                    verdict = "send" if digest.worth_sending() else "skip"
                    self.stdout.write(
                        f"{verdict} {digest.user.email}: {digest.item_count} items: "
                        f"{digest.subject()}"
                    )
                continue
            counts = digest_send_batch(user_ids=user_ids, period=batch_period)
            for key, value in counts.items():
                totals[key] += value
        if not dry_run:
            self.stdout.write(
                f"Digests for {period}: {totals['sent']} sent, "
                f"{totals['skipped']} skipped (too little to send)."
            )

    def preview(self, email, period):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No member with the address {email}.")
        if not user.is_active:
            raise CommandError(f"{email} is deactivated: no digest.")
        if period:
            digest = build_one(user, period=period)
        else:
            since, until = preview_window()
            digest = build_one(user, period=current_period(), since=since, until=until)
        subject, text, _ = digest_render(digest)
        self.stdout.write(f"Subject: {subject}\n")
        if not digest.worth_sending():
            self.stdout.write("(Too little to send: this digest would be skipped.)\n")
        self.stdout.write(text)
