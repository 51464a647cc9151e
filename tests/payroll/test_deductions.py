"""The advance and the deductions from wages, worked by hand (docs/payroll.md "Advance and
deductions").

March 2025 has 20 working days. A monthly contract of 3 000 000 worked in full: gross
3 000 000, income tax 12% = 360 000 (of which INPS 0.1% = 3 000, not withheld again), net
2 640 000 — the wage after tax every deduction is computed from. Shipped caps: 20% (voluntary
only), 50% (writs), 70% (alimony for children among them); alimony a quarter, a third, a half.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from beneficiaries.models import IncomeRecord
from payroll import calculation, services
from payroll.choices import DeductionKind
from payroll.models import Advance, Payslip, PayslipDeduction, ReversalLine
from payroll.models.runs import PayrollLocked
from payroll.selectors import payable_amount, register
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db


def order(worker, kind, **values):
    data = {
        "kind": kind,
        "reference": values.pop("reference", "Yunusobod district court, writ 2-1234/2025"),
        "beneficiary": values.pop("beneficiary", "Karimova Dilnoza"),
        "starts_on": values.pop("starts_on", datetime.date(2025, 1, 1)),
        **values,
    }
    return services.deduction_order_save(employment=worker, data=data)


def test_an_advance_and_a_writ_at_its_legal_cap(enterprise):
    worker = hire(enterprise, rate="3000000")
    # A writ of another court order for a fixed 1 500 000 a month.
    order(worker, DeductionKind.COURT_ORDER, amount=D(1500000))
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    services.advance_set(
        run=run, employment=worker, amount=D(1000000), paid_on=datetime.date(2025, 3, 15)
    )
    p = Payslip.objects.get(run=run)
    # net 2 640 000; under a writ at most 50% of it: 1 320 000 < 1 500 000 asked, and
    # net − advance = 1 640 000 leaves room for it: 1 320 000 withheld, 180 000 short.
    assert (p.net, p.advance, p.deduction_cap_rate) == (D(2640000), D(1000000), D("0.5"))
    assert (p.deductions, p.deduction_shortfall) == (D(1320000), D(180000))
    # 2 640 000 − 1 000 000 − 1 320 000 = 320 000 paid at the settlement.
    assert p.amount_to_pay == D(320000) == payable_amount(p)
    line = PayslipDeduction.objects.get(payslip=p)
    assert (line.due, line.withheld, line.shortfall) == (D(1500000), D(1320000), D(180000))
    assert line.reference.startswith("Yunusobod")

    services.payroll_run_approve(run=run)
    # Household income: the month's net pay, once — the advance is part of it, no record of
    # its own, counted in the month of the settlement.
    records = IncomeRecord.objects.filter(person=worker.person)
    assert list(records.values_list("month", "amount")) == [(MARCH, D(2640000))]

    _rows, totals = register(run)
    assert (totals["advance"], totals["deductions"], totals["amount_to_pay"]) == (
        D(1000000),
        D(1320000),
        D(320000),
    )
    assert totals["net"] - totals["advance"] - totals["deductions"] == totals["amount_to_pay"]


def test_deductions_over_the_cap_are_cut_lowest_priority_first(enterprise):
    worker = hire(enterprise, rate="3000000")
    voluntary = order(
        worker,
        DeductionKind.VOLUNTARY,
        amount=D(500000),
        reference="Application of 20.12.2024 (loan repayment)",
        beneficiary="Mehr (the enterprise)",
        consent_on=datetime.date(2024, 12, 20),
    )
    # Entered out of priority order on purpose: the order of deduction is by kind.
    court = order(worker, DeductionKind.COURT_ORDER, amount=D(600000))
    alimony = order(worker, DeductionKind.ALIMONY, children=2)
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    p = Payslip.objects.get(run=run)
    # Alimony for two children: 2 640 000 / 3 = 880 000; the court order 600 000; the
    # voluntary deduction 500 000: 1 980 000 asked. With alimony among them the cap is 70%:
    # 2 640 000 × 0.7 = 1 848 000. Alimony 880 000 (room left 968 000), the court order
    # 600 000 (368 000 left), the voluntary deduction cut to 368 000 (132 000 short).
    lines = {line.order_id: line for line in PayslipDeduction.objects.filter(payslip=p)}
    assert [(lines[o.pk].due, lines[o.pk].withheld) for o in (alimony, court, voluntary)] == [
        (D(880000), D(880000)),
        (D(600000), D(600000)),
        (D(500000), D(368000)),
    ]
    assert [lines[o.pk].priority for o in (alimony, court, voluntary)] == [1, 2, 3]
    assert lines[alimony.pk].share_divisor == D(3)
    assert (p.deduction_cap_rate, p.deductions, p.deduction_shortfall) == (
        D("0.7"),
        D(1848000),
        D(132000),
    )
    # 2 640 000 − 1 848 000 = 792 000.
    assert p.amount_to_pay == D(792000)


def test_voluntary_deductions_alone_stop_at_a_fifth():
    caps = calculation.DeductionCaps(D("0.2"), D("0.5"), D("0.7"), (D(4), D(3), D(2)))
    result = calculation.deductions(
        D(2640000),
        D(0),
        [calculation.DeductionOrder(key=1, kind=calculation.VOLUNTARY, amount=D(700000))],
        caps,
    )
    # 20% of 2 640 000 = 528 000 of the 700 000 asked.
    assert (result.cap, result.withheld, result.shortfall) == (D(528000), D(528000), D(172000))
    # The advance leaves less than the cap: 2 640 000 − 2 300 000 = 340 000 at most.
    result = calculation.deductions(
        D(2640000),
        D(2300000),
        [calculation.DeductionOrder(key=1, kind=calculation.ALIMONY, children=1)],
        caps,
    )
    # A quarter of 2 640 000 = 660 000 due, 340 000 withheld.
    assert (result.withheld, result.shortfall) == (D(340000), D(320000))


def test_an_approved_run_keeps_its_advance_and_deductions_and_a_reversal_offsets_them(
    enterprise,
):
    worker = hire(enterprise, rate="3000000")
    order(worker, DeductionKind.ALIMONY, children=1)
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    services.advance_set(
        run=run, employment=worker, amount=D(800000), paid_on=datetime.date(2025, 3, 14)
    )
    services.payroll_run_approve(run=run)
    p = Payslip.objects.get(run=run)
    # A quarter of 2 640 000 = 660 000; 2 640 000 − 800 000 − 660 000 = 1 180 000.
    assert (p.deductions, p.amount_to_pay) == (D(660000), D(1180000))
    advance = Advance.objects.get(run=run)
    with pytest.raises(PayrollLocked):
        services.advance_set(
            run=run, employment=worker, amount=D(1), paid_on=datetime.date(2025, 3, 14)
        )
    with pytest.raises(PayrollLocked):
        services.advance_delete(advance=advance)
    advance.amount = D(1)
    with pytest.raises(PayrollLocked):
        advance.save()
    with pytest.raises(PayrollLocked):
        Advance.objects.filter(run=run).update(amount=D(1))
    with pytest.raises(PayrollLocked):
        PayslipDeduction.objects.filter(run=run).update(withheld=D(1))
    with pytest.raises(PayrollLocked):
        PayslipDeduction.objects.filter(run=run).delete()
    with pytest.raises(PayrollLocked):
        Payslip.objects.filter(run=run).update(amount_to_pay=D(1))
    # The database refuses whoever writes.
    for sql in (
        "UPDATE payroll_advance SET amount = 1",
        "DELETE FROM payroll_advance",
        "UPDATE payroll_payslipdeduction SET withheld = 1",
        "DELETE FROM payroll_payslipdeduction",
        "UPDATE payroll_payslip SET amount_to_pay = 1",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO payroll_advance (run_id, employment_id, amount, paid_on, created_at) "
            "VALUES (%s, %s, 5, '2025-03-20', '2025-03-20')",
            [run.pk, hire(enterprise).pk],
        )
    # Changing the order later leaves the approved line as it was.
    alimony = PayslipDeduction.objects.get(run=run).order
    services.deduction_order_save(
        order=alimony,
        employment=worker,
        data={**{f: getattr(alimony, f) for f in services.DEDUCTION_ORDER_FIELDS}, "children": 3},
    )
    assert PayslipDeduction.objects.get(run=run).withheld == D(660000)

    services.payroll_run_reverse(run=run, reason="Wrong writ")
    line = ReversalLine.objects.get(payslip=p)
    assert (line.net, line.advance, line.deductions, line.amount_to_pay) == (
        D(-2640000),
        D(-800000),
        D(-660000),
        D(-1180000),
    )
    assert line.net - line.advance - line.deductions == line.amount_to_pay
    income = IncomeRecord.objects.filter(person=worker.person, month=MARCH)
    assert sum(income.values_list("amount", flat=True)) == 0


def test_an_advance_over_net_pay_is_refused_and_nothing_changes(enterprise):
    worker = hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    with pytest.raises(ValidationError, match="more than this month's net pay"):
        services.advance_set(
            run=run, employment=worker, amount=D(2640001), paid_on=datetime.date(2025, 3, 15)
        )
    assert not Advance.objects.exists()
    assert Payslip.objects.get(run=run).amount_to_pay == D(2640000)
    with pytest.raises(ValidationError) as error:
        services.advance_set(
            run=run, employment=worker, amount=D(100), paid_on=datetime.date(2025, 4, 1)
        )
    assert "paid_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.advance_set(
            run=run, employment=worker, amount=D("100.5"), paid_on=datetime.date(2025, 3, 3)
        )
    assert "amount" in error.value.message_dict


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": DeductionKind.ALIMONY}, "children"),
        ({"kind": DeductionKind.ALIMONY, "children": 1, "amount": D(5)}, "amount"),
        ({"kind": DeductionKind.COURT_ORDER}, "amount"),
        ({"kind": DeductionKind.COURT_ORDER, "amount": D("10.5")}, "amount"),
        ({"kind": DeductionKind.VOLUNTARY, "amount": D(100)}, "consent_on"),
        (
            {
                "kind": DeductionKind.COURT_ORDER,
                "amount": D(100),
                "consent_on": datetime.date(2024, 12, 1),
            },
            "consent_on",
        ),
        (
            {
                "kind": DeductionKind.COURT_ORDER,
                "amount": D(100),
                "ends_on": datetime.date(2024, 12, 1),
            },
            "ends_on",
        ),
    ],
)
def test_a_bad_order_is_refused_with_its_field(enterprise, values, field):
    worker = hire(enterprise)
    with pytest.raises(ValidationError) as error:
        order(worker, **values)
    assert field in error.value.message_dict


def test_an_order_outside_the_month_is_not_taken(enterprise):
    worker = hire(enterprise, rate="3000000")
    order(worker, DeductionKind.COURT_ORDER, amount=D(1000), ends_on=datetime.date(2025, 2, 28))
    order(worker, DeductionKind.COURT_ORDER, amount=D(2000), starts_on=datetime.date(2025, 4, 1))
    order(worker, DeductionKind.COURT_ORDER, amount=D(3000), starts_on=datetime.date(2025, 3, 31))
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    # Only the order in force on a day of March: 3 000.
    assert Payslip.objects.get(run=run).deductions == D(3000)
