"""Run a scheduled job's steps now, for cron instead of the worker:
`manage.py run_scheduled_job nightly`. A job already run today is not run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.schedule import run_job


class Command(BaseCommand):
    help = "Run a scheduled job (nightly, morning) now, once a day."

    def add_arguments(self, parser):
        parser.add_argument("job", help="one of: " + ", ".join(settings.SCHEDULED_JOBS))

    def handle(self, *args, job, **options):
        if job not in settings.SCHEDULED_JOBS:
            raise CommandError(
                f"Unknown job {job!r}; choose one of: {', '.join(settings.SCHEDULED_JOBS)}."
            )
        results = run_job(job, timezone.localdate())
        if not results:
            self.stdout.write(f"{job} has already run today.")
        for step, summary in results.items():
            self.stdout.write(f"{step}: {summary}")
