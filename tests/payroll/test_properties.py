"""Property tests: whatever the inputs, every payslip adds up to the soum and the run's
totals, the register and the payslips agree exactly."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beneficiaries.models import IncomeRecord
from enterprises.choices import PayBasis
from payroll import calculation, services
from payroll.selectors import TOTAL_FIELDS, payslip_sums, register
from tests.payroll.conftest import MARCH
from tests.payroll.factories import SocialEnterpriseFactory, hire

RULES = calculation.Rules(
    income_tax=Decimal("0.12"),
    inps=Decimal("0.001"),
    social_tax=Decimal("0.12"),
    social_tax_reduced=Decimal("0.01"),
    minimum_wage=Decimal("1050000"),
    overtime_multiplier=Decimal("2"),
)
money = st.integers(min_value=0, max_value=50_000_000).map(Decimal)
quantity = st.decimals(min_value=0, max_value=400, places=2, allow_nan=False)
inputs = st.builds(
    calculation.Inputs,
    pay_basis=st.sampled_from(PayBasis.values),
    rate=money,
    hours_per_week=st.sampled_from([Decimal("20"), Decimal("36"), Decimal("40")]),
    working_days=st.integers(min_value=1, max_value=23),
    days_worked=st.decimals(min_value=0, max_value=23, places=1, allow_nan=False),
    hours_worked=quantity,
    overtime_hours=st.decimals(min_value=0, max_value=60, places=2, allow_nan=False),
    pieces=quantity,
    bonus=money,
    adjustments=st.integers(min_value=-100_000, max_value=5_000_000).map(Decimal),
    low_income_family=st.booleans(),
    leave_days=st.decimals(min_value=0, max_value=23, places=1, allow_nan=False),
    sick_days=st.decimals(min_value=0, max_value=23, places=1, allow_nan=False),
    maternity_days=st.decimals(min_value=0, max_value=23, places=1, allow_nan=False),
    unpaid_days=st.decimals(min_value=0, max_value=23, places=1, allow_nan=False),
    average_daily=st.builds(
        calculation.AverageDaily,
        earnings=money,
        days=st.decimals(min_value=0, max_value=260, places=2, allow_nan=False),
    ),
    sick_rate=st.sampled_from([Decimal("0.6"), Decimal("0.8"), Decimal("1")]),
    maternity_rate=st.sampled_from([Decimal("1")]),
)


def whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


@given(inputs)
def test_a_payslip_adds_up_to_the_soum(i):
    f = calculation.compute(i, RULES)
    absence = [f.leave_pay, f.sick_pay, f.maternity_pay]
    parts = [f.base, f.overtime, f.piece_work, f.bonus, *absence, f.adjustments]
    assert all(whole(x) for x in [*parts, f.income_tax, f.inps, f.social_tax, f.net])
    assert f.gross == sum(parts)
    assert all(x >= 0 for x in absence)
    assert f.taxable == f.gross - f.maternity_pay
    # Each absence line is one rounding of earnings × days × share ÷ days counted.
    average = i.average_daily
    if average.days:
        exact = average.earnings * i.leave_days / average.days
        assert abs(f.leave_pay - exact) <= Decimal("0.5")
        exact = average.earnings * i.sick_days * i.sick_rate / average.days
        assert abs(f.sick_pay - exact) <= Decimal("0.5")
    assert f.net + f.income_tax == f.gross
    assert f.income_tax_to_budget + f.inps == f.income_tax
    assert f.total_cost == f.gross + f.social_tax
    # The taxes follow the taxable pay, not the gross: maternity benefit is in the gross but
    # not taxable, so a negative correction can leave a positive gross and a negative base.
    if f.taxable >= 0:
        assert 0 <= f.inps <= f.income_tax
    # Rounded once, half up: never more than half a soum from the exact figure.
    assert abs(f.income_tax - f.taxable * RULES.income_tax) <= Decimal("0.5")
    social = (f.taxable - f.sick_pay) * f.social_tax_rate
    assert abs(f.social_tax - social) <= Decimal("0.5")


line = st.fixed_dictionaries(
    {
        "basis": st.sampled_from(PayBasis.values),
        "rate": st.integers(min_value=1_000, max_value=9_000_000),
        "days": st.integers(min_value=0, max_value=20),  # March 2025: 20 working days
        "hours": st.integers(min_value=0, max_value=200),
        "overtime": st.integers(min_value=0, max_value=20),
        "pieces": st.integers(min_value=0, max_value=500),
        "bonus": st.integers(min_value=0, max_value=500_000),
        "low_income": st.booleans(),
        # Leave, sick, maternity and unpaid days, each with the days worked at most 20.
        "absence": st.lists(st.integers(min_value=0, max_value=5), min_size=4, max_size=4),
    }
)
ABSENCE = ["leave_days", "sick_days", "maternity_days", "unpaid_days"]


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(line, min_size=1, max_size=6))
def test_run_totals_register_and_payslips_reconcile(db, rules, lines):
    try:
        with transaction.atomic():
            enterprise = SocialEnterpriseFactory()
            contracts = [
                hire(
                    enterprise,
                    basis=entry["basis"],
                    rate=str(entry["rate"]),
                    low_income=entry["low_income"],
                    start=datetime.date(2024, 1, 1),
                )
                for entry in lines
            ]
            run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
            by_contract = {t.employment_id: t.pk for t in run.timesheet.all()}
            services.timesheet_save(
                run=run,
                lines={
                    by_contract[c.pk]: {
                        "days_worked": Decimal(min(e["days"], 20 - sum(e["absence"]))),
                        **{f: Decimal(n) for f, n in zip(ABSENCE, e["absence"], strict=True)},
                        "hours_worked": Decimal(e["hours"]),
                        "overtime_hours": Decimal(e["overtime"])
                        if e["basis"] != PayBasis.PIECE
                        else Decimal(0),
                        "pieces": Decimal(e["pieces"]),
                        "bonus": Decimal(e["bonus"]),
                    }
                    for c, e in zip(contracts, lines, strict=True)
                },
            )
            run.refresh_from_db()
            sums = payslip_sums(run)
            assert all(sums[key] == getattr(run, key) for key in TOTAL_FIELDS)
            rows, totals = register(run)
            assert len(rows) == run.headcount == len(lines)
            for key, field in TOTAL_FIELDS.items():
                assert totals[field] == getattr(run, key)
            for field in ["leave_pay", "sick_pay", "maternity_pay", *ABSENCE]:
                assert totals[field] == sum(getattr(row, field) for row in rows)
            for row in rows:
                assert row.gross == sum(
                    getattr(row, field)
                    for field in [
                        "base",
                        "overtime",
                        "piece_work",
                        "bonus",
                        "leave_pay",
                        "sick_pay",
                        "maternity_pay",
                        "adjustments",
                    ]
                )
                assert row.days_worked + row.absence_days <= run.working_days
            assert run.net_total + run.income_tax_total == run.gross_total
            assert run.cost_total == run.gross_total + run.social_tax_total
            services.payroll_run_approve(run=run)
            ledger = sum(
                IncomeRecord.objects.filter(month=MARCH).values_list("amount", flat=True),
                Decimal(0),
            )
            assert ledger == run.net_total
            raise Rollback
    except Rollback:
        pass


payment = st.sampled_from(["card", "account", "cash"])


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(st.tuples(line, payment), min_size=1, max_size=5),
    shares=st.lists(st.integers(min_value=0, max_value=100), min_size=3, max_size=3),
)
def test_obligations_and_payment_files_reconcile(db, rules, lines, shares):
    """Obligations equal the register's totals; the bank file's total plus the cash list's
    equals the payable amounts; partial tax payments up to what is due are taken, one soum
    more is refused."""
    import csv
    import io

    from django.core.exceptions import ValidationError

    from enterprises import services as enterprise_services
    from enterprises.choices import PaymentMethod
    from payroll import payments
    from payroll.obligations import run_obligations
    from payroll.selectors import payable_amount

    card = "4111111111111111"
    try:
        with transaction.atomic():
            enterprise = SocialEnterpriseFactory()
            for entry, method in lines:
                contract = hire(
                    enterprise,
                    basis=entry["basis"],
                    rate=str(entry["rate"]),
                    low_income=entry["low_income"],
                    start=datetime.date(2024, 1, 1),
                )
                if method != "cash":
                    enterprise_services.employment_set_payment(
                        employment=contract,
                        payment_method=PaymentMethod.BANK,
                        card_number=card if method == "card" else "",
                        bank_account="" if method == "card" else "2" * 20,
                        changed_by=None,
                    )
            run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
            by_contract = {t.employment_id: t for t in run.timesheet.all()}
            services.timesheet_save(
                run=run,
                lines={
                    t.pk: {
                        "days_worked": Decimal(min(e["days"], 20 - sum(e["absence"]))),
                        **{f: Decimal(n) for f, n in zip(ABSENCE, e["absence"], strict=True)},
                        "bonus": Decimal(e["bonus"]),
                        "pieces": Decimal(e["pieces"]),
                        "hours_worked": Decimal(e["hours"]),
                    }
                    for t, (e, _m) in zip(by_contract.values(), lines, strict=True)
                },
            )
            run = services.payroll_run_approve(run=run)
            _rows, totals = register(run)
            due = {o.obligation: o for o in run_obligations(run)}
            assert due["income_tax"].due + due["inps"].due == totals["income_tax"]
            assert due["inps"].due == totals["inps"]
            assert due["social_tax"].due == totals["social_tax"]

            lists = payments.payment_lists(run)
            payable = [payable_amount(p) for p in run.payslips.all()]
            parsed = list(
                csv.DictReader(
                    io.StringIO(payments.bank_csv(run, lists).decode("utf-8")), delimiter=";"
                )
            )
            bank = sum((Decimal(row["Amount"]) for row in parsed), Decimal(0))
            assert bank == lists.bank_total
            assert bank + lists.cash_total == sum(a for a in payable if a > 0)
            assert len(parsed) == sum(1 for _e, m in lines if m != "cash") - sum(
                1 for line in lists.nothing if line.employment.payment_method == "bank"
            )

            for share, (obligation, line) in zip(shares, due.items(), strict=True):
                first = (line.due * share / 100).quantize(Decimal(1))
                rest = line.due - first
                for amount in (first, rest):
                    if amount > 0:
                        services.tax_payment_record(
                            run=run,
                            obligation=obligation,
                            paid_on=datetime.date(2025, 4, 10),
                            amount=amount,
                            reference="PP",
                        )
                with pytest.raises(ValidationError):
                    services.tax_payment_record(
                        run=run,
                        obligation=obligation,
                        paid_on=datetime.date(2025, 4, 10),
                        amount=Decimal(1),
                        reference="PP",
                    )
            assert all(line.unpaid == 0 for line in run_obligations(run))
            raise Rollback
    except Rollback:
        pass
