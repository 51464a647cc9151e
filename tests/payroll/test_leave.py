"""Leave and absence, worked by hand (docs/payroll.md "Leave and absence").

March 2025 has 20 working days (Navruz on Friday 21st). Shipped rules: income tax 12% (of
which INPS 0.1%), social tax 12%, sick pay 60% below 8 years of service and 80% from 8 years,
maternity benefit 100% of average daily earnings.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from beneficiaries.models import IncomeRecord
from enterprises.choices import PayBasis
from payroll import calculation, services
from payroll.documents import register_xlsx
from payroll.explain import payslip_lines
from payroll.models import Payslip, ReversalLine
from payroll.models.runs import PayrollLocked
from payroll.selectors import register
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db


def month_run(enterprise, month, employment, *, approve=True, **values):
    """A run of `month` with `employment`'s timesheet line set to `values`."""
    run = services.payroll_run_generate(enterprise=enterprise, month=month)
    line = run.timesheet.get(employment=employment)
    services.timesheet_save(run=run, lines={line.pk: {k: D(v) for k, v in values.items()}})
    if approve:
        services.payroll_run_approve(run=run)
    run.refresh_from_db()
    return run


def slip(run, employment):
    return Payslip.objects.get(run=run, employment=employment)


def test_five_days_of_annual_leave_after_a_year_of_varying_pay(enterprise):
    # A daily-paid worker since February 2024: 100 000 a day, 120 000 from September 2024.
    worker = hire(
        enterprise,
        basis=PayBasis.DAILY,
        rate="100000",
        start=datetime.date(2024, 2, 1),
        rates=[(datetime.date(2024, 9, 1), "120000")],
    )
    # February 2024 is 13 months back: outside the 12 months, it must not count.
    month_run(enterprise, datetime.date(2024, 2, 1), worker, days_worked="19", bonus="9000000")
    days = {
        (2024, 3): 15,
        (2024, 4): 14,
        (2024, 5): 16,
        (2024, 6): 12,
        (2024, 7): 16,
        (2024, 8): 13,  # 86 days × 100 000 = 8 600 000
        (2024, 9): 16,
        (2024, 10): 15,
        (2024, 11): 14,
        (2024, 12): 16,
        (2025, 1): 12,
        (2025, 2): 15,  # 88 days × 120 000 = 10 560 000
    }
    for (year, month), worked in days.items():
        bonus = "500000" if (year, month) == (2024, 12) else "0"
        month_run(
            enterprise, datetime.date(year, month, 1), worker, days_worked=worked, bonus=bonus
        )
    # Earnings of March 2024 – February 2025: 8 600 000 + 10 560 000 + bonus 500 000
    # = 19 660 000 over 86 + 88 = 174 days worked; average 112 988.5057… a day.
    run = month_run(enterprise, MARCH, worker, approve=False, days_worked="15", leave_days="5")
    p = slip(run, worker)
    assert (p.average_earnings, p.average_days, p.average_months) == (D(19660000), D(174), 12)
    # Leave pay 19 660 000 × 5 / 174 = 98 300 000 / 174 = 564 942.53 → 564 943.
    # Base 15 × 120 000 = 1 800 000; gross 1 800 000 + 564 943 = 2 364 943.
    # Income tax 12% = 283 793.16 → 283 793; INPS 0.1% = 2 364.94 → 2 365;
    # net 2 364 943 − 283 793 = 2 081 150; social tax 283 793; cost 2 648 736.
    assert (p.base, p.leave_pay, p.gross) == (D(1800000), D(564943), D(2364943))
    assert (p.income_tax, p.inps, p.net) == (D(283793), D(2365), D(2081150))
    assert (p.social_tax, p.total_cost) == (D(283793), D(2648736))
    labels = [line.label for line in payslip_lines(p)]
    assert "Annual leave pay" in labels
    # Household income follows the net pay, leave pay included, in the month it is paid.
    services.payroll_run_approve(run=run)
    record = IncomeRecord.objects.get(person=worker.person, month=MARCH)
    assert record.amount == D(2081150)


def test_a_sick_leave_month(enterprise):
    # Five years of service (since 2020): 60%; eleven years (since 2014): 80%.
    short = hire(enterprise, rate="3000000", start=datetime.date(2020, 1, 1))
    long = hire(enterprise, rate="3000000", start=datetime.date(2014, 1, 1))
    feb = services.payroll_run_generate(enterprise=enterprise, month=datetime.date(2025, 2, 1))
    services.timesheet_save(
        run=feb, lines={feb.timesheet.get(employment=long).pk: {"days_worked": D(0)}}
    )
    services.payroll_run_approve(run=feb)  # short: 20 of 20 days, 3 000 000; long: nothing
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    lines = {t.employment_id: t.pk for t in run.timesheet.all()}
    services.timesheet_save(
        run=run,
        lines={
            lines[short.pk]: {"days_worked": D(16), "sick_days": D(4)},
            lines[long.pk]: {"days_worked": D(18), "sick_days": D(2)},
        },
    )
    a, b = slip(run, short), slip(run, long)
    # short: one month of history, 3 000 000 over 20 days = 150 000 a day.
    # base 3 000 000 × 16 / 20 = 2 400 000; sick pay 3 000 000 × 4 × 0.6 / 20 = 360 000;
    # gross 2 760 000; income tax 12% = 331 200 (INPS 2 760); net 2 428 800;
    # social tax on 2 760 000 − 360 000 = 2 400 000: 288 000; cost 3 048 000.
    assert (a.average_earnings, a.average_days, a.sick_pay_rate) == (D(3000000), D(20), D("0.6"))
    assert (a.base, a.sick_pay, a.gross) == (D(2400000), D(360000), D(2760000))
    assert (a.income_tax, a.inps, a.net) == (D(331200), D(2760), D(2428800))
    assert (a.social_tax, a.total_cost) == (D(288000), D(3048000))
    # long: no day worked before (February: 0 days), so this month's own earnings:
    # 3 000 000 × 18 / 20 = 2 700 000 over 18 days = 150 000 a day.
    # sick pay 2 700 000 × 2 × 0.8 / 18 = 240 000; gross 2 940 000; tax 352 800
    # (INPS 2 940); net 2 587 200; social tax 12% of 2 700 000 = 324 000.
    assert (b.average_earnings, b.average_days, b.average_months) == (D(2700000), D(18), 0)
    assert (b.sick_pay_rate, b.sick_pay, b.gross) == (D("0.8"), D(240000), D(2940000))
    assert (b.income_tax, b.inps, b.net, b.social_tax) == (
        D(352800),
        D(2940),
        D(2587200),
        D(324000),
    )
    assert "Sick pay (temporary disability)" in [line.label for line in payslip_lines(a)]


def test_maternity_and_unpaid_leave(enterprise):
    worker = hire(enterprise, rate="3000000", start=datetime.date(2020, 1, 1))
    month_run(enterprise, datetime.date(2025, 2, 1), worker)  # 20 of 20 days: 3 000 000
    run = month_run(
        enterprise,
        MARCH,
        worker,
        approve=False,
        days_worked="5",
        maternity_days="10",
        unpaid_days="5",
    )
    p = slip(run, worker)
    # average 3 000 000 / 20 = 150 000 a day. base 3 000 000 × 5 / 20 = 750 000;
    # maternity benefit 3 000 000 × 10 × 1 / 20 = 1 500 000; unpaid: nothing.
    # gross 2 250 000; the benefit is free of income and social tax: taxable 750 000,
    # income tax 90 000 (INPS 750), net 2 160 000, social tax 90 000, cost 2 340 000.
    assert (p.base, p.maternity_pay, p.gross) == (D(750000), D(1500000), D(2250000))
    assert (p.income_tax, p.inps, p.net) == (D(90000), D(750), D(2160000))
    assert (p.social_tax, p.total_cost) == (D(90000), D(2340000))
    lines = {line.label: line for line in payslip_lines(p)}
    assert lines["Unpaid leave"].amount == 0 and "5 days" in lines["Unpaid leave"].how
    _rows, totals = register(run)
    assert (totals["maternity_pay"], totals["unpaid_days"]) == (D(1500000), D(5))


def test_a_new_employee_without_history_is_paid_leave_at_the_contract_rate(enterprise):
    worker = hire(enterprise, rate="3000000", start=datetime.date(2025, 3, 1))
    run = month_run(enterprise, MARCH, worker, approve=False, days_worked="0", leave_days="2")
    p = slip(run, worker)
    # No month before, no day worked this month: the contract's day, 3 000 000 / 20 = 150 000.
    # leave pay 2 × 150 000 = 300 000.
    assert (p.average_earnings, p.average_days, p.leave_pay) == (D(150000), D(1), D(300000))


def test_days_worked_and_absence_cannot_exceed_the_working_days(enterprise):
    worker = hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    line = run.timesheet.get(employment=worker)
    with pytest.raises(ValidationError):
        services.timesheet_save(
            run=run, lines={line.pk: {"days_worked": D(16), "leave_days": D(3), "sick_days": D(2)}}
        )


def test_approved_absence_lines_are_locked_and_reversed(enterprise):
    worker = hire(enterprise, rate="3000000")
    month_run(enterprise, datetime.date(2025, 2, 1), worker)
    run = month_run(enterprise, MARCH, worker, days_worked="15", leave_days="3", sick_days="2")
    p = slip(run, worker)
    # 150 000 a day: leave 450 000, sick 2 × 150 000 × 0.6 = 180 000, base 2 250 000.
    assert (p.leave_pay, p.sick_pay, p.gross) == (D(450000), D(180000), D(2880000))
    with pytest.raises(PayrollLocked):
        Payslip.objects.filter(pk=p.pk).update(leave_pay=D(1))
    with pytest.raises(PayrollLocked):
        run.timesheet.update(sick_days=D(0))
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE payroll_payslip SET sick_pay = 1 WHERE id = %s", [p.pk])
    services.payroll_run_reverse(run=run, reason="Wrong sick note")
    # The reversal takes back the whole net pay, leave and sick pay included.
    assert ReversalLine.objects.get(payslip=p).net == -p.net
    amounts = IncomeRecord.objects.filter(person=worker.person, month=MARCH).values_list(
        "amount", flat=True
    )
    assert sum(amounts) == 0


def test_the_register_xlsx_has_the_absence_columns(enterprise):
    from io import BytesIO

    from openpyxl import load_workbook

    worker = hire(enterprise, rate="3000000")
    month_run(enterprise, datetime.date(2025, 2, 1), worker)
    run = month_run(enterprise, MARCH, worker, approve=False, days_worked="17", leave_days="3")
    sheet = load_workbook(BytesIO(register_xlsx(run, "en"))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[3])
    person = dict(zip(header, rows[4], strict=True))
    assert person["Leave pay"] == 450000  # 3 × 150 000
    assert person["Annual leave days"] == 3
    total = dict(zip(header, rows[5], strict=True))
    assert total["Leave pay"] == 450000 and total["Gross pay"] == 2550000 + 450000


def test_average_daily_earnings_rules():
    avg = calculation.average_daily_earnings
    assert avg([(D(100), D(2)), (D(50), D(3))], this_month=(D(9), D(1)), contract_day=D(7)) == (
        calculation.AverageDaily(D(150), D(5))
    )
    assert avg([(D(0), D(0))], this_month=(D(90), D(3)), contract_day=D(7)).value == D(30)
    assert avg([], this_month=(D(0), D(0)), contract_day=D(7)).value == D(7)
    assert calculation.years_of_service(datetime.date(2017, 3, 2), MARCH) == 7
    assert calculation.years_of_service(datetime.date(2017, 3, 1), MARCH) == 8
