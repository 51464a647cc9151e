"""What the enterprise paid of a month's taxes: its payments of the employer's obligations.

What is due is not stored: it is read from the approved run's frozen totals
(payroll.obligations), so it can never drift from the register.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.fields import money_field
from payroll.choices import Obligation
from payroll.models.runs import PayrollRun, payroll_scope


class TaxPaymentQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = payroll_scope(user, "run__")
        return self if condition is None else self.filter(condition)


class TaxPayment(models.Model):
    """One payment of an approved run's income tax, INPS or social tax to the state: the day,
    the amount and the bank's payment reference. A month's tax may be paid in parts; their sum
    never exceeds what is due (payroll.services.tax_payment_record refuses an overpayment)."""

    run = models.ForeignKey(
        PayrollRun,
        on_delete=models.PROTECT,
        related_name="tax_payments",
        verbose_name=_("payroll run"),
    )
    obligation = models.CharField(_("obligation"), max_length=12, choices=Obligation.choices)
    paid_on = models.DateField(_("paid on"))
    amount = money_field(_("amount (UZS)"), max_digits=16)
    reference = models.CharField(
        _("payment reference"),
        max_length=64,
        help_text=_("The number of the payment order, as the bank gave it."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = TaxPaymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["run_id", "obligation", "paid_on", "id"]
        verbose_name = _("tax payment")
        verbose_name_plural = _("tax payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="tax_payment_positive",
                violation_error_message=_("A payment is more than nothing."),
            )
        ]

    def __str__(self):
        return f"{self.run} · {self.get_obligation_display()} · {self.amount}"
