from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.backups import SUFFIXES, BackupError, backup_database, backup_name, prune_backups


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database while the application runs (SQLite's "
        "backup API, or pg_dump -Fc), then keep only the newest --keep backups."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="the DATABASES alias")
        parser.add_argument("--output", help="the file to write (default: a dated name)")
        parser.add_argument("--folder", default=settings.BACKUP_DIR, help="where dated backups go")
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="how many dated backups to keep in the folder (0: all)",
        )

    def handle(self, *args, database, output, folder, keep, **options):
        config = settings.DATABASES[database]
        try:
            if output:
                target = backup_database(config, Path(output))
                pruned = []
            else:
                target = backup_database(config, Path(folder) / backup_name(config, datetime.now()))
                pruned = prune_backups(Path(folder), keep, SUFFIXES[config["ENGINE"]])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written: {target} ({target.stat().st_size} bytes)")
        for path in pruned:
            self.stdout.write(f"Old backup removed: {path}")
