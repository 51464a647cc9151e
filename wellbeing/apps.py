from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "wellbeing"
    verbose_name = _("Family well-being")

    def ready(self):
        from beneficiaries.exit_rules import register_restored_exit_check
        from beneficiaries.panels import FamilyPanel, register_family_panel
        from beneficiaries.stale import register_stale_source
        from wellbeing import signals, stale, timeline
        from wellbeing.selectors import wellbeing_summary
        from wellbeing.services import unmet_exit_conditions

        timeline.connect()
        signals.connect()
        register_restored_exit_check(unmet_exit_conditions)
        register_stale_source(stale.SOURCE)
        register_family_panel(FamilyPanel("wellbeing/panels/family.html", wellbeing_summary))

        from beneficiaries.family_list import register_list_column, register_list_filter
        from wellbeing import family_list

        register_list_column(family_list.COLUMN)
        register_list_filter(family_list.FILTER)

        from beneficiaries.worklist import register_worklist_source
        from wellbeing import worklist

        register_worklist_source(worklist.SOURCE)

        from common.schedule import Step, register_step
        from wellbeing.nightly import scores_recompute_nightly

        register_step(Step("nightly", 50, "recompute_scores", scores_recompute_nightly))
