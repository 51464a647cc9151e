"""Worked examples: each figure computed by hand in the comments, then checked to the soum.

March 2025 has 20 working days (Mon–Fri: 3–7, 10–14, 17–20, 24–28, 31; Friday 21 is Navruz,
a public holiday of the shipped calendar; Ramazon hayit on Sunday 30 takes no working day).
The rules in force are the shipped defaults: income tax 12%, of which INPS 0.1%; social tax
12%, reduced 1% for low-income families (2022–2026); minimum wage 1 155 000; overtime paid
double.
"""

import datetime
from decimal import Decimal as D

import pytest

from beneficiaries.models import IncomeRecord
from enterprises.choices import PayBasis
from payroll import services
from payroll.calculation import working_days_in
from payroll.models import Payslip
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db


def draft(enterprise, month=MARCH):
    return services.payroll_run_generate(enterprise=enterprise, month=month)


def slip(run, employment):
    return Payslip.objects.get(run=run, employment=employment)


def enter(run, employment, **values):
    line = run.timesheet.get(employment=employment)
    services.timesheet_save(run=run, lines={line.pk: {k: D(v) for k, v in values.items()}})
    return slip(run, employment)


def test_march_2025_has_20_working_days():
    assert working_days_in(MARCH) == 20  # 21 weekdays less Navruz
    assert working_days_in(datetime.date(2025, 2, 1)) == 20  # no holiday in February


def test_full_month_monthly_salary(enterprise):
    worker = hire(enterprise, rate="3000000")
    run = draft(enterprise)
    p = slip(run, worker)
    # 20 of 20 days: base 3 000 000; income tax 12% = 360 000, of which INPS 0.1% = 3 000
    # (so 357 000 to the budget); net 3 000 000 − 360 000 = 2 640 000;
    # social tax 12% = 360 000; cost 3 360 000.
    assert (p.days_worked, p.base, p.gross) == (D(20), D(3000000), D(3000000))
    assert (p.income_tax, p.inps, p.income_tax_to_budget) == (D(360000), D(3000), D(357000))
    assert (p.net, p.social_tax, p.total_cost) == (D(2640000), D(360000), D(3360000))
    assert p.below_minimum_wage is False


def test_partial_month_is_prorated_by_working_days(enterprise):
    worker = hire(enterprise, rate="3000000", start=datetime.date(2025, 3, 17))
    p = slip(draft(enterprise), worker)
    # Hired Monday 17 March: 17–20, 24–28, 31 = 10 working days of 20 (Navruz on the 21st).
    # base 3 000 000 × 10 / 20 = 1 500 000
    # income tax 1 500 000 × 0.12 = 180 000; INPS 1 500
    # net 1 500 000 − 180 000 = 1 320 000; social tax 180 000; cost 1 680 000
    assert p.days_worked == D(10)
    assert (p.base, p.income_tax, p.inps) == (D(1500000), D(180000), D(1500))
    assert (p.net, p.social_tax, p.total_cost) == (D(1320000), D(180000), D(1680000))
    assert p.below_minimum_wage is False  # not a full month: no minimum-wage warning


def test_daily_wage_worker(enterprise):
    worker = hire(enterprise, basis=PayBasis.DAILY, rate="120000")
    run = draft(enterprise)
    p = enter(run, worker, days_worked="19")
    # 19 days × 120 000 = 2 280 000; tax 273 600 (INPS 2 280); net 2 006 400; social 273 600.
    assert (p.base, p.gross, p.income_tax, p.inps) == (D(2280000), D(2280000), D(273600), D(2280))
    assert (p.net, p.social_tax, p.total_cost) == (D(2006400), D(273600), D(2553600))


def test_piece_rate_worker_with_reduced_social_tax(enterprise):
    worker = hire(enterprise, basis=PayBasis.PIECE, rate="9000", low_income=True)
    run = draft(enterprise)
    p = enter(run, worker, pieces="312")
    # 312 pieces × 9 000 = 2 808 000; tax 336 960 (INPS 2 808); net 2 471 040;
    # low-income family in 2025: social tax 1% = 28 080; cost 2 836 080.
    assert (p.base, p.piece_work, p.gross) == (D(0), D(2808000), D(2808000))
    assert (p.income_tax, p.inps, p.net) == (D(336960), D(2808), D(2471040))
    assert (p.social_tax_rate, p.social_tax, p.total_cost) == (D("0.01"), D(28080), D(2836080))


def test_reduced_rate_only_within_its_dates(enterprise):
    worker = hire(enterprise, rate="2500000", low_income=True)
    before = slip(draft(enterprise, datetime.date(2021, 12, 1)), worker)
    during = slip(draft(enterprise, datetime.date(2022, 1, 1)), worker)
    # December 2021: the reduced rate is not in force yet: 12% of 2 500 000 = 300 000.
    # January 2022: 1% = 25 000; cost 2 525 000.
    assert (before.social_tax_rate, before.social_tax) == (D("0.12"), D(300000))
    assert (during.social_tax_rate, during.social_tax, during.total_cost) == (
        D("0.01"),
        D(25000),
        D(2525000),
    )


def test_hourly_worker_with_overtime_and_bonus(enterprise):
    hourly = hire(enterprise, basis=PayBasis.HOURLY, rate="18000")
    monthly = hire(enterprise, rate="3000000")
    run = draft(enterprise)
    h = enter(run, hourly, hours_worked="160", overtime_hours="4")
    m = enter(run, monthly, overtime_hours="10", bonus="200000")
    # Hourly: 160 h × 18 000 = 2 880 000; overtime 4 h × 18 000 × 2 = 144 000;
    # gross 3 024 000; tax 362 880; net 2 661 120.
    assert (h.base, h.overtime, h.gross, h.net) == (D(2880000), D(144000), D(3024000), D(2661120))
    # Monthly: an hour is 3 000 000 / (20 days × 8 h) = 18 750; 10 h × 2 → 375 000;
    # gross 3 000 000 + 375 000 + 200 000 = 3 575 000; tax 429 000; INPS 3 575;
    # net 3 146 000; social 429 000; cost 4 004 000.
    assert (m.overtime, m.bonus, m.gross) == (D(375000), D(200000), D(3575000))
    assert (m.income_tax, m.inps, m.net) == (D(429000), D(3575), D(3146000))
    assert (m.social_tax, m.total_cost) == (D(429000), D(4004000))


def test_rate_change_in_the_middle_of_the_history(enterprise):
    worker = hire(
        enterprise,
        rate="2000000",
        start=datetime.date(2024, 11, 1),
        rates=[(datetime.date(2025, 2, 1), "2400000")],
    )
    january = slip(draft(enterprise, datetime.date(2025, 1, 1)), worker)
    february = slip(draft(enterprise, datetime.date(2025, 2, 1)), worker)
    # January: the old rate, 2 000 000 → net 1 760 000. February (20 working days, all
    # worked): the new rate, 2 400 000 → tax 288 000, net 2 112 000, cost 2 688 000.
    assert (january.rate, january.gross, january.net) == (D(2000000), D(2000000), D(1760000))
    assert (february.rate, february.gross, february.net) == (D(2400000), D(2400000), D(2112000))
    assert february.total_cost == D(2688000)


def test_full_time_month_below_minimum_wage_is_flagged(enterprise):
    low = hire(enterprise, rate="1000000")
    run = draft(enterprise)
    assert slip(run, low).below_minimum_wage is True  # 1 000 000 < 1 155 000 (from 01.10.2024)
    assert run.warnings == 1


def test_run_totals_add_up_and_approval_writes_household_income(enterprise):
    a = hire(enterprise, rate="3000000")
    b = hire(enterprise, rate="3000000", start=datetime.date(2025, 3, 17))
    run = draft(enterprise)
    # 2 640 000 + 1 320 000 = 3 960 000 net; 3 360 000 + 1 680 000 = 5 040 000 cost.
    assert (run.headcount, run.net_total, run.cost_total) == (2, D(3960000), D(5040000))
    assert run.gross_total == D(4500000)
    services.payroll_run_approve(run=run)
    income = {r.person_id: r for r in IncomeRecord.objects.filter(source="enterprise_wages")}
    assert income[a.person_id].amount == D(2640000)
    assert income[b.person_id].amount == D(1320000)
    assert income[a.person_id].family_id == a.person.family_id
    assert income[a.person_id].month == MARCH
    assert income[a.person_id].origin == slip(run, a)


def test_reversal_offsets_the_income_and_frees_the_month(enterprise):
    worker = hire(enterprise, rate="3000000")
    run = draft(enterprise)
    services.payroll_run_approve(run=run)
    services.payroll_run_reverse(run=run, reason="Wrong month entered")
    amounts = sorted(
        IncomeRecord.objects.filter(person=worker.person).values_list("amount", flat=True)
    )
    assert amounts == [D(-2640000), D(2640000)]
    assert run.status == "reversed"
    again = draft(enterprise)  # the month can be run afresh
    assert again.pk != run.pk and again.net_total == D(2640000)


def test_adjustment_in_a_later_run_corrects_an_earlier_month(enterprise):
    worker = hire(enterprise, rate="3000000")
    february = draft(enterprise, datetime.date(2025, 2, 1))
    services.payroll_run_approve(run=february)
    march = draft(enterprise)
    services.adjustment_add(
        run=march,
        employment=worker,
        amount=D(150000),
        reason="February overtime",
        corrects=february,
    )
    p = slip(march, worker)
    # 3 000 000 + 150 000 = 3 150 000; tax 378 000; net 2 772 000; social 378 000.
    assert (p.adjustments, p.gross, p.net, p.social_tax) == (
        D(150000),
        D(3150000),
        D(2772000),
        D(378000),
    )
    assert february.corrections.count() == 1


def test_a_redraft_keeps_the_timesheet_and_adds_new_contracts(enterprise):
    first = hire(enterprise, basis=PayBasis.DAILY, rate="120000")
    run = draft(enterprise)
    enter(run, first, days_worked="19")
    newcomer = hire(enterprise, rate="3000000", start=datetime.date(2025, 3, 17))
    again = draft(enterprise)
    assert again.pk == run.pk
    assert slip(again, first).gross == D(2280000)  # the 19 days entered are kept
    assert slip(again, newcomer).days_worked == D(10)
    assert again.headcount == 2 and again.net_total == D(2006400) + D(1320000)


def test_fewer_working_days_for_a_public_holiday(enterprise):
    worker = hire(enterprise, rate="3000000")
    run = draft(enterprise)
    services.payroll_run_set_working_days(run=run, working_days=19)
    p = slip(run, worker)
    # Full attendance follows the new number: 19 of 19 days, the full salary.
    assert (p.working_days, p.days_worked, p.base) == (19, D(19), D(3000000))
