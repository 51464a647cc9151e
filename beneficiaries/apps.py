from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Families")

    def ready(self):
        from beneficiaries.family_timeline import case_events
        from beneficiaries.timeline import register_timeline_source

        register_timeline_source(case_events)

        from beneficiaries import wellbeing_hooks

        wellbeing_hooks.connect()
