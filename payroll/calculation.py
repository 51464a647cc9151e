"""The arithmetic of a payslip, kept pure so it can be checked by hand and with random inputs.

Every amount is rounded in exactly one place, `_soum` (common.money.round_soum: whole
soum, half up), once per component and once per deduction. Gross, net and total cost are
sums of rounded figures, so a payslip adds up exactly, and the run's totals and the register
are plain sums of payslips.

The working days of a month follow the public-holiday table (`month_calendar`, the only
function here that reads the database); everything else is arithmetic on its arguments.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from common.money import round_soum
from enterprises.choices import PayBasis

ZERO = Decimal("0")
FULL_TIME_HOURS = Decimal("40")  # a full-time week (Labour Code); below it is part-time
WORKDAYS_PER_WEEK = Decimal("5")


def _soum(value: Decimal) -> Decimal:
    """The one rounding step of payroll."""
    return round_soum(value)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def weekdays_between(first: date, last: date) -> int:
    """Monday to Friday days from `first` to `last`, both included (0 when last < first)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    start = first.weekday()
    count += sum(1 for offset in range(rest) if (start + offset) % 7 < 5)
    return count


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """The national calendar's exceptions in a period: holidays and transferred days off
    (not worked when they fall Monday to Friday), and weekend days made working days."""

    days_off: frozenset[date] = frozenset()
    working_weekend_days: frozenset[date] = frozenset()

    def working_days(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included: Monday to Friday, less the
        days off among them, plus the weekend days made working days."""
        count = weekdays_between(first, last)
        count -= sum(1 for day in self.days_off if first <= day <= last and day.weekday() < 5)
        count += sum(
            1 for day in self.working_weekend_days if first <= day <= last and day.weekday() >= 5
        )
        return max(count, 0)


def calendar_between(first: date, last: date) -> WorkCalendar:
    """The calendar of the days from `first` to `last` from the public-holiday table (the
    one read of the database in this module; pass its result on to avoid reading it again)."""
    from payroll.choices import CalendarDayKind
    from payroll.models import PublicHoliday

    days_off, working = set(), set()
    for day, kind in PublicHoliday.objects.between(first, last).values_list("day", "kind"):
        (working if kind == CalendarDayKind.WORKING_DAY else days_off).add(day)
    return WorkCalendar(frozenset(days_off), frozenset(working))


def month_calendar(month: date) -> WorkCalendar:
    """The month's calendar (one query)."""
    return calendar_between(month, month_end(month))


def working_days_in(month: date, calendar: WorkCalendar | None = None) -> int:
    """The working days of a month: Monday to Friday less the public holidays and
    transferred days off of the holiday table, plus weekend days made working days."""
    calendar = calendar if calendar is not None else month_calendar(month)
    return calendar.working_days(month, month_end(month))


def contract_days(
    month: date,
    start: date,
    end: date | None,
    working_days: int,
    calendar: WorkCalendar | None = None,
) -> int:
    """Working days a contract covers in the month: all of them when it spans the month,
    else the working days (holidays excluded) between its first and last day in the month."""
    first, last = month, month_end(month)
    covered_from, covered_to = max(first, start), min(last, end) if end else last
    if covered_from == first and covered_to == last:
        return working_days
    if covered_to < covered_from:
        return 0
    calendar = calendar if calendar is not None else month_calendar(month)
    return min(working_days, calendar.working_days(covered_from, covered_to))


@dataclass(slots=True)
class Rules:
    """The statutory figures in force for one month."""

    income_tax: Decimal
    inps: Decimal
    social_tax: Decimal
    social_tax_reduced: Decimal | None
    minimum_wage: Decimal
    overtime_multiplier: Decimal
    # Sick pay as a share of average daily earnings, by length of service; the maternity
    # benefit's share. None where no rule is in force (then no such day can be paid).
    sick_pay_short_service: Decimal | None = None
    sick_pay_long_service: Decimal | None = None
    sick_pay_long_service_years: Decimal | None = None
    maternity_pay: Decimal | None = None
    # The caps on deductions and the alimony shares; None where a rule is missing (then no
    # deduction can be taken).
    deduction_caps: "DeductionCaps | None" = None

    def sick_pay_rate(self, years_of_service: Decimal) -> Decimal | None:
        """The share of average daily earnings a sick day is paid at for this service."""
        if self.sick_pay_long_service_years is not None and (
            years_of_service >= self.sick_pay_long_service_years
        ):
            return self.sick_pay_long_service
        return self.sick_pay_short_service


@dataclass(slots=True)
class Inputs:
    """One employee's month: the contract terms and the timesheet."""

    pay_basis: str
    rate: Decimal
    hours_per_week: Decimal
    working_days: int
    days_worked: Decimal
    hours_worked: Decimal = ZERO
    overtime_hours: Decimal = ZERO
    pieces: Decimal = ZERO
    bonus: Decimal = ZERO
    adjustments: Decimal = ZERO
    low_income_family: bool = False
    # Days of absence on the timesheet (working days) and what they are paid from.
    leave_days: Decimal = ZERO  # annual paid leave
    sick_days: Decimal = ZERO  # temporary disability, paid by the employer
    maternity_days: Decimal = ZERO  # maternity leave
    unpaid_days: Decimal = ZERO  # leave without pay
    average_daily: "AverageDaily | None" = None
    sick_rate: Decimal = ZERO  # share of average daily earnings a sick day is paid at
    maternity_rate: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class AverageDaily:
    """Average daily earnings: `earnings` over `days` (kept as both, so each pay line is one
    rounding of earnings × days ÷ days, checkable by hand)."""

    earnings: Decimal
    days: Decimal

    @property
    def value(self) -> Decimal:
        return self.earnings / self.days if self.days else ZERO

    def pay(self, days: Decimal, share: Decimal = Decimal("1")) -> Decimal:
        """Pay for `days` at `share` of the average: rounded once."""
        if not self.days or not days:
            return ZERO
        return _soum(self.earnings * days * share / self.days)


AVERAGE_MONTHS = 12


def years_of_service(start: date, on: date) -> int:
    """Whole years from the contract's start to `on` (the length of service of sick pay)."""
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(years, 0)


def earnings_for_average(base, overtime, piece_work, bonus) -> Decimal:
    """What of a payslip counts towards average earnings: pay for time worked (base,
    overtime, piece work, bonus). Leave, sick and maternity pay and corrections of other
    months are left out, as are the days they pay (docs/payroll.md)."""
    return base + overtime + piece_work + bonus


def contract_daily_rate(
    pay_basis: str, rate: Decimal, hours_per_week: Decimal, working_days: int
) -> Decimal:
    """A day's pay by the contract alone (for a new employee with no month worked yet)."""
    if pay_basis == PayBasis.MONTHLY:
        return rate / working_days if working_days else ZERO
    if pay_basis == PayBasis.DAILY:
        return rate
    if pay_basis == PayBasis.HOURLY:
        return rate * hours_per_week / WORKDAYS_PER_WEEK
    return ZERO


def average_daily_earnings(
    history: list[tuple[Decimal, Decimal]],
    *,
    this_month: tuple[Decimal, Decimal],
    contract_day: Decimal,
) -> AverageDaily:
    """Average daily earnings for leave, sick and maternity pay (docs/payroll.md).

    `history` holds (earnings, days worked) of the approved payslips of the 12 calendar
    months before the month; with less history, the months there are. With no day worked
    in them, this month's own (earnings, days worked); with none either, the contract's
    daily rate."""
    earnings = sum((e for e, _d in history), ZERO)
    days = sum((d for _e, d in history), ZERO)
    if days > 0:
        return AverageDaily(earnings, days)
    if this_month[1] > 0:
        return AverageDaily(*this_month)
    return AverageDaily(contract_day, Decimal("1"))


@dataclass(slots=True)
class Figures:
    base: Decimal
    overtime: Decimal
    piece_work: Decimal
    bonus: Decimal
    leave_pay: Decimal
    sick_pay: Decimal
    maternity_pay: Decimal
    adjustments: Decimal
    gross: Decimal
    taxable: Decimal
    income_tax: Decimal
    inps: Decimal
    income_tax_to_budget: Decimal
    net: Decimal
    social_tax_rate: Decimal
    social_tax: Decimal
    total_cost: Decimal
    hourly_rate: Decimal
    full_time_month: bool
    below_minimum_wage: bool


def hourly_rate(inputs: Inputs) -> Decimal:
    """What one ordinary hour is worth, unrounded (the base of overtime pay)."""
    hours_per_day = inputs.hours_per_week / WORKDAYS_PER_WEEK
    if inputs.pay_basis == PayBasis.HOURLY:
        return inputs.rate
    if hours_per_day <= 0:
        return ZERO
    if inputs.pay_basis == PayBasis.DAILY:
        return inputs.rate / hours_per_day
    if inputs.pay_basis == PayBasis.MONTHLY and inputs.working_days > 0:
        return inputs.rate / (inputs.working_days * hours_per_day)
    return ZERO  # piece work has no hourly rate: its overtime is in the pieces


def is_full_time_month(inputs: Inputs) -> bool:
    """Full-time hours a week and every working day of the month worked."""
    if inputs.hours_per_week < FULL_TIME_HOURS or inputs.working_days <= 0:
        return False
    if inputs.pay_basis == PayBasis.HOURLY:
        return inputs.hours_worked >= inputs.working_days * (
            inputs.hours_per_week / WORKDAYS_PER_WEEK
        )
    return inputs.days_worked >= inputs.working_days


def compute(inputs: Inputs, rules: Rules) -> Figures:
    basis = inputs.pay_basis
    if basis == PayBasis.MONTHLY:
        base = (
            _soum(inputs.rate * inputs.days_worked / inputs.working_days)
            if inputs.working_days
            else ZERO
        )
    elif basis == PayBasis.DAILY:
        base = _soum(inputs.rate * inputs.days_worked)
    elif basis == PayBasis.HOURLY:
        base = _soum(inputs.rate * inputs.hours_worked)
    else:
        base = ZERO
    piece_work = _soum(inputs.rate * inputs.pieces) if basis == PayBasis.PIECE else ZERO
    per_hour = hourly_rate(inputs)
    overtime = _soum(per_hour * rules.overtime_multiplier * inputs.overtime_hours)
    bonus, adjustments = _soum(inputs.bonus), _soum(inputs.adjustments)
    average = inputs.average_daily or AverageDaily(ZERO, ZERO)
    leave_pay = average.pay(inputs.leave_days)
    sick_pay = average.pay(inputs.sick_days, inputs.sick_rate)
    maternity_pay = average.pay(inputs.maternity_days, inputs.maternity_rate)
    gross = base + overtime + piece_work + bonus + leave_pay + sick_pay + maternity_pay
    gross += adjustments
    # The maternity benefit is free of income tax; sick pay is taxed but bears no social
    # tax (docs/payroll.md, to be confirmed by an accountant).
    taxable = gross - maternity_pay
    income_tax = _soum(taxable * rules.income_tax)
    inps = _soum(taxable * rules.inps)  # taken out of the income tax withheld, not added to it
    net = gross - income_tax
    social_rate = (
        rules.social_tax_reduced
        if inputs.low_income_family and rules.social_tax_reduced is not None
        else rules.social_tax
    )
    social_tax = _soum((taxable - sick_pay) * social_rate)
    full_time = is_full_time_month(inputs)
    return Figures(
        base=base,
        overtime=overtime,
        piece_work=piece_work,
        bonus=bonus,
        leave_pay=leave_pay,
        sick_pay=sick_pay,
        maternity_pay=maternity_pay,
        adjustments=adjustments,
        gross=gross,
        taxable=taxable,
        income_tax=income_tax,
        inps=inps,
        income_tax_to_budget=income_tax - inps,
        net=net,
        social_tax_rate=social_rate,
        social_tax=social_tax,
        total_cost=gross + social_tax,
        hourly_rate=per_hour,
        full_time_month=full_time,
        below_minimum_wage=full_time and (gross - adjustments) < rules.minimum_wage,
    )


def default_hours(days: Decimal | int, hours_per_week: Decimal) -> Decimal:
    return (Decimal(days) * hours_per_week / WORKDAYS_PER_WEEK).quantize(Decimal("0.01"))


# --- What the employee is paid: net, less the advance and the deductions ---------------------
#
# Deductions are taken from the wage after income tax (INPS is part of the income tax
# withheld, not a second withholding: see `compute`). Law 258-II "On the execution of judicial
# acts", art. 65; docs/payroll.md "Advance and deductions".

ALIMONY = "alimony"
COURT_ORDER = "court_order"
VOLUNTARY = "voluntary"
# The order deductions are taken in after the income tax: alimony for children first, then
# other writs, then what the employee agreed to. Cut last-first when the cap is reached.
DEDUCTION_PRIORITY = {ALIMONY: 1, COURT_ORDER: 2, VOLUNTARY: 3}


@dataclass(frozen=True, slots=True)
class DeductionCaps:
    """The dated caps on a month's total deductions, as shares of the wage after tax, and
    the alimony shares as divisors (4 is a quarter), per number of children."""

    general: Decimal  # voluntary deductions only
    writs: Decimal  # any writ (court order)
    alimony: Decimal  # alimony for minor children among them
    alimony_divisors: tuple[Decimal, Decimal, Decimal]  # 1 child, 2 children, 3 or more

    def alimony_divisor(self, children: int) -> Decimal:
        return self.alimony_divisors[min(max(children, 1), 3) - 1]

    def rate_for(self, kinds: set[str]) -> Decimal:
        """The cap that holds for the month's mix of deductions (the highest applicable)."""
        if ALIMONY in kinds:
            return self.alimony
        if COURT_ORDER in kinds:
            return self.writs
        return self.general


@dataclass(frozen=True, slots=True)
class DeductionOrder:
    """One deduction to take this month: alimony by its number of children, or a fixed
    amount (another writ, or a voluntary deduction). `key` is the caller's reference."""

    key: object
    kind: str
    children: int = 0
    amount: Decimal = ZERO

    @property
    def priority(self) -> int:
        return DEDUCTION_PRIORITY[self.kind]


@dataclass(frozen=True, slots=True)
class DeductionLine:
    key: object
    kind: str
    priority: int
    due: Decimal  # what the order asks for this month
    withheld: Decimal  # what the cap lets the employer take
    share_divisor: Decimal | None = None  # alimony: 4 is a quarter

    @property
    def shortfall(self) -> Decimal:
        return self.due - self.withheld


@dataclass(frozen=True, slots=True)
class Deductions:
    lines: tuple[DeductionLine, ...]
    cap_rate: Decimal
    cap: Decimal  # the most that may be withheld this month (the cap, or less when the
    # advance already paid leaves less)

    @property
    def withheld(self) -> Decimal:
        return sum((line.withheld for line in self.lines), ZERO)

    @property
    def shortfall(self) -> Decimal:
        return sum((line.shortfall for line in self.lines), ZERO)


def deduction_due(order: DeductionOrder, net: Decimal, caps: DeductionCaps) -> Decimal:
    """What one order asks for this month: alimony a share of the wage after tax (rounded
    once), any other order its fixed amount."""
    if order.kind == ALIMONY:
        return _soum(net / caps.alimony_divisor(order.children)) if net > 0 else ZERO
    return order.amount


def deductions(
    net: Decimal, advance: Decimal, orders: list[DeductionOrder], caps: DeductionCaps
) -> Deductions:
    """The month's deductions, in order of priority, within the cap.

    The cap is a share of the wage after tax (`net`), the highest one the month's orders
    allow; it never takes more than the advance left to pay. Orders are served in priority
    order (then in the order given), so when the cap is reached the lowest priority is cut
    first; what an order could not get is its shortfall, recorded on its line."""
    ordered = sorted(enumerate(orders), key=lambda item: (item[1].priority, item[0]))
    cap_rate = caps.rate_for({order.kind for order in orders}) if orders else ZERO
    room = max(min(_soum(net * cap_rate), net - advance), ZERO)
    cap = room
    lines = []
    for _index, order in ordered:
        due = deduction_due(order, net, caps)
        withheld = min(due, room)
        room -= withheld
        lines.append(
            DeductionLine(
                key=order.key,
                kind=order.kind,
                priority=order.priority,
                due=due,
                withheld=withheld,
                share_divisor=(
                    caps.alimony_divisor(order.children) if order.kind == ALIMONY else None
                ),
            )
        )
    return Deductions(tuple(lines), cap_rate, cap)


def amount_to_pay(*, net: Decimal, advance: Decimal, deductions: Decimal) -> Decimal:
    """What the employee is paid at the month's settlement: net pay, less the advance paid
    mid-month and the deductions withheld. The one place this is decided (payslip, register,
    bank file and cash list read the payslip's frozen `amount_to_pay`)."""
    return net - advance - deductions
