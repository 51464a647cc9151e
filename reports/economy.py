"""A family's economic picture on one page: jobs, training, businesses, income, well-being.

Every figure comes from the function of the app that decides it; this module only reads
them together for one family, in a fixed number of queries whatever the family holds:

- jobs: contracts at the social enterprises running today (`Employment.active_on`) and
  placements with other employers running today (`JobPlacement.running_on`); job searches
  and referrals still open;
- training: enrolments with their certificate (`Qualification`);
- businesses: each grant or loan with its balance (`Support.balance`) and what is overdue of
  it (`enterprises.ledger.unpaid_instalments`, due by `enterprises.worklist.instalment_due_on`);
- income: per-capita income by month against the poverty line
  (`wellbeing.selectors.income_months`, the line by `PovertyLines`), with each month's
  sources (`monthly_income_by_source`, the same records);
- well-being: the stored score, its trend and the exit checklist
  (`wellbeing.selectors.wellbeing_summary`: the conditions the registered exit check names,
  `beneficiaries.exit_rules`), and the scores of the assessments over time.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from beneficiaries.choices import IncomeSource
from common.months import add_months
from enterprises.ledger import unpaid_instalments
from enterprises.models import Business, Employment, JobPlacement, RepaymentLine, Support
from enterprises.selectors import sees_enterprise
from enterprises.worklist import instalment_due_on
from training.models import Enrolment
from wellbeing.selectors import (
    PovertyLines,
    family_assessments,
    income_months,
    last_full_month,
    monthly_income_by_source,
    wellbeing_summary,
)

INCOME_MONTHS = 12
SOURCE_LABELS = dict(IncomeSource.choices)


def family_economy(family, user, today: date | None = None) -> dict:
    """The page's data for a family the user may see the sensitive data of."""
    today = today or timezone.localdate()
    employments = list(
        Employment.objects.for_user(user)
        .active_on(today)
        .filter(person__family=family)
        .select_related("person", "position__enterprise")
        .order_by("start_date", "pk")
    )
    for employment in employments:
        employment.linked = sees_enterprise(user, employment.position.enterprise)
    placements = list(
        JobPlacement.objects.for_user(user)
        .filter(person__family=family)
        .select_related("person")
        .order_by("start_date", "pk")
    )
    running = [p for p in placements if p.is_running_on(today)]
    searching = [p for p in placements if not p.is_placed and p.is_open]
    enrolments = list(
        Enrolment.objects.for_user(user)
        .filter(person__family=family)
        .select_related("person", "cohort__course", "qualification")
        .order_by("-enrolled_on", "-pk")
    )
    return {
        "family": family,
        "today": today,
        "employments": employments,
        "placements": running,
        "searching": searching,
        "enrolments": enrolments,
        "businesses": _businesses(family, user, today),
        "income": _income(family, user),
        "wellbeing": wellbeing_summary(family, user),
        "assessments": family_assessments(family, user)[:6],
    }


def _businesses(family, user, today: date) -> list:
    """The family's businesses with their grants and loans (three queries): each loan's
    balance and the part of its instalments overdue today."""
    businesses = list(
        Business.objects.for_user(user)
        .filter(family=family)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "supports",
                queryset=Support.objects.order_by("approved_on", "pk").prefetch_related(
                    Prefetch("schedule", queryset=RepaymentLine.objects.order_by("due_month"))
                ),
            )
        )
        .order_by("-started_on", "-pk")
    )
    for business in businesses:
        business.support_rows = list(business.supports.all())
        business.balance = Decimal(0)
        for support in business.support_rows:
            support.overdue = Decimal(0)
            if support.is_loan and support.disbursed_total > 0:
                schedule = [(line.due_month, line.amount) for line in support.schedule.all()]
                support.overdue = sum(
                    (
                        unpaid
                        for month, _amount, unpaid in unpaid_instalments(
                            schedule, support.repaid_total
                        )
                        if instalment_due_on(month) < today
                    ),
                    Decimal(0),
                )
            business.balance += support.balance
    return businesses


def _income(family, user) -> list[dict]:
    """The last twelve full months, newest first: household income, members, per capita,
    the poverty line and whether the family is at or above it (`income_months`: three
    queries), with the month's income by source (one query)."""
    last = last_full_month()
    first = add_months(last, -(INCOME_MONTHS - 1))
    series = income_months([family.pk], first, last, lines=PovertyLines())[family.pk]
    by_source = monthly_income_by_source(family.pk, first, last)
    rows = []
    for item in reversed(series):
        sources = by_source.get(item.month, {})
        rows.append(
            {
                "item": item,
                "sources": [
                    (code, SOURCE_LABELS.get(code, code), amount)
                    for code, amount in sorted(sources.items(), key=lambda pair: -pair[1])
                ],
            }
        )
    return rows
