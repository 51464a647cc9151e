"""The periodic check for people registered twice (beneficiaries.duplicates): run nightly
by cron, or queue it for the worker with --queue."""

from django.core.management.base import BaseCommand

from beneficiaries.duplicates import find_all
from beneficiaries.tasks import duplicates_scan


class Command(BaseCommand):
    help = "Put the people who may be registered twice in the programme manager's review queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="Queue the check for the background worker."
        )

    def handle(self, *args, queue=False, **options):
        if queue:
            duplicates_scan.enqueue()
            self.stdout.write("The check is queued.")
            return
        found = find_all()
        self.stdout.write(f"{found} new possible duplicates in the review queue.")
