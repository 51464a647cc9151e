"""The advance paid mid-month and the deductions taken from wages (docs/payroll.md).

A deduction order (a writ for alimony or another court order, or a voluntary deduction the
employee agreed to) stands on the contract for its dates; each run computes, for every
payslip, one deduction line per order in force, frozen with the run at approval. The advance
is a line of its run, like the timesheet, and is locked with it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.fields import money_field
from enterprises.models import Employment
from payroll.choices import DeductionKind
from payroll.models.runs import PayrollRun, Payslip, RunLine, RunLineQuerySet, money, payroll_scope


class Advance(RunLine):
    """The part of the month's pay given to an employee before the month ends: it is part
    of the month's net pay, netted at the settlement (`calculation.amount_to_pay`)."""

    run = models.ForeignKey(
        PayrollRun, on_delete=models.CASCADE, related_name="advances", verbose_name=_("payroll run")
    )
    employment = models.ForeignKey(
        Employment,
        on_delete=models.PROTECT,
        related_name="payroll_advances",
        verbose_name=_("employment"),
    )
    amount = money_field(_("advance (UZS)"), validators=[MinValueValidator(1)])
    paid_on = models.DateField(_("advance paid on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    objects = RunLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["run_id", "employment__person__full_name", "id"]
        verbose_name = _("advance")
        verbose_name_plural = _("advances")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "employment"],
                name="one_advance_per_run_and_employment",
                violation_error_message=_("This employee already has an advance in this run."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="advance_positive",
                violation_error_message=_("An advance is more than nothing."),
            ),
        ]

    def __str__(self):
        return f"{self.run} · {self.amount}"


class DeductionOrderQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = payroll_scope(user, "employment__position__")
        return self if condition is None else self.filter(condition)

    def in_force_in(self, first, last):
        """Orders that hold on any day from `first` to `last`."""
        return self.filter(starts_on__lte=last).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=first)
        )


class DeductionOrder(models.Model):
    """A standing order to deduct from an employee's wages: a writ (alimony for children,
    another court order) or a voluntary deduction with the employee's recorded consent."""

    employment = models.ForeignKey(
        Employment,
        on_delete=models.PROTECT,
        related_name="deduction_orders",
        verbose_name=_("employment"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DeductionKind.choices)
    reference = models.CharField(
        _("document"),
        max_length=200,
        help_text=_(
            "The court and the writ's number and date, or the employee's signed application."
        ),
    )
    beneficiary = models.CharField(
        _("paid to"), max_length=200, help_text=_("Who receives the deducted amount.")
    )
    children = models.PositiveSmallIntegerField(
        _("children"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Alimony: the number of children; the share follows the Family Code."),
    )
    amount = money_field(
        _("amount a month (UZS)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Other writs and voluntary deductions: the fixed amount each month."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    consent_on = models.DateField(
        _("consent signed on"),
        null=True,
        blank=True,
        help_text=_("Voluntary deductions: the date of the employee's written consent."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    objects = DeductionOrderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["employment__person__full_name", "starts_on", "id"]
        verbose_name = _("deduction order")
        verbose_name_plural = _("deduction orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="deduction_order_ends_after_start",
                violation_error_message=_("A deduction cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=DeductionKind.ALIMONY) & Q(children__gte=1, amount__isnull=True))
                | (~Q(kind=DeductionKind.ALIMONY) & Q(children__isnull=True, amount__gt=0)),
                name="deduction_order_share_or_amount",
                violation_error_message=_(
                    "Alimony is a share by the number of children; other deductions a fixed amount."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=DeductionKind.VOLUNTARY) | Q(consent_on__isnull=False),
                name="deduction_order_voluntary_has_consent",
                violation_error_message=_(
                    "A voluntary deduction needs the date of the employee's written consent."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.reference}"

    def clean(self):
        errors = {}
        if self.kind == DeductionKind.ALIMONY:
            if not self.children:
                errors["children"] = _("Enter the number of children the alimony is for.")
            if self.amount is not None:
                errors["amount"] = _(
                    "Alimony is a share of the wage by the number of children: leave the "
                    "amount empty (a writ for a fixed sum is entered as another court order)."
                )
        elif self.kind:
            if self.amount is None:
                errors["amount"] = _("Enter the amount to deduct each month.")
            if self.children:
                errors["children"] = _("Only alimony is counted by children.")
        if self.kind == DeductionKind.VOLUNTARY and not self.consent_on:
            errors["consent_on"] = _(
                "A voluntary deduction needs the date of the employee's written consent."
            )
        if self.kind != DeductionKind.VOLUNTARY and self.consent_on:
            errors["consent_on"] = _("A writ is taken without consent: leave this empty.")
        if self.consent_on and self.starts_on and self.consent_on > self.starts_on:
            errors["consent_on"] = _("The consent comes before the first deduction.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A deduction cannot end before it starts.")
        if self.amount is not None and self.amount != self.amount.to_integral_value():
            errors["amount"] = _("Enter the amount in whole soum.")
        if errors:
            raise ValidationError(errors)


class PayslipDeduction(RunLine):
    """One order's deduction on one payslip: what it asked for, what the cap let the
    employer withhold, and the shortfall (recorded, not carried: docs/payroll.md)."""

    run = models.ForeignKey(
        PayrollRun,
        on_delete=models.CASCADE,
        related_name="deduction_lines",
        verbose_name=_("payroll run"),
    )
    payslip = models.ForeignKey(
        Payslip, on_delete=models.CASCADE, related_name="deduction_lines", verbose_name=_("payslip")
    )
    order = models.ForeignKey(
        DeductionOrder,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("deduction order"),
    )
    # Copied from the order, so an approved payslip explains itself if the order changes.
    kind = models.CharField(_("kind"), max_length=12, choices=DeductionKind.choices)
    priority = models.PositiveSmallIntegerField(_("order of deduction"))
    reference = models.CharField(_("document"), max_length=200)
    beneficiary = models.CharField(_("paid to"), max_length=200)
    share_divisor = models.DecimalField(
        _("one part in"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    due = money(_("due (UZS)"))
    withheld = money(_("withheld (UZS)"))
    shortfall = money(_("not withheld: over the cap (UZS)"))

    objects = RunLineQuerySet.as_manager()

    class Meta:
        ordering = ["payslip_id", "priority", "id"]
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")

    def __str__(self):
        return f"{self.payslip_id} · {self.get_kind_display()} · {self.withheld}"
