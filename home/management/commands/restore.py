"""`manage.py restore FOLDER --database-url URL | --sqlite-path PATH --media-root DIR`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an empty database and media folder, then "
        "check every table's row count and every file's checksum against it."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--database-url", help="PostgreSQL URL of the empty target."
        )
        parser.add_argument("--sqlite-path", help="Path of the new SQLite file.")
        parser.add_argument("--media-root", default=None)
        parser.add_argument("--force", action="store_true")

    def handle(
        self, *args, folder, database_url, sqlite_path, media_root, force, **options
    ):
        try:
            report = restore_backup(
                folder,
                database_url=database_url,
                sqlite_path=sqlite_path,
                media_root=media_root or settings.MEDIA_ROOT,
                force=force,
            )
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {report['tables']} tables, {report['rows']} rows, "
                f"{report['files']} files."
            )
        )
