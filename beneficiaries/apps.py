from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Families")

    def ready(self):
        from beneficiaries import import_jobs

        import_jobs.connect()

        from beneficiaries.selectors import case_events
        from beneficiaries.timeline import register_timeline_source

        register_timeline_source(case_events)

        from beneficiaries.panels import FamilyPanel, register_family_panel
        from beneficiaries.referrals import referral_events, referral_panel, referral_work_items

        register_timeline_source(referral_events)
        register_family_panel(FamilyPanel("beneficiaries/panels/referrals.html", referral_panel))

        from beneficiaries.worklist import (
            CONSENT_SOURCE,
            WorklistSource,
            register_worklist_source,
        )

        register_worklist_source(CONSENT_SOURCE)
        register_worklist_source(WorklistSource(items=referral_work_items))

        from beneficiaries import search

        search.connect()
        post_migrate.connect(
            search.ensure_index_after_migrate,
            sender=self,
            dispatch_uid="beneficiaries.family_search_index",
        )

        from beneficiaries import income_summary

        post_migrate.connect(
            income_summary.ensure_after_migrate,
            sender=self,
            dispatch_uid="beneficiaries.income_summary_triggers",
        )

        from beneficiaries.duplicates import find_all
        from beneficiaries.worklist_digest import worklist_digests_send
        from common.schedule import Step, register_step

        register_step(Step("nightly", 70, "find_duplicate_people", find_all))
        register_step(Step("morning", 10, "send_worklist_digest", worklist_digests_send))
