from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Shared tools")

    def ready(self):
        from common import tables_speed

        tables_speed.install()
