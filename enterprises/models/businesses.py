"""Family businesses the programme helps start, their grants and loans, and their follow-ups."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import Family, Makhalla, Person
from common.fields import money_field
from common.money import round_soum
from common.validators import validate_programme_date
from enterprises.access import family_branch_q
from enterprises.choices import BusinessStatus, BusinessType, CloseReason, Sector, SupportKind

ZERO = Decimal("0")


class BusinessQuerySet(models.QuerySet):
    def for_user(self, user):
        """Caseworkers see their branches' family businesses; programme-wide roles all."""
        condition = family_branch_q(user, "family")
        return self if condition is None else self.filter(condition)


class Business(models.Model):
    """A small business a family member starts with the programme's plan, grant or loan."""

    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("family")
    )
    owner = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="businesses",
        verbose_name=_("owner"),
        help_text=_("The family member who runs the business."),
    )
    name = models.CharField(_("name"), max_length=150)
    business_type = models.CharField(
        _("type"), max_length=30, choices=BusinessType.choices, default=BusinessType.SELF_EMPLOYED
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    makhalla = models.ForeignKey(
        Makhalla,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="businesses",
        verbose_name=_("makhalla"),
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    plan = models.TextField(_("business plan"), blank=True)
    expected_monthly_revenue = money_field(_("expected monthly revenue (UZS)"), default=ZERO)
    expected_monthly_costs = money_field(_("expected monthly costs (UZS)"), default=ZERO)
    status = models.CharField(
        _("status"), max_length=10, choices=BusinessStatus.choices, default=BusinessStatus.DRAFT
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    operating_since = models.DateField(_("operating since"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_notes = models.TextField(_("notes on closing"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = BusinessQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("family business")
        verbose_name_plural = _("family businesses")
        permissions = [("approve_business", _("Can approve a business plan"))]
        indexes = [models.Index(fields=["status", "started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=BusinessStatus.CLOSED) | Q(closed_on__isnull=True),
                name="business_closed_on_only_when_closed",
                violation_error_message=_("Only a closed business has a closing date."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[BusinessStatus.STARTED, BusinessStatus.OPERATING])
                | Q(started_on__isnull=False),
                name="business_running_has_start",
                violation_error_message=_("A started business needs its start date."),
            ),
            models.CheckConstraint(
                condition=Q(operating_since__isnull=True)
                | Q(started_on__isnull=False, operating_since__gte=models.F("started_on")),
                name="business_operates_after_start",
                violation_error_message=_("A business operates only after it has started."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:business_detail", args=[self.pk])

    def clean(self):
        if self.owner_id and self.family_id and self.owner.family_id != self.family_id:
            raise ValidationError({"owner": _("The owner must be a member of the family.")})

    @property
    def expected_monthly_profit(self) -> Decimal:
        return self.expected_monthly_revenue - self.expected_monthly_costs


class SupportQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = family_branch_q(user, "business__family")
        return self if condition is None else self.filter(condition)


class Support(models.Model):
    """A grant or an interest-free loan to a business, paid out in dated tranches.

    `disbursed_total` and `repaid_total` are kept by the services under a row lock, and the
    database refuses any state in which more is paid out than agreed or more is repaid than
    was paid out: the balance never goes negative.
    """

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="supports", verbose_name=_("business")
    )
    kind = models.CharField(_("kind"), max_length=5, choices=SupportKind.choices)
    amount = money_field(_("amount (UZS)"))
    approved_on = models.DateField(_("approved on"), validators=[validate_programme_date])
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"),
        null=True,
        blank=True,
        help_text=_("Loans only: how many monthly payments."),
    )
    first_due_month = models.DateField(
        _("first payment month"), null=True, blank=True, help_text=_("Loans only.")
    )
    disbursed_total = money_field(_("disbursed (UZS)"), default=ZERO, editable=False)
    repaid_total = money_field(_("repaid (UZS)"), default=ZERO, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = SupportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["business_id", "approved_on", "id"]
        verbose_name = _("grant or loan")
        verbose_name_plural = _("grants and loans")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="support_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_total__gte=0) & Q(disbursed_total__lte=models.F("amount")),
                name="support_disbursed_within_amount",
                violation_error_message=_("More cannot be paid out than was agreed."),
            ),
            models.CheckConstraint(
                condition=Q(repaid_total__gte=0) & Q(repaid_total__lte=models.F("disbursed_total")),
                name="support_balance_not_negative",
                violation_error_message=_("More cannot be repaid than was paid out."),
            ),
            models.CheckConstraint(
                condition=Q(kind=SupportKind.LOAN) | Q(repaid_total=0),
                name="support_grant_not_repaid",
                violation_error_message=_("A grant is not repaid."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=SupportKind.LOAN)
                | Q(term_months__gte=1, first_due_month__isnull=False),
                name="support_loan_has_terms",
                violation_error_message=_("A loan needs a term and a first payment month."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.business}"

    def get_absolute_url(self):
        return self.business.get_absolute_url()

    def clean(self):
        if self.amount is not None and round_soum(self.amount) != self.amount:
            raise ValidationError({"amount": _("Enter the amount in whole soum.")})
        if self.first_due_month and self.first_due_month.day != 1:
            raise ValidationError({"first_due_month": _("A month is stored as its first day.")})

    @property
    def is_loan(self) -> bool:
        return self.kind == SupportKind.LOAN

    @property
    def balance(self) -> Decimal:
        """What the borrower still owes: paid out minus repaid (loans); zero for grants."""
        return self.disbursed_total - self.repaid_total if self.is_loan else ZERO

    @property
    def undisbursed(self) -> Decimal:
        return self.amount - self.disbursed_total


class SupportPartQuerySet(models.QuerySet):
    """Tranches, instalments and repayments: seen by whoever sees their grant or loan."""

    def for_user(self, user):
        condition = family_branch_q(user, "support__business__family")
        return self if condition is None else self.filter(condition)


class Tranche(models.Model):
    """One dated payment of a grant or loan to the business."""

    support = models.ForeignKey(
        Support, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("grant or loan")
    )
    disbursed_on = models.DateField(_("paid out on"), validators=[validate_programme_date])
    amount = money_field(_("amount (UZS)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = SupportPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["support_id", "disbursed_on", "id"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="tranche_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            )
        ]

    def __str__(self):
        return f"{self.support} {self.disbursed_on}: {self.amount}"


class RepaymentLine(models.Model):
    """One month's instalment of a loan's repayment schedule."""

    support = models.ForeignKey(
        Support, on_delete=models.CASCADE, related_name="schedule", verbose_name=_("loan")
    )
    due_month = models.DateField(_("due month"))
    amount = money_field(_("amount due (UZS)"))

    objects = SupportPartQuerySet.as_manager()

    class Meta:
        ordering = ["support_id", "due_month"]
        verbose_name = _("scheduled payment")
        verbose_name_plural = _("repayment schedule")
        constraints = [
            models.UniqueConstraint(
                fields=["support", "due_month"],
                name="one_instalment_per_loan_and_month",
                violation_error_message=_("This loan already has an instalment that month."),
            )
        ]

    def __str__(self):
        return f"{self.support} {date_format(self.due_month, 'YEAR_MONTH_FORMAT')}: {self.amount}"


class Repayment(models.Model):
    """A payment the borrower made towards a loan."""

    support = models.ForeignKey(
        Support, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("loan")
    )
    paid_on = models.DateField(_("paid on"), validators=[validate_programme_date])
    amount = money_field(_("amount (UZS)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = SupportPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["support_id", "paid_on", "id"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="repayment_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            )
        ]

    def __str__(self):
        return f"{self.support} {self.paid_on}: {self.amount}"


class FollowUpQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = family_branch_q(user, "business__family")
        return self if condition is None else self.filter(condition)


class FollowUp(models.Model):
    """A caseworker's monthly look at a business: what it earned, spent and employed."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="followups", verbose_name=_("business")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    revenue = money_field(_("revenue (UZS)"))
    costs = money_field(_("costs (UZS)"))
    profit = models.DecimalField(
        _("profit (UZS)"), max_digits=14, decimal_places=2, editable=False, default=ZERO
    )
    people_employed = models.PositiveSmallIntegerField(
        _("people employed"), default=1, help_text=_("Including the owner.")
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["business_id", "-month"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "month"],
                name="one_followup_per_business_and_month",
                violation_error_message=_("This month's follow-up is already recorded."),
            )
        ]

    def __str__(self):
        return f"{self.business} {date_format(self.month, 'YEAR_MONTH_FORMAT')}"

    def save(self, *args, **kwargs):
        self.profit = self.revenue - self.costs
        super().save(*args, **kwargs)
