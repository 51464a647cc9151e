"""Bring running job placements' wages into the household income: `python manage.py
sync_placement_income`.

Run it nightly, before `recompute_scores`: a placement without an end date brings its wage
to the current month, so on the first of a month every running placement gains that month.
"""

from django.core.management.base import BaseCommand

from enterprises.services import placements_income_sync_open


class Command(BaseCommand):
    help = "Write the current month's wages of every running job placement into the income ledger."

    def handle(self, *args, **options):
        count = placements_income_sync_open()
        self.stdout.write(f"{count} placement months written.")
