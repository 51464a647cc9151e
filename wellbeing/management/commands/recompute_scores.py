"""Recompute every family's well-being score: `python manage.py recompute_scores`.

Run it nightly: due dates and the six-month income window move with the calendar.
"""

import time

from django.core.management.base import BaseCommand

from wellbeing.nightly import scores_recompute_nightly
from wellbeing.scores import family_scores_recompute


class Command(BaseCommand):
    help = (
        "Recompute the derived well-being score, light, trend and exit readiness of all families."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--family", type=int, action="append", help="Only this family id (repeatable)."
        )

    def handle(self, *args, family=None, **options):
        started = time.monotonic()
        if family is None:
            count = scores_recompute_nightly()  # also the planner's statistics
        else:
            count = family_scores_recompute(family_ids=family)
        self.stdout.write(f"{count} families recomputed in {time.monotonic() - started:.1f} s.")
