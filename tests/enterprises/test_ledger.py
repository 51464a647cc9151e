"""The loan ledger: the schedule sums to the principal and the balance never goes negative.

Examples first, then the same rules against random inputs (hypothesis), both on the pure
arithmetic and through the services and the database.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from common.money import round_soum
from enterprises import services
from enterprises.ledger import check_repayment, schedule_lines, split_evenly
from enterprises.models import Support
from tests.enterprises.factories import loan, started_business

D = datetime.date


# Examples --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "principal, months, expected",
    [
        ("12000000", 12, ["1000000"] * 12),
        ("10000000", 3, ["3333333", "3333333", "3333334"]),
        ("5000000", 7, ["714286"] * 6 + ["714284"]),  # 714285.71 rounds up; the last takes less
        ("100", 1, ["100"]),
    ],
)
def test_schedule_examples(principal, months, expected):
    lines = split_evenly(Decimal(principal), months)
    assert lines == [Decimal(x) for x in expected]
    assert sum(lines) == Decimal(principal)


def test_schedule_months_follow_each_other_over_new_year():
    lines = schedule_lines(Decimal("3000000"), 3, D(2024, 11, 1))
    assert [month for month, _amount in lines] == [D(2024, 11, 1), D(2024, 12, 1), D(2025, 1, 1)]


@pytest.mark.parametrize(
    "principal, months", [("15", 10), ("0", 3), ("1000.50", 2), ("-5", 1), ("1000", 0)]
)
def test_impossible_schedules_are_refused(principal, months):
    with pytest.raises(ValidationError):
        split_evenly(Decimal(principal), months)


def test_overpayment_is_refused_with_the_balance_in_the_message():
    with pytest.raises(ValidationError) as caught:
        check_repayment(amount=Decimal("600000"), balance=Decimal("500000"))
    message = caught.value.message_dict["amount"][0]
    assert "more than the outstanding balance" in message
    assert "500\u202f000" in message and "600\u202f000" in message


def test_loan_gets_its_schedule_summing_to_the_principal(db):
    support = loan(amount="10000000", term=3)
    amounts = list(support.schedule.values_list("amount", flat=True))
    assert amounts == [Decimal("3333333"), Decimal("3333333"), Decimal("3333334")]


def test_repayments_follow_what_was_paid_out(db):
    support = loan(amount="6000000", term=6)
    with pytest.raises(ValidationError, match="outstanding balance"):
        services.loan_repayment_record(
            support=support, paid_on=D(2024, 5, 5), amount=Decimal("1000"), recorded_by=None
        )
    services.support_disburse(
        support=support, disbursed_on=D(2024, 3, 1), amount=Decimal("4000000"), recorded_by=None
    )
    with pytest.raises(ValidationError, match="Only 2"):
        services.support_disburse(
            support=support, disbursed_on=D(2024, 3, 2), amount=Decimal("2500000"), recorded_by=None
        )
    services.loan_repayment_record(
        support=support, paid_on=D(2024, 5, 5), amount=Decimal("3000000"), recorded_by=None
    )
    with pytest.raises(ValidationError, match="Record at most 1"):
        services.loan_repayment_record(
            support=support, paid_on=D(2024, 6, 5), amount=Decimal("1000001"), recorded_by=None
        )
    services.loan_repayment_record(
        support=support, paid_on=D(2024, 6, 5), amount=Decimal("1000000"), recorded_by=None
    )
    support.refresh_from_db()
    assert support.balance == 0
    assert support.repaid_total == Decimal("4000000")


def test_grants_are_not_repaid(db):
    business = started_business()
    grant = services.support_create(
        business=business,
        kind="grant",
        amount=Decimal("5000000"),
        approved_on=business.approved_on,
        created_by=None,
    )
    assert grant.schedule.count() == 0
    services.support_disburse(
        support=grant, disbursed_on=business.started_on, amount=Decimal("5000000"), recorded_by=None
    )
    with pytest.raises(ValidationError, match="grant is not repaid"):
        services.loan_repayment_record(
            support=grant, paid_on=D(2024, 6, 1), amount=Decimal("1"), recorded_by=None
        )


def test_the_database_refuses_a_negative_balance_even_past_the_services(db):
    support = loan(amount="1000000", term=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.filter(pk=support.pk).update(repaid_total=Decimal("1"))


def test_overpayment_through_the_page_shows_a_clear_message(client_for, personas, samarkand):
    from django.urls import reverse

    from tests.factories import FamilyFactory

    business = started_business(family=FamilyFactory(branch=samarkand))
    support = loan(business, amount="2000000", term=2)
    services.support_disburse(
        support=support, disbursed_on=D(2024, 3, 1), amount=Decimal("2000000"), recorded_by=None
    )
    response = client_for(personas.caseworker).post(
        reverse("enterprises:repayment_create", args=[support.pk]),
        {"paid_on": "2024-05-01", "amount": "2500000"},
    )
    assert response.status_code == 200
    assert "more than the outstanding balance" in response.content.decode()
    support.refresh_from_db()
    assert support.repaid_total == 0


# Random inputs ---------------------------------------------------------------------------

principals = st.integers(min_value=1, max_value=10**10).map(Decimal)
terms = st.integers(min_value=1, max_value=120)


@given(principal=principals, months=terms)
def test_any_schedule_sums_exactly_to_the_principal(principal, months):
    try:
        lines = split_evenly(principal, months)
    except ValidationError:
        # Refused only when round-half-up instalments would leave nothing for the last one.
        regular = round_soum(principal / months)
        assert principal - regular * (months - 1) <= 0 or regular <= 0
        return
    assert len(lines) == months
    assert sum(lines) == principal
    assert all(line > 0 and line == round_soum(line) for line in lines)
    assert len(set(lines[:-1])) <= 1  # every instalment but the last is the same
    assert abs(lines[-1] - lines[0]) <= months  # the remainder is a rounding difference


@given(
    balance=st.integers(min_value=0, max_value=10**9).map(Decimal),
    payments=st.lists(st.integers(min_value=-10, max_value=10**9).map(Decimal), max_size=30),
)
def test_no_sequence_of_payments_takes_the_balance_below_zero(balance, payments):
    for payment in payments:
        try:
            accepted = check_repayment(amount=payment, balance=balance)
        except ValidationError:
            assert payment <= 0 or payment > balance
            continue
        assert 0 < accepted <= balance
        balance -= accepted
        assert balance >= 0


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    amount=st.integers(min_value=12, max_value=50_000_000),
    term=st.integers(min_value=1, max_value=36),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["tranche", "repay"]), st.integers(min_value=1, max_value=60_000_000)
        ),
        max_size=12,
    ),
)
@example(amount=12, term=25, steps=[])  # an instalment would round to nothing
def test_the_ledger_in_the_database_stays_consistent(amount, term, steps):
    business = started_business()
    try:
        support = loan(business, amount=str(amount), term=term)
    except ValidationError:
        # Refused only when an instalment would round to nothing or leave no last one.
        regular = round_soum(Decimal(amount) / term)
        assert regular <= 0 or regular * (term - 1) >= amount
        return
    assert sum(support.schedule.values_list("amount", flat=True)) == amount
    day = D(2024, 3, 1)
    for kind, value in steps:
        day += datetime.timedelta(days=7)
        support.refresh_from_db()
        before = (support.disbursed_total, support.repaid_total)
        try:
            if kind == "tranche":
                services.support_disburse(
                    support=support, disbursed_on=day, amount=Decimal(value), recorded_by=None
                )
            else:
                services.loan_repayment_record(
                    support=support, paid_on=day, amount=Decimal(value), recorded_by=None
                )
        except ValidationError:
            support.refresh_from_db()
            assert (support.disbursed_total, support.repaid_total) == before
            limit = support.undisbursed if kind == "tranche" else support.balance
            assert value > limit
        support.refresh_from_db()
        paid_out = support.tranches.aggregate(total=Sum("amount"))["total"] or 0
        repaid = support.repayments.aggregate(total=Sum("amount"))["total"] or 0
        assert support.disbursed_total == paid_out <= support.amount
        assert support.repaid_total == repaid <= paid_out
        assert support.balance >= 0
