from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = _("Payroll")

    def ready(self):
        from beneficiaries.income_notes import register_income_note_source
        from beneficiaries.services import register_write_once_origin
        from payroll import jobs, locks, selectors
        from payroll.models import Payslip, ReversalLine

        # An approved payslip's income, and a reversal's offset, are written once.
        register_write_once_origin(Payslip)
        register_write_once_origin(ReversalLine)
        register_income_note_source(selectors.income_notes)
        jobs.connect()
        post_migrate.connect(
            locks.ensure_after_migrate, sender=self, dispatch_uid="payroll.lock_triggers"
        )
