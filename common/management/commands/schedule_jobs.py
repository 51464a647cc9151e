"""Queue the scheduled jobs (settings.SCHEDULED_JOBS) that have no occurrence waiting for the
worker. Safe to run again: it queues nothing twice. `make run` runs it; run it after deploys."""

from django.core.management.base import BaseCommand

from common.schedule import next_run_at, schedule_jobs


class Command(BaseCommand):
    help = "Queue each scheduled job's next run for the background worker (idempotent)."

    def handle(self, *args, **options):
        queued = schedule_jobs()
        for job in queued:
            self.stdout.write(f"{job}: queued for {next_run_at(job):%Y-%m-%d %H:%M %Z}.")
        if not queued:
            self.stdout.write("Every scheduled job already has its next run queued.")
