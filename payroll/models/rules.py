"""Statutory rates and amounts as dated data: the law changes, payroll reads what was in force."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from payroll.choices import RuleKind

RATE_KINDS = {RuleKind.INCOME_TAX, RuleKind.INPS, RuleKind.SOCIAL_TAX, RuleKind.SOCIAL_TAX_REDUCED}
# Shares of average earnings: up to 1 (100%) included.
SHARE_KINDS = {
    RuleKind.SICK_PAY_SHORT_SERVICE,
    RuleKind.SICK_PAY_LONG_SERVICE,
    RuleKind.MATERNITY_PAY,
    RuleKind.DEDUCTION_CAP,
    RuleKind.DEDUCTION_CAP_WRITS,
    RuleKind.DEDUCTION_CAP_ALIMONY,
}
# Alimony shares are kept as the divisor of the wage (4: a quarter), so 1/3 stays exact.
DIVISOR_KINDS = {
    RuleKind.ALIMONY_ONE_CHILD,
    RuleKind.ALIMONY_TWO_CHILDREN,
    RuleKind.ALIMONY_THREE_CHILDREN,
}
# Days of the month after the payroll month.
DUE_DAY_KINDS = {
    RuleKind.INCOME_TAX_DUE_DAY,
    RuleKind.INPS_DUE_DAY,
    RuleKind.SOCIAL_TAX_DUE_DAY,
}


class StatutoryRuleQuerySet(models.QuerySet):
    def for_user(self, user):
        """The law is public: whoever may open payroll may read the rules it applies."""
        return self

    def in_force_on(self, day):
        return self.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        )


class StatutoryRule(models.Model):
    """One figure of the law payroll applies (a tax rate, the minimum wage) and when it holds.

    Rates are fractions (0.12 is 12%). Superusers keep them in the admin; each row names its
    public source so an accountant can check it.
    """

    kind = models.CharField(_("rule"), max_length=24, choices=RuleKind.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=16,
        decimal_places=4,
        help_text=_("A rate as a fraction (0.12 = 12%), an amount in UZS, or a multiplier."),
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    source = models.CharField(
        _("public source"), max_length=255, help_text=_("The law or decree that sets it.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = StatutoryRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name = _("statutory rule")
        verbose_name_plural = _("statutory rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="statutory_rule_ends_after_start",
                violation_error_message=_("A rule cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="statutory_rule_value_not_negative",
                violation_error_message=_("A rate or amount cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["kind", "effective_from"],
                name="one_rule_per_kind_and_start",
                violation_error_message=_("This rule already has a value from that day."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value} ({date_format(self.effective_from, 'SHORT_DATE_FORMAT')})"

    def clean(self):
        if self.kind in RATE_KINDS and self.value is not None and self.value >= Decimal("1"):
            raise ValidationError({"value": _("Enter a rate as a fraction: 0.12 for 12%.")})
        if self.kind in SHARE_KINDS and self.value is not None and self.value > Decimal("1"):
            raise ValidationError({"value": _("Enter a share as a fraction: 0.6 for 60%.")})
        if self.kind in DIVISOR_KINDS and self.value is not None and self.value < Decimal("1"):
            raise ValidationError(
                {"value": _("Enter the divisor: 4 for a quarter, 3 for a third.")}
            )
        if (
            self.kind in DUE_DAY_KINDS
            and self.value is not None
            and (self.value != self.value.to_integral_value() or not 1 <= self.value <= 28)
        ):
            raise ValidationError({"value": _("Enter a day of the month from 1 to 28.")})
        if not self.kind or not self.effective_from:
            return
        overlapping = StatutoryRule.objects.filter(kind=self.kind).exclude(pk=self.pk)
        if self.effective_to:
            overlapping = overlapping.filter(effective_from__lte=self.effective_to)
        overlapping = overlapping.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )
        if overlapping.exists():
            raise ValidationError(
                _(
                    "Another value of this rule is in force in the same period: "
                    "end it first (set its last day)."
                )
            )
