from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Social enterprises and businesses")

    def ready(self):
        from beneficiaries.panels import FamilyPanel, register_family_panel
        from beneficiaries.scopes import register_person_scope
        from beneficiaries.timeline import register_timeline_source
        from enterprises.selectors import (
            family_placements,
            family_timeline,
            person_scope,
        )

        register_person_scope(person_scope)
        register_timeline_source(family_timeline)
        register_family_panel(
            FamilyPanel("enterprises/panels/family_placements.html", family_placements)
        )

        from beneficiaries.worklist import register_worklist_source
        from enterprises.worklist import SOURCE

        register_worklist_source(SOURCE)

        from common.schedule import Step, register_step
        from enterprises.services import placements_income_sync_open

        # Before the scores: running placements gain the month that has begun.
        register_step(Step("nightly", 10, "sync_placement_income", placements_income_sync_open))
