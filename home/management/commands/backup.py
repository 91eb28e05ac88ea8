"""`manage.py backup [DIR]`: the database and uploaded files, with a manifest."""

from django.core.management.base import BaseCommand, CommandError

from home.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and every uploaded file into a new folder under DIR."

    def add_arguments(self, parser):
        parser.add_argument("destination", nargs="?", default="var/backups")

    def handle(self, *args, destination, **options):
        try:
            folder = create_backup(destination)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
