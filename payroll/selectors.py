"""Reads of payroll: the rules in force, the run pages' rows, the register, the dashboard."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from payroll.calculation import Rules
from payroll.choices import RuleKind
from payroll.models import PayrollRun, Payslip, StatutoryRule

TOTAL_FIELDS = {
    "gross_total": "gross",
    "income_tax_total": "income_tax",
    "inps_total": "inps",
    "net_total": "net",
    "social_tax_total": "social_tax",
    "cost_total": "total_cost",
}
REQUIRED = [
    RuleKind.INCOME_TAX,
    RuleKind.INPS,
    RuleKind.SOCIAL_TAX,
    RuleKind.MINIMUM_WAGE,
    RuleKind.OVERTIME_MULTIPLIER,
]


def rules_for(month: date) -> Rules:
    """The statutory figures in force on the first day of `month` (one query).

    A missing rule is a clear refusal: payroll never guesses a rate.
    """
    values = dict(
        StatutoryRule.objects.in_force_on(month)
        .order_by("kind", "effective_from")
        .values_list("kind", "value")
    )
    missing = [RuleKind(kind).label for kind in REQUIRED if kind not in values]
    if missing:
        raise ValidationError(
            _("No %(rules)s in force on %(day)s: a superuser must enter it in the admin.")
            % {"rules": ", ".join(str(label) for label in missing), "day": f"{month:%d.%m.%Y}"}
        )
    return Rules(
        income_tax=values[RuleKind.INCOME_TAX],
        inps=values[RuleKind.INPS],
        social_tax=values[RuleKind.SOCIAL_TAX],
        social_tax_reduced=values.get(RuleKind.SOCIAL_TAX_REDUCED),
        minimum_wage=values[RuleKind.MINIMUM_WAGE],
        overtime_multiplier=values[RuleKind.OVERTIME_MULTIPLIER],
    )


def payslip_sums(run: PayrollRun) -> dict[str, Decimal]:
    """The run's totals recomputed from its payslips, keyed like the run's fields."""
    sums = run.payslips.aggregate(**{key: Sum(field) for key, field in TOTAL_FIELDS.items()})
    return {key: value or Decimal("0") for key, value in sums.items()}


def register_rows(run: PayrollRun):
    """The payslips of the register, in the order they are printed."""
    return (
        Payslip.objects.filter(run=run).select_related("person").order_by("person__full_name", "id")
    )


def payroll_status_by_enterprise(user) -> list[dict]:
    """For the manager's dashboard: each enterprise they run, its last run's month and state."""
    from enterprises.access import managed_enterprise_ids
    from enterprises.models import SocialEnterprise

    ids = managed_enterprise_ids(user)
    if not ids:
        return []
    latest: dict[int, PayrollRun] = {}
    runs = PayrollRun.objects.filter(enterprise_id__in=ids).order_by("enterprise_id", "-month")
    # Months are few per enterprise; keep the first (latest) of each in Python.
    for run in runs.only("id", "enterprise_id", "month", "status", "net_total"):
        latest.setdefault(run.enterprise_id, run)
    rows = []
    for enterprise in SocialEnterprise.objects.filter(pk__in=ids).order_by("name"):
        rows.append({"enterprise": enterprise, "run": latest.get(enterprise.pk)})
    return rows


def adjustments_by_employment(run: PayrollRun) -> dict[int, Decimal]:
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for employment_id, amount in run.adjustments.values_list("employment_id", "amount"):
        sums[employment_id] += amount
    return sums
