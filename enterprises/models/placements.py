"""Jobs outside the social enterprises: a caseworker's job search, referral and placement of a
family member with an outside employer, its retention checks and the wages it brings home."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import Person
from common.validators import validate_inn, validate_plain_text
from enterprises.access import family_branch_q
from enterprises.choices import ContractKind, PlacementStage, WageVerification, WorkingTime

ZERO = Decimal("0")


class JobPlacementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Sensitive like income: the family's branch caseworkers and programme-wide roles."""
        condition = family_branch_q(user, "person__family")
        return self if condition is None else self.filter(condition)

    def placed(self):
        return self.filter(stage=PlacementStage.PLACED)


class JobPlacement(models.Model):
    """One step of a family member's way to a job with an outside employer: a job search, a
    referral to an employer, or the job itself (a placement, with its wage)."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="job_placements",
        verbose_name=_("family member"),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=PlacementStage.choices)
    employer_name = models.CharField(
        _("employer"), max_length=150, blank=True, validators=[validate_plain_text]
    )
    employer_inn = models.CharField(
        _("employer's tax number (INN)"),
        max_length=9,
        blank=True,
        validators=[validate_inn],
        help_text=_("9 digits, if known."),
    )
    position = models.CharField(
        _("position"), max_length=150, blank=True, validators=[validate_plain_text]
    )
    start_date = models.DateField(
        _("start"), help_text=_("The day the search began, the referral was made or the job began.")
    )
    end_date = models.DateField(_("end"), null=True, blank=True)
    monthly_wage = models.DecimalField(
        _("monthly wage (UZS)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    contract = models.CharField(
        _("contract"), max_length=10, choices=ContractKind.choices, blank=True
    )
    working_time = models.CharField(
        _("working time"), max_length=5, choices=WorkingTime.choices, blank=True
    )
    verification = models.CharField(
        _("wage verified by"), max_length=10, choices=WageVerification.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, validators=[validate_plain_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = JobPlacementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("job placement")
        verbose_name_plural = _("job placements")
        indexes = [models.Index(fields=["person", "stage", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
                violation_error_message=_("A job cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(stage=PlacementStage.PLACED) | Q(monthly_wage__isnull=False),
                name="placement_has_a_wage",
                violation_error_message=_("A placement has a monthly wage."),
            ),
        ]

    def __str__(self):
        if self.stage == PlacementStage.SEARCH:
            return f"{self.person} · {self.get_stage_display()}"
        return f"{self.person} · {self.position or self.get_stage_display()} · {self.employer_name}"

    def get_absolute_url(self):
        return reverse("enterprises:placement_detail", args=[self.pk])

    @property
    def is_placed(self) -> bool:
        return self.stage == PlacementStage.PLACED

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def is_running_on(self, day) -> bool:
        """A placement (not a search or a referral) that has begun by the day and not ended
        before it: the family's current job."""
        return (
            self.is_placed
            and self.start_date <= day
            and (self.end_date is None or self.end_date >= day)
        )


class PlacementMonthQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = family_branch_q(user, "placement__person__family")
        return self if condition is None else self.filter(condition)


class PlacementMonth(models.Model):
    """One month's wage of a placement: the origin of that month's household income record,
    written only by `enterprises.services.placement_income_sync`."""

    placement = models.ForeignKey(
        JobPlacement, on_delete=models.CASCADE, related_name="months", verbose_name=_("placement")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    wage = models.DecimalField(_("wage (UZS)"), max_digits=14, decimal_places=2)

    objects = PlacementMonthQuerySet.as_manager()

    class Meta:
        ordering = ["placement_id", "month"]
        verbose_name = _("placement month")
        verbose_name_plural = _("placement months")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "month"], name="one_wage_per_placement_and_month"
            )
        ]

    def __str__(self):
        return f"{self.placement} {self.month:%Y-%m}"


class RetentionCheckQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = family_branch_q(user, "placement__person__family")
        return self if condition is None else self.filter(condition)

    def due(self, today):
        """Unanswered checks whose day has come, of placements that had not ended by then."""
        return self.filter(checked_on__isnull=True, due_on__lte=today).filter(
            Q(placement__end_date__isnull=True) | Q(placement__end_date__gte=models.F("due_on"))
        )


class RetentionCheck(models.Model):
    """Is the person still in the job 3, 6 and 12 months after its start, and for what wage?"""

    placement = models.ForeignKey(
        JobPlacement,
        on_delete=models.CASCADE,
        related_name="retention_checks",
        verbose_name=_("placement"),
    )
    months_after = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due on"))
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    wage_now = models.DecimalField(
        _("wage now (UZS)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    notes = models.TextField(_("notes"), blank=True, validators=[validate_plain_text])
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )

    objects = RetentionCheckQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["placement_id", "months_after"]
        verbose_name = _("retention check")
        verbose_name_plural = _("retention checks")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "months_after"], name="one_check_per_placement_and_horizon"
            )
        ]

    def __str__(self):
        return _("%(placement)s: check at %(months)s months") % {
            "placement": self.placement,
            "months": self.months_after,
        }

    def get_absolute_url(self):
        return self.placement.get_absolute_url()

    @property
    def is_answered(self) -> bool:
        return self.checked_on is not None
