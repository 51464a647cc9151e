from django.core.management.base import BaseCommand

from accounts.readlog import read_log_purge, retention_days


class Command(BaseCommand):
    help = "Delete read log entries older than READ_LOG_DAYS days (run it nightly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="keep this many days instead of READ_LOG_DAYS"
        )

    def handle(self, *args, days=None, **options):
        days = retention_days() if days is None else days
        if days < 1:
            self.stderr.write("--days must be at least 1.")
            return
        deleted = read_log_purge(days=days)
        self.stdout.write(f"Deleted {deleted} read log entries older than {days} days.")
