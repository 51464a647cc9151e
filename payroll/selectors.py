"""Reads of payroll: the rules in force, the run pages' rows, the register, the dashboard."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.money import round_soum
from common.months import add_months
from enterprises.choices import PayDay
from payroll import calculation
from payroll.calculation import Rules
from payroll.choices import RuleKind, RunStatus
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
            % {
                "rules": ", ".join(str(label) for label in missing),
                "day": date_format(month, "SHORT_DATE_FORMAT"),
            }
        )
    return Rules(
        income_tax=values[RuleKind.INCOME_TAX],
        inps=values[RuleKind.INPS],
        social_tax=values[RuleKind.SOCIAL_TAX],
        social_tax_reduced=values.get(RuleKind.SOCIAL_TAX_REDUCED),
        minimum_wage=values[RuleKind.MINIMUM_WAGE],
        overtime_multiplier=values[RuleKind.OVERTIME_MULTIPLIER],
        sick_pay_short_service=values.get(RuleKind.SICK_PAY_SHORT_SERVICE),
        sick_pay_long_service=values.get(RuleKind.SICK_PAY_LONG_SERVICE),
        sick_pay_long_service_years=values.get(RuleKind.SICK_PAY_LONG_SERVICE_YEARS),
        maternity_pay=values.get(RuleKind.MATERNITY_PAY),
        deduction_caps=_deduction_caps(values),
    )


DEDUCTION_KINDS = [
    RuleKind.DEDUCTION_CAP,
    RuleKind.DEDUCTION_CAP_WRITS,
    RuleKind.DEDUCTION_CAP_ALIMONY,
    RuleKind.ALIMONY_ONE_CHILD,
    RuleKind.ALIMONY_TWO_CHILDREN,
    RuleKind.ALIMONY_THREE_CHILDREN,
]


def _deduction_caps(values) -> calculation.DeductionCaps | None:
    """The caps and alimony shares in force, or None when any of them is missing."""
    if any(kind not in values for kind in DEDUCTION_KINDS):
        return None
    general, writs, alimony, *divisors = (values[kind] for kind in DEDUCTION_KINDS)
    return calculation.DeductionCaps(general, writs, alimony, tuple(divisors))


def earnings_history(run: PayrollRun) -> dict[int, tuple[list[tuple[Decimal, Decimal]], int]]:
    """Per employment of the run's enterprise: (earnings, days worked) of each approved
    payslip (approved or paid run, not reversed) of the 12 calendar months before the run's
    month, and how many months they are. One query."""
    first = add_months(run.month, -calculation.AVERAGE_MONTHS)
    rows = (
        Payslip.objects.filter(
            run__enterprise_id=run.enterprise_id,
            run__status__in=[RunStatus.APPROVED, RunStatus.PAID],
            run__month__gte=first,
            run__month__lt=run.month,
        )
        .order_by()
        .values_list("employment_id", "base", "overtime", "piece_work", "bonus", "days_worked")
    )
    history: dict[int, list] = defaultdict(list)
    for employment_id, base, overtime, piece_work, bonus, days in rows:
        history[employment_id].append(
            (calculation.earnings_for_average(base, overtime, piece_work, bonus), days)
        )
    return {pk: (months, len(months)) for pk, months in history.items()}


def payslip_sums(run: PayrollRun) -> dict[str, Decimal]:
    """The run's totals recomputed from its payslips, keyed like the run's fields."""
    sums = run.payslips.aggregate(**{key: Sum(field) for key, field in TOTAL_FIELDS.items()})
    return {key: value or Decimal("0") for key, value in sums.items()}


REGISTER_AMOUNTS = [
    "base",
    "overtime",
    "piece_work",
    "bonus",
    "leave_pay",
    "sick_pay",
    "maternity_pay",
    "adjustments",
    "gross",
    "income_tax",
    "inps",
    "net",
    "social_tax",
    "total_cost",
    # Paid out of net pay (docs/payroll.md "Advance and deductions").
    "advance",
    "deductions",
    "amount_to_pay",
]


REGISTER_DAYS = ["days_worked", "leave_days", "sick_days", "maternity_days", "unpaid_days"]


def register_rows(run: PayrollRun):
    """The payslips of the register, in the order they are printed."""
    return (
        Payslip.objects.filter(run=run)
        .select_related("person")
        .prefetch_related("deduction_lines")  # each deduction under the column's amount
        .order_by("person__full_name", "id")
    )


def register(run: PayrollRun) -> tuple[list[Payslip], dict[str, Decimal]]:
    """The register's rows and its totals line: plain sums of the rows, which equal the run's
    stored totals (approval refuses a run whose totals differ from its payslips)."""
    rows = list(register_rows(run))
    totals = {
        field: sum((getattr(row, field) for row in rows), Decimal("0"))
        for field in [*REGISTER_AMOUNTS, *REGISTER_DAYS]
    }
    return rows, totals


def payroll_status_panel(user) -> dict | None:
    """The manager's dashboard: each enterprise they run, its last run's month and state.

    Two queries whatever the number of enterprises and runs.
    """
    from enterprises.access import managed_enterprise_ids
    from enterprises.models import SocialEnterprise

    ids = managed_enterprise_ids(user)
    if not ids:
        return None
    last = PayrollRun.objects.filter(enterprise=OuterRef("pk")).order_by("-month", "-id")
    enterprises = list(
        SocialEnterprise.objects.filter(pk__in=ids)
        .annotate(last_run_id=Subquery(last.values("pk")[:1]))
        .order_by("name")
    )
    runs = PayrollRun.objects.in_bulk([e.last_run_id for e in enterprises if e.last_run_id])
    return {
        "title": _("Payroll"),
        "template": "payroll/panels/payroll_status.html",
        "rows": [
            {"enterprise": enterprise, "run": runs.get(enterprise.last_run_id)}
            for enterprise in enterprises
        ],
    }


def advances_by_employment(run: PayrollRun) -> dict[int, Decimal]:
    """The advance paid to each employee of the run (one query)."""
    return dict(run.advances.values_list("employment_id", "amount"))


def deduction_orders_by_employment(run: PayrollRun) -> dict[int, list]:
    """The deduction orders in force in the run's month, per employment, oldest first
    (one query)."""
    from payroll.models import DeductionOrder

    orders: dict[int, list] = defaultdict(list)
    for order in (
        DeductionOrder.objects.filter(employment__position__enterprise_id=run.enterprise_id)
        .in_force_in(run.month, calculation.month_end(run.month))
        .order_by("starts_on", "id")
    ):
        orders[order.employment_id].append(order)
    return orders


def payable_amount(payslip: Payslip) -> Decimal:
    """What the employee is paid at the settlement: the payslip's `amount_to_pay`, frozen at
    approval (decided by `calculation.amount_to_pay`: net pay less the advance and the
    deductions). The bank file and the cash list (payroll.payments) read it here."""
    return payslip.amount_to_pay


def adjustments_by_employment(run: PayrollRun) -> dict[int, Decimal]:
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for employment_id, amount in run.adjustments.values_list("employment_id", "amount"):
        sums[employment_id] += amount
    return sums


# --- Who may approve a run, and from when -----------------------------------------------------


def last_working_day(month: date) -> date:
    """The month's last working day: the last day its calendar counts as one (the same rule
    as the month's working days: Monday to Friday, public holidays and transferred days off
    of the holiday table excluded, weekend days made working days included)."""
    work_calendar = calculation.month_calendar(month)
    day = calculation.month_end(month)
    while day > month and not work_calendar.working_days(day, day):
        day -= timedelta(days=1)
    return day


def approval_opens_on(enterprise, month: date) -> date:
    """The first day the enterprise's payroll of `month` may be approved: the day after the
    month ended, or the month's last working day when the enterprise pays then."""
    if enterprise.pay_day == PayDay.LAST_WORKING_DAY:
        return last_working_day(month)
    return calculation.month_end(month) + timedelta(days=1)


def four_eyes_apply(enterprise) -> bool:
    """Whether the enterprise's runs need an approver other than their preparer: its rule is
    on and it has two or more managers (one query)."""
    return enterprise.payroll_four_eyes and enterprise.managers.count() >= 2


def approval_refusal(run: PayrollRun, user, *, today: date | None = None) -> str | None:
    """Why `user` may not approve `run` now (None when they may): the month has not ended
    (or not reached its last working day), or they prepared it and a second person must
    approve. The service and the run page both ask this."""
    today = today or timezone.localdate()
    opens_on = approval_opens_on(run.enterprise, run.month)
    if today < opens_on:
        return _(
            "The payroll of %(month)s can be approved from %(day)s, once the month's work is "
            "done. It can be drafted and checked until then."
        ) % {
            "month": date_format(run.month, "YEAR_MONTH_FORMAT"),
            "day": date_format(opens_on, "SHORT_DATE_FORMAT"),
        }
    if four_eyes_apply(run.enterprise):
        if user is None:
            return _("This enterprise's payroll is approved by a named second person.")
        if run.generated_by_id is not None and user.pk == run.generated_by_id:
            return _(
                "You prepared this run: another manager of the enterprise, or the programme, "
                "approves it."
            )
    return None


# --- Notes on the family's income page -------------------------------------------------------


def income_notes(records) -> dict[int, str]:
    """A reversed run's income, its offset and its month's re-run, labelled as such
    (beneficiaries.income_notes): three queries at most for a page of records."""
    from django.contrib.contenttypes.models import ContentType

    from payroll.choices import RunStatus
    from payroll.models import ReversalLine

    payslip_type = ContentType.objects.get_for_model(Payslip).pk
    reversal_type = ContentType.objects.get_for_model(ReversalLine).pk
    by_payslip = {r.origin_id: r.pk for r in records if r.origin_type_id == payslip_type}
    by_line = {r.origin_id: r.pk for r in records if r.origin_type_id == reversal_type}
    notes: dict[int, str] = {}
    if by_payslip:
        payslips = list(
            Payslip.objects.filter(pk__in=by_payslip).values_list(
                "pk", "run__status", "run__enterprise_id", "run__month", "run__reversed_at"
            )
        )
        earlier = {}
        current = [(e, m) for _pk, status, e, m, _at in payslips if status != RunStatus.REVERSED]
        if current:
            for enterprise_id, month, reversed_at in PayrollRun.objects.filter(
                status=RunStatus.REVERSED,
                enterprise_id__in={e for e, _m in current},
                month__in={m for _e, m in current},
            ).values_list("enterprise_id", "month", "reversed_at"):
                earlier[(enterprise_id, month)] = max(
                    reversed_at, earlier.get((enterprise_id, month), reversed_at)
                )
        for pk, status, enterprise_id, month, reversed_at in payslips:
            if status == RunStatus.REVERSED:
                notes[by_payslip[pk]] = _("Reversed on %(day)s") % {
                    "day": date_format(timezone.localtime(reversed_at), "SHORT_DATE_FORMAT")
                }
            elif (enterprise_id, month) in earlier:
                notes[by_payslip[pk]] = _("Re-run of the payroll reversed on %(day)s") % {
                    "day": date_format(
                        timezone.localtime(earlier[(enterprise_id, month)]), "SHORT_DATE_FORMAT"
                    )
                }
    if by_line:
        for pk, month in ReversalLine.objects.filter(pk__in=by_line).values_list(
            "pk", "payslip__run__month"
        ):
            notes[by_line[pk]] = _("Reversal of the payroll of %(month)s") % {
                "month": date_format(month, "YEAR_MONTH_FORMAT")
            }
    return notes


# --- An employee's pay over months: the income certificate and the year's statement ---------

# The payslip figures the documents for people print, each month summed over the employee's
# contracts at the enterprise. A payslip counts once its run is approved (or paid); a
# reversed run's payslips do not, and the month's re-run does.
EARNINGS_FIELDS = ("gross", "income_tax", "inps", "net")


def employee_months(enterprise, person, first_month: date, last_month: date) -> list[dict]:
    """Every month from `first_month` to `last_month`: the employee's approved gross pay,
    income tax (of which INPS) and net pay at `enterprise`, and how many payslips made them
    (0: no approved payroll paid them that month). One query."""
    from common.months import months_between
    from payroll.choices import RunStatus

    found = {
        row["run__month"]: row
        for row in Payslip.objects.filter(
            run__enterprise=enterprise,
            person=person,
            run__month__gte=first_month,
            run__month__lte=last_month,
            run__status__in=[RunStatus.APPROVED, RunStatus.PAID],
        )
        .values("run__month")
        .annotate(payslips=Count("id"), **{field: Sum(field) for field in EARNINGS_FIELDS})
        .order_by("run__month")
    }
    rows = []
    for month in months_between(first_month, last_month):
        row = found.get(month, {})
        rows.append(
            {
                "month": month,
                "payslips": row.get("payslips", 0),
                **{field: round_soum(row.get(field) or 0) for field in EARNINGS_FIELDS},
            }
        )
    return rows


def months_totals(rows: list[dict]) -> dict[str, Decimal]:
    """The totals line of `employee_months`' rows."""
    return {field: sum((row[field] for row in rows), Decimal("0")) for field in EARNINGS_FIELDS}


def year_statement(enterprise, person, year: int) -> tuple[list[dict], dict[str, Decimal]]:
    """The employee's calendar year at the enterprise, month by month, and its totals."""
    rows = employee_months(enterprise, person, date(year, 1, 1), date(year, 12, 1))
    return rows, months_totals(rows)


def employees_of(enterprise_ids):
    """The people who hold or held a contract at any of the enterprises, by name."""
    from beneficiaries.models import Person

    return (
        Person.objects.filter(employments__position__enterprise_id__in=enterprise_ids)
        .distinct()
        .order_by("full_name", "id")
    )


def payroll_enterprises(user):
    """The enterprises whose payroll the user sees: programme-wide roles all of them,
    enterprise managers their own (the scope of payroll_scope)."""
    from accounts.roles import sees_whole_programme
    from enterprises.access import managed_enterprise_ids
    from enterprises.models import SocialEnterprise

    enterprises = SocialEnterprise.objects.order_by("name")
    if sees_whole_programme(user):
        return enterprises
    return enterprises.filter(pk__in=managed_enterprise_ids(user))
