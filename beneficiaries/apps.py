from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Families")

    def ready(self):
        from beneficiaries import wellbeing_hooks

        wellbeing_hooks.connect()
