from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Shared tools")

    def ready(self):
        from common import tables_speed

        tables_speed.install()

        from common import list_jobs
        from common.jobs import generated_files_purge

        list_jobs.connect()
        from common.schedule import Step, register_step

        register_step(Step("nightly", 90, "purge_generated_files", generated_files_purge))
