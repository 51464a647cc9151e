from django.core.management.base import BaseCommand

from common.jobs import generated_files_purge


class Command(BaseCommand):
    help = "Delete generated files (My files) past their expiry (settings.GENERATED_FILE_HOURS)."

    def handle(self, *args, **options):
        count = generated_files_purge()
        self.stdout.write(f"{count} expired file(s) deleted.")
