from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.backups import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup written by `manage.py backup`. "
        "Stop the application first."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--database", default="default", help="the DATABASES alias")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="do not ask"
        )

    def handle(self, *args, file, database, interactive, **options):
        config = settings.DATABASES[database]
        if interactive:
            answer = input(
                f"This replaces everything in the database {config['NAME']} with {file}.\n"
                "Stop the application first. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore_database(config, Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {config['NAME']} from {file}.")
