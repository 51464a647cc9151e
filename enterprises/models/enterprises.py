"""Social enterprises, the jobs they create and the people who hold them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids
from beneficiaries.models import Branch, Makhalla, Person
from common.validators import (
    validate_bank_account,
    validate_card_number,
    validate_hours_per_week,
    validate_inn,
)
from enterprises.access import enterprise_q, managed_enterprise_ids
from enterprises.choices import (
    EmploymentStatus,
    EndReason,
    EnterpriseStatus,
    PayBasis,
    PayDay,
    PaymentMethod,
    Sector,
)

ZERO = Decimal("0")


class SocialEnterpriseQuerySet(models.QuerySet):
    def for_user(self, user):
        """Programme-wide roles see all; managers their enterprises; caseworkers their branches."""
        condition = enterprise_q(user)
        return self if condition is None else self.filter(condition)


class SocialEnterprise(models.Model):
    """A business the programme runs to give parents of its families a job."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("branch")
    )
    makhalla = models.ForeignKey(
        Makhalla,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("makhalla"),
        null=True,
        blank=True,
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    tax_number = models.CharField(
        _("tax number (INN)"),
        max_length=9,
        blank=True,
        validators=[validate_inn],
        help_text=_(
            "The enterprise's 9-digit taxpayer number (STIR), printed on the income "
            "certificates it issues."
        ),
    )
    opening_date = models.DateField(_("opening date"))
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_enterprises",
        verbose_name=_("managers"),
        help_text=_("Enterprise managers who run it and see its people."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.ACTIVE,
    )
    description = models.TextField(_("description"), blank=True)
    pay_day = models.CharField(
        _("pay day"),
        max_length=20,
        choices=PayDay.choices,
        default=PayDay.AFTER_MONTH,
        help_text=_(
            "When the month's wages are paid: its payroll can be approved from the first day "
            "of the next month, or from the month's last working day."
        ),
    )
    payroll_four_eyes = models.BooleanField(
        _("payroll approved by a second person"),
        default=True,
        help_text=_(
            "With two or more managers, a payroll run is approved by someone other than the "
            "person who prepared it."
        ),
    )

    objects = SocialEnterpriseQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[managers])

    class Meta:
        ordering = ["name"]
        verbose_name = _("social enterprise")
        verbose_name_plural = _("social enterprises")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clean(self):
        if self.makhalla_id and self.branch_id and self.makhalla.branch_id != self.branch_id:
            raise ValidationError({"makhalla": _("This makhalla belongs to another branch.")})


class PositionQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = enterprise_q(user, "enterprise__")
        return self if condition is None else self.filter(condition)


class Position(models.Model):
    """One job at a social enterprise: its title, pay and hours; held by one person at a time."""

    enterprise = models.ForeignKey(
        SocialEnterprise,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("social enterprise"),
    )
    title = models.CharField(_("title"), max_length=150)
    pay_basis = models.CharField(
        _("pay basis"), max_length=10, choices=PayBasis.choices, default=PayBasis.MONTHLY
    )
    rate = models.DecimalField(
        _("rate (UZS)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Per month, day, hour or piece, as the pay basis says."),
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("40"),
        validators=validate_hours_per_week,
    )
    created_by_programme = models.BooleanField(
        _("created by the programme"),
        default=True,
        help_text=_("The job exists because the programme created it for its families."),
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise__name", "title", "id"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="position_closes_after_opening",
                violation_error_message=_("A position cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0),
                name="position_rate_not_negative",
                violation_error_message=_("A rate cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.enterprise}"

    def get_absolute_url(self):
        return reverse("enterprises:position_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class EmploymentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Managers: their enterprises' contracts; caseworkers: their branches' families."""
        if sees_whole_programme(user):
            return self
        condition = NOTHING
        managed = managed_enterprise_ids(user)
        if managed:
            condition |= Q(position__enterprise_id__in=managed)
        branches = caseworker_branch_ids(user)
        if branches:
            condition |= Q(person__family__branch_id__in=branches)
        return self.filter(condition)

    def active(self):
        return self.filter(status=EmploymentStatus.ACTIVE)

    def active_on(self, day):
        return self.active_during(day, day)

    def active_during(self, first, last):
        """Contracts that ran on at least one day from `first` to `last` (a payroll month)."""
        return self.filter(start_date__lte=last).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first)
        )


class Employment(models.Model):
    """A family member's contract in one position, from hiring to its end."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("employee"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("position"),
    )
    start_date = models.DateField(_("contract start"))
    end_date = models.DateField(_("contract end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
    )
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_notes = models.TextField(_("notes on the end"), blank=True)
    rate = models.DecimalField(
        _("current rate (UZS)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Changed only by a dated change of rate."),
    )
    low_income_family = models.BooleanField(
        _("from a low-income family registered for social protection"),
        default=False,
        help_text=_(
            "The employee's family is on the register of low-income families; "
            "payroll applies the reduced social tax."
        ),
    )
    hired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hired by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # Where the pay goes (payroll's bank payment file and cash list, docs/payroll.md).
    payment_method = models.CharField(
        _("payment method"),
        max_length=4,
        choices=PaymentMethod.choices,
        default=PaymentMethod.CASH,
    )
    card_number = models.CharField(
        _("card number"),
        max_length=16,
        blank=True,
        validators=[validate_card_number],
        help_text=_("16 digits, as on the card."),
    )
    bank_account = models.CharField(
        _("bank account number"),
        max_length=20,
        blank=True,
        validators=[validate_bank_account],
        help_text=_("20 digits; used when there is no card number."),
    )

    objects = EmploymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [models.Index(fields=["position", "start_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(status=EmploymentStatus.ACTIVE),
                name="one_active_contract_per_position",
                violation_error_message=_("This position already has an active contract."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
                violation_error_message=_("A contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(status=EmploymentStatus.ACTIVE) & Q(end_date__isnull=True))
                | (Q(status=EmploymentStatus.ENDED) & Q(end_date__isnull=False)),
                name="employment_end_date_matches_status",
                violation_error_message=_(
                    "An ended contract has an end date; an active one has none."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.position.title}"

    def get_absolute_url(self):
        return self.position.get_absolute_url()

    def clean(self):
        if self.payment_method == PaymentMethod.BANK and not (
            self.card_number or self.bank_account
        ):
            raise ValidationError(
                {"card_number": _("Pay by bank needs a card number or a bank account number.")}
            )

    @property
    def payment_number(self) -> str:
        """Where the bank pays: the card, else the account."""
        return self.card_number or self.bank_account

    @property
    def is_active(self) -> bool:
        return self.status == EmploymentStatus.ACTIVE

    def rate_on(self, day) -> Decimal | None:
        """The contract's rate on a day, from its dated changes (prefetch `rate_changes`)."""
        rate = None
        for change in sorted(self.rate_changes.all(), key=lambda change: change.effective_from):
            if change.effective_from > day:
                break
            rate = change.rate
        return rate


class RateChangeQuerySet(models.QuerySet):
    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        return self.filter(employment__in=Employment.objects.for_user(user))


class RateChange(models.Model):
    """A dated rate of one contract: the first at hiring, then each change of rate."""

    employment = models.ForeignKey(
        Employment,
        on_delete=models.CASCADE,
        related_name="rate_changes",
        verbose_name=_("employment"),
    )
    effective_from = models.DateField(_("effective from"))
    rate = models.DecimalField(
        _("rate (UZS)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    objects = RateChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["employment_id", "effective_from"]
        verbose_name = _("change of rate")
        verbose_name_plural = _("changes of rate")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "effective_from"],
                name="one_rate_per_contract_and_day",
                violation_error_message=_("This contract already has a rate from that day."),
            )
        ]

    def __str__(self):
        return f"{self.employment} {self.effective_from}: {self.rate}"


class EnterpriseMonthlyResultQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = enterprise_q(user, "enterprise__")
        return self if condition is None else self.filter(condition)


class EnterpriseMonthlyResult(models.Model):
    """What an enterprise earned and spent in one month, entered by its manager."""

    enterprise = models.ForeignKey(
        SocialEnterprise,
        on_delete=models.CASCADE,
        related_name="monthly_results",
        verbose_name=_("social enterprise"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    revenue = models.DecimalField(
        _("revenue (UZS)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    costs = models.DecimalField(
        _("costs (UZS)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    result = models.DecimalField(
        _("result (UZS)"), max_digits=16, decimal_places=2, editable=False, default=ZERO
    )
    headcount = models.PositiveIntegerField(_("headcount"))
    notes = models.TextField(_("notes"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    objects = EnterpriseMonthlyResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise_id", "-month"]
        verbose_name = _("monthly result")
        verbose_name_plural = _("monthly results")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month"],
                name="one_result_per_enterprise_and_month",
                violation_error_message=_("This month's result is already entered."),
            )
        ]

    def __str__(self):
        return f"{self.enterprise} {date_format(self.month, 'YEAR_MONTH_FORMAT')}"

    def save(self, *args, **kwargs):
        self.result = self.revenue - self.costs
        super().save(*args, **kwargs)
