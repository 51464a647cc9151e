"""Mail each caseworker with an e-mail address their worklist, when it has anything on it
(Django's e-mail settings: the console in development). The worker's "morning" job sends it
daily (common/schedule.py); cron may run this command instead."""

from django.core.management.base import BaseCommand

from beneficiaries.worklist_digest import worklist_digests_send


class Command(BaseCommand):
    help = "E-mail each caseworker the work due or overdue for their families."

    def handle(self, *args, **options):
        self.stdout.write(f"Worklist digests sent: {worklist_digests_send()}")
