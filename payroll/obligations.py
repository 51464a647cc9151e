"""The employer's obligations of an approved payroll: what is due, by when, what was paid.

What is due is read from the run's **frozen totals**, never recomputed: the income tax to the
budget is the tax withheld less the INPS taken out of it (`income_tax_total − inps_total`,
as `Payslip.income_tax_to_budget`), the INPS is `inps_total`, the social tax
`social_tax_total`. So the obligations equal the register's totals by construction.

The due date is a dated rule (`StatutoryRule`, kinds `*_due_day`): the day of the month after
the payroll month, in force on the payroll month's first day; a due day that is not a working
day (a weekend, a public holiday of the calendar table) moves to the next working day.
docs/payroll.md says where the figures come from and what is to be confirmed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from common.months import add_months
from payroll import calculation
from payroll.choices import Obligation, RuleKind, RunStatus
from payroll.models import PayrollRun, StatutoryRule, TaxPayment

ZERO = Decimal("0")
# Runs that owe their taxes: approved, paid out. A draft owes nothing yet; a reversed run
# owes nothing (its month's re-run does); payments already made for it stay in its history.
OWING_STATUSES = (RunStatus.APPROVED, RunStatus.PAID)
DUE_DAY_RULES = {
    Obligation.INCOME_TAX: RuleKind.INCOME_TAX_DUE_DAY,
    Obligation.INPS: RuleKind.INPS_DUE_DAY,
    Obligation.SOCIAL_TAX: RuleKind.SOCIAL_TAX_DUE_DAY,
}
# How far past the 28th a due day may move over days off (New Year, the Eid holidays).
SHIFT_DAYS = 14


def due_amounts(run: PayrollRun) -> dict[str, Decimal]:
    """What the run owes, from its frozen totals."""
    return {
        Obligation.INCOME_TAX: run.income_tax_total - run.inps_total,
        Obligation.INPS: run.inps_total,
        Obligation.SOCIAL_TAX: run.social_tax_total,
    }


@dataclass
class ObligationLine:
    obligation: str
    due: Decimal
    due_on: date | None  # None: no due-day rule in force (the page says so)
    payments: list = field(default_factory=list)
    today: date | None = None

    @property
    def label(self):
        return Obligation(self.obligation).label

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def unpaid(self) -> Decimal:
        return self.due - self.paid

    @property
    def overdue(self) -> bool:
        return bool(self.unpaid > 0 and self.due_on and self.today and self.today > self.due_on)


class DueDays:
    """The due-day rules and the calendar of a span of payroll months, read once (two
    queries), answering the due date of any obligation of those months."""

    def __init__(self, first_month: date, last_month: date):
        self.rules = defaultdict(list)
        for kind, value, start, end in (
            StatutoryRule.objects.filter(kind__in=DUE_DAY_RULES.values())
            .filter(effective_from__lte=last_month)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first_month))
            .values_list("kind", "value", "effective_from", "effective_to")
        ):
            self.rules[kind].append((int(value), start, end))
        first_due = add_months(first_month, 1)
        last_due = add_months(last_month, 1).replace(day=28) + timedelta(days=SHIFT_DAYS)
        self.calendar = calculation.calendar_between(first_due, last_due)

    def day_for(self, obligation: str, month: date) -> int | None:
        for day, start, end in self.rules[DUE_DAY_RULES[obligation]]:
            if start <= month and (end is None or end >= month):
                return day
        return None

    def due_on(self, obligation: str, month: date) -> date | None:
        day = self.day_for(obligation, month)
        if day is None:
            return None
        due = add_months(month, 1).replace(day=day)
        while not self.calendar.working_days(due, due):
            due += timedelta(days=1)
        return due


def _lines(run, payments, due_days: DueDays, today: date) -> list[ObligationLine]:
    by_obligation = defaultdict(list)
    for payment in payments:
        by_obligation[payment.obligation].append(payment)
    owing = run.status in OWING_STATUSES
    return [
        ObligationLine(
            obligation=obligation,
            due=amount if owing else ZERO,
            due_on=due_days.due_on(obligation, run.month) if owing else None,
            payments=by_obligation[obligation],
            today=today,
        )
        for obligation, amount in due_amounts(run).items()
    ]


def run_obligations(run: PayrollRun, *, today: date | None = None) -> list[ObligationLine]:
    """The run's three obligations with their payments (three queries: payments, the
    due-day rules, the calendar). A draft owes nothing: an empty list, no query."""
    if run.is_draft:
        return []
    today = today or timezone.localdate()
    payments = list(
        TaxPayment.objects.filter(run=run).select_related("recorded_by").order_by("paid_on", "id")
    )
    return _lines(run, payments, DueDays(run.month, run.month), today)


@dataclass
class SummaryRow:
    run: PayrollRun
    lines: list[ObligationLine]

    @property
    def unpaid(self) -> Decimal:
        return sum((line.unpaid for line in self.lines), ZERO)

    @property
    def overdue(self) -> bool:
        return any(line.overdue for line in self.lines)


def enterprise_summary(enterprise, year: int, *, today: date | None = None):
    """The enterprise's obligations month by month over `year`: one row per approved or paid
    run, and the totals per obligation (due, paid, unpaid). Four queries whatever the months:
    runs, payments, due-day rules, calendar."""
    today = today or timezone.localdate()
    runs = list(
        PayrollRun.objects.filter(
            enterprise=enterprise, month__year=year, status__in=OWING_STATUSES
        ).order_by("month")
    )
    payments = defaultdict(list)
    for payment in TaxPayment.objects.filter(run__in=[r.pk for r in runs]).order_by(
        "paid_on", "id"
    ):
        payments[payment.run_id].append(payment)
    due_days = DueDays(date(year, 1, 1), date(year, 12, 1))
    rows = [SummaryRow(run, _lines(run, payments[run.pk], due_days, today)) for run in runs]
    totals = {
        obligation: {
            "label": Obligation(obligation).label,
            "due": sum((r.lines[i].due for r in rows), ZERO),
            "paid": sum((r.lines[i].paid for r in rows), ZERO),
            "unpaid": sum((r.lines[i].unpaid for r in rows), ZERO),
        }
        for i, obligation in enumerate(Obligation.values)
    }
    return rows, totals
