"""A month's payroll of one social enterprise: its timesheet, payslips, adjustments, reversal.

Once a run is approved nothing in it changes: the services refuse, the forms refuse, and so do
`save()`, `delete()` and the querysets' `update()`/`delete()` below, and the admin shows it
read-only. A mistake is corrected by an adjustment line in a later run, or by reversing the
whole run with a reason.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.access import NOTHING
from beneficiaries.models import Family, Person
from common.fields import money_field
from enterprises.access import managed_enterprise_ids
from enterprises.choices import PayBasis
from enterprises.models import Employment, SocialEnterprise
from payroll.choices import LOCKED_STATUSES, RunStatus

ZERO = Decimal("0")


class PayrollLocked(ValidationError):
    """Raised by any attempt to change an approved run or its lines."""

    def __init__(self, message=None):
        super().__init__(
            message or _("This payroll run is approved: it can no longer be changed."),
            code="locked",
        )


def money(label, **kwargs):
    """A payroll amount: wider than a family's, and signed (a reversal takes pay back)."""
    kwargs.setdefault("default", ZERO)
    return money_field(label, max_digits=16, non_negative=False, **kwargs)


def quantity(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


def payroll_scope(user, prefix: str = "") -> Q | None:
    """Q over a model reaching SocialEnterprise through `prefix`; None means everything.

    Payroll is the enterprise's own business: programme-wide roles see all of it, enterprise
    managers their enterprises'; nobody else any of it (caseworkers see income records instead).
    """
    if sees_whole_programme(user):
        return None
    managed = managed_enterprise_ids(user)
    if not managed:
        return NOTHING
    return Q(**{f"{prefix}enterprise_id__in": managed})


class PayrollRunQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = payroll_scope(user)
        return self if condition is None else self.filter(condition)

    def delete(self):
        if self.filter(status__in=LOCKED_STATUSES).exists():
            raise PayrollLocked
        return super().delete()


class PayrollRun(models.Model):
    """One enterprise's payroll for one month: drafted, approved (locked), then paid."""

    enterprise = models.ForeignKey(
        SocialEnterprise,
        on_delete=models.PROTECT,
        related_name="payroll_runs",
        verbose_name=_("social enterprise"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days"),
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days a full-time employee works this month: Monday to Friday by default; "
            "lower it for public holidays."
        ),
    )
    headcount = models.PositiveIntegerField(_("employees"), default=0)
    gross_total = money(_("gross pay (UZS)"))
    income_tax_total = money(_("income tax (UZS)"))
    inps_total = money(_("of which INPS (UZS)"))
    net_total = money(_("net pay (UZS)"))
    social_tax_total = money(_("social tax (UZS)"))
    cost_total = money(_("total cost (UZS)"))
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
        help_text=_("Who last drafted or changed the run; a second person may have to approve."),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment recorded by"),
    )
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reversed by"),
    )
    reversal_reason = models.TextField(_("reason for the reversal"), blank=True)

    objects = PayrollRunQuerySet.as_manager()
    history = HistoricalRecords()

    # What approval freezes; the later steps (paid, reversed) only fill their own fields.
    FROZEN_FIELDS = (
        "enterprise_id",
        "month",
        "working_days",
        "headcount",
        "gross_total",
        "income_tax_total",
        "inps_total",
        "net_total",
        "social_tax_total",
        "cost_total",
        "warnings",
        "generated_at",
        "generated_by_id",
        "approved_at",
        "approved_by_id",
    )
    TRANSITIONS = {
        (RunStatus.DRAFT, RunStatus.APPROVED),
        (RunStatus.APPROVED, RunStatus.PAID),
        (RunStatus.APPROVED, RunStatus.REVERSED),
        (RunStatus.PAID, RunStatus.REVERSED),
    }

    class Meta:
        ordering = ["-month", "enterprise__name"]
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        permissions = [
            ("approve_payrollrun", _("Can approve, pay and reverse a payroll run")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month"],
                condition=~Q(status=RunStatus.REVERSED),
                name="one_payroll_run_per_enterprise_and_month",
                violation_error_message=_("This enterprise already has a payroll run that month."),
            ),
            models.CheckConstraint(
                condition=Q(status=RunStatus.DRAFT) | Q(approved_at__isnull=False),
                name="payroll_run_approved_has_date",
                violation_error_message=_("An approved run has its approval date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.PAID) | Q(paid_on__isnull=False),
                name="payroll_run_paid_has_date",
                violation_error_message=_("A paid run has its payment date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.REVERSED) | ~Q(reversal_reason=""),
                name="payroll_run_reversal_has_reason",
                violation_error_message=_("A reversal needs its reason."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {date_format(self.month, 'YEAR_MONTH_FORMAT')}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                PayrollRun.objects.filter(pk=self.pk)
                .values("status", "paid_on", *self.FROZEN_FIELDS)
                .first()
            )
            if stored and stored["status"] in LOCKED_STATUSES:
                changed = [f for f in self.FROZEN_FIELDS if getattr(self, f) != stored[f]]
                if stored["status"] != RunStatus.APPROVED and self.paid_on != stored["paid_on"]:
                    changed.append("paid_on")
                moved = self.status != stored["status"]
                if changed or (moved and (stored["status"], self.status) not in self.TRANSITIONS):
                    raise PayrollLocked
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("payroll:run_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.pk and PayrollRun.objects.filter(pk=self.pk, status__in=LOCKED_STATUSES).exists():
            raise PayrollLocked
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DRAFT

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class RunLineQuerySet(models.QuerySet):
    """Lines of a run (timesheet, payslips, adjustments): seen with their run, locked with it."""

    def for_user(self, user):
        condition = payroll_scope(user, "run__")
        return self if condition is None else self.filter(condition)

    def _refuse_locked(self):
        if self.filter(run__status__in=LOCKED_STATUSES).exists():
            raise PayrollLocked

    def update(self, **kwargs):
        self._refuse_locked()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_locked()
        return super().delete()


class RunLine(models.Model):
    """What every line of a run shares: it changes only while its run is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)

    def _refuse_if_locked(self):
        if (
            self.run_id
            and PayrollRun.objects.filter(pk=self.run_id, status__in=LOCKED_STATUSES).exists()
        ):
            raise PayrollLocked


class TimesheetEntry(RunLine):
    """What one employee worked in the run's month: the input of their payslip."""

    run = models.ForeignKey(
        PayrollRun,
        on_delete=models.CASCADE,
        related_name="timesheet",
        verbose_name=_("payroll run"),
    )
    employment = models.ForeignKey(
        Employment,
        on_delete=models.PROTECT,
        related_name="timesheet_entries",
        verbose_name=_("employment"),
    )
    days_worked = quantity(_("days worked"))
    hours_worked = quantity(_("hours worked"))
    overtime_hours = quantity(_("overtime hours"))
    pieces = quantity(_("pieces produced"))
    bonus = models.DecimalField(
        _("bonus (UZS)"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    # Absence, by working day of the month (docs/payroll.md "Leave and absence").
    leave_days = quantity(_("annual leave days"))
    sick_days = quantity(_("sick days"))
    maternity_days = quantity(_("maternity leave days"))
    unpaid_days = quantity(_("unpaid leave days"))

    objects = RunLineQuerySet.as_manager()
    # Written in bulk by the services, which add the history rows themselves.
    history = HistoricalRecords()

    class Meta:
        ordering = ["run_id", "employment__person__full_name", "id"]
        verbose_name = _("timesheet line")
        verbose_name_plural = _("timesheet")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "employment"],
                name="one_timesheet_line_per_run_and_employment",
                violation_error_message=_("This employee already has a timesheet line."),
            )
        ]

    def __str__(self):
        return f"{self.run} · {self.employment_id}"


class Adjustment(RunLine):
    """A correction paid (or taken back) in this run for an earlier month's mistake."""

    run = models.ForeignKey(
        PayrollRun,
        on_delete=models.CASCADE,
        related_name="adjustments",
        verbose_name=_("payroll run"),
    )
    employment = models.ForeignKey(
        Employment,
        on_delete=models.PROTECT,
        related_name="payroll_adjustments",
        verbose_name=_("employment"),
    )
    amount = models.DecimalField(
        _("amount (UZS)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Positive to pay more, negative to take back an overpayment."),
    )
    corrects = models.ForeignKey(
        PayrollRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects the run of"),
    )
    reason = models.TextField(_("reason"))
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
        ordering = ["run_id", "id"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="adjustment_not_zero",
                violation_error_message=_("An adjustment of nothing changes nothing."),
            )
        ]

    def __str__(self):
        return f"{self.run} · {self.amount}"


class Payslip(RunLine):
    """One employee's pay for the run's month, with every figure it is made of.

    The contract terms and timesheet are copied in, so an approved payslip explains itself
    even when the contract changes later.
    """

    run = models.ForeignKey(
        PayrollRun, on_delete=models.CASCADE, related_name="payslips", verbose_name=_("payroll run")
    )
    employment = models.ForeignKey(
        Employment, on_delete=models.PROTECT, related_name="payslips", verbose_name=_("employment")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="payslips", verbose_name=_("employee")
    )
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="payslips", verbose_name=_("family")
    )
    position_title = models.CharField(_("position"), max_length=150)
    pay_basis = models.CharField(_("pay basis"), max_length=10, choices=PayBasis.choices)
    rate = money(_("rate (UZS)"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    low_income_family = models.BooleanField(_("low-income family"), default=False)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    days_worked = quantity(_("days worked"))
    hours_worked = quantity(_("hours worked"))
    overtime_hours = quantity(_("overtime hours"))
    pieces = quantity(_("pieces produced"))
    leave_days = quantity(_("annual leave days"))
    sick_days = quantity(_("sick days"))
    maternity_days = quantity(_("maternity leave days"))
    unpaid_days = quantity(_("unpaid leave days"))
    # Average daily earnings = average_earnings / average_days (docs/payroll.md).
    average_earnings = money(_("earnings counted for the average (UZS)"))
    average_days = quantity(_("days counted for the average"))
    average_months = models.PositiveSmallIntegerField(
        _("months counted for the average"), default=0
    )
    sick_pay_rate = models.DecimalField(
        _("sick pay rate"), max_digits=6, decimal_places=4, default=ZERO
    )
    maternity_pay_rate = models.DecimalField(
        _("maternity benefit rate"), max_digits=6, decimal_places=4, default=ZERO
    )
    base = money(_("base pay"))
    overtime = money(_("overtime pay"))
    piece_work = money(_("piece work"))
    bonus = money(_("bonus"))
    leave_pay = money(_("annual leave pay"))
    sick_pay = money(_("sick pay"))
    maternity_pay = money(_("maternity benefit"))
    adjustments = money(_("adjustments"))
    gross = money(_("gross pay"))
    income_tax_rate = models.DecimalField(_("income tax rate"), max_digits=6, decimal_places=4)
    income_tax = money(_("income tax withheld"))
    inps_rate = models.DecimalField(_("INPS rate"), max_digits=6, decimal_places=4)
    inps = money(_("of which INPS"))
    net = money(_("net pay"))
    # Paid out of net pay: the advance given mid-month and the deductions withheld (their
    # lines: PayslipDeduction); what is left is paid at the settlement.
    advance = money(_("advance paid"))
    deduction_cap_rate = models.DecimalField(
        _("cap on deductions"), max_digits=6, decimal_places=4, default=ZERO
    )
    deductions = money(_("deductions withheld"))
    deduction_shortfall = money(_("deductions over the cap"))
    amount_to_pay = money(_("amount to pay"))
    social_tax_rate = models.DecimalField(_("social tax rate"), max_digits=6, decimal_places=4)
    social_tax = money(_("employer social tax"))
    total_cost = money(_("total cost"))
    overtime_multiplier = models.DecimalField(
        _("overtime multiplier"), max_digits=6, decimal_places=2, default=Decimal("2")
    )
    minimum_wage = money(_("minimum monthly wage"))
    below_minimum_wage = models.BooleanField(_("below the minimum wage"), default=False)

    # A draft's payslips are recomputed wholesale: each computation adds a history row per
    # payslip, by the user who saved the draft; an approved payslip never changes (save,
    # delete, update, the admin and the database all refuse). The run's history records who
    # approved, paid or reversed it and when.
    objects = RunLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["run_id", "person__full_name", "id"]
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "employment"],
                name="one_payslip_per_run_and_employment",
                violation_error_message=_("This employee already has a payslip in this run."),
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.run}"

    def get_absolute_url(self):
        return reverse("payroll:payslip_detail", args=[self.pk])

    @property
    def income_tax_to_budget(self) -> Decimal:
        return self.income_tax - self.inps

    @property
    def average_daily(self) -> Decimal:
        """Average daily earnings, unrounded (leave, sick and maternity pay are based on it)."""
        return self.average_earnings / self.average_days if self.average_days else ZERO

    @property
    def absence_pay(self) -> Decimal:
        return self.leave_pay + self.sick_pay + self.maternity_pay

    @property
    def absence_days(self) -> Decimal:
        return self.leave_days + self.sick_days + self.maternity_days + self.unpaid_days


class ReversalLineQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = payroll_scope(user, "payslip__run__")
        return self if condition is None else self.filter(condition)


class ReversalLine(models.Model):
    """One payslip's share of a run's reversal: the origin of the household income offset."""

    payslip = models.OneToOneField(
        Payslip, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("payslip")
    )
    net = money(_("net pay taken back (UZS)"))
    advance = money(_("advance taken back (UZS)"))
    deductions = money(_("deductions taken back (UZS)"))
    amount_to_pay = money(_("amount to pay taken back (UZS)"))
    created_at = models.DateTimeField(_("reversed"), auto_now_add=True)

    objects = ReversalLineQuerySet.as_manager()

    class Meta:
        ordering = ["payslip_id"]
        verbose_name = _("reversal line")
        verbose_name_plural = _("reversal lines")

    def __str__(self):
        return f"{self.payslip} · {self.net}"
