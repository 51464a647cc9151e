"""Loan instalments in the caseworker's worklist, by the one rule: what is repaid settles the
instalments oldest first (enterprises.ledger.unpaid_instalments)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from beneficiaries.models import Family
from beneficiaries.worklist import worklist
from enterprises import services
from enterprises.ledger import unpaid_instalments
from enterprises.worklist import instalment_due_on
from tests.enterprises.factories import loan, started_business
from tests.factories import FamilyFactory, PersonFactory

D = datetime.date


def test_the_oldest_instalment_is_settled_first():
    schedule = [(D(2024, 6, 1), Decimal(100)), (D(2024, 5, 1), Decimal(100)), (D(2024, 7, 1), 100)]
    assert unpaid_instalments(schedule, 0) == [
        (D(2024, 5, 1), 100, 100), (D(2024, 6, 1), 100, 100), (D(2024, 7, 1), 100, 100),
    ]  # fmt: skip
    # a partial payment leaves the rest of the oldest open; more goes on to the next
    assert unpaid_instalments(schedule, 150) == [
        (D(2024, 6, 1), 100, 50), (D(2024, 7, 1), 100, 100),
    ]  # fmt: skip
    assert unpaid_instalments(schedule, 300) == []


def test_an_instalment_is_due_by_the_end_of_its_month():
    assert instalment_due_on(D(2024, 2, 1)) == D(2024, 2, 29)
    assert instalment_due_on(D(2024, 12, 1)) == D(2024, 12, 31)


@pytest.mark.django_db
def test_unpaid_instalments_are_in_the_worklist_and_leave_when_paid(personas, client_for):
    family = FamilyFactory(caseworker=personas.caseworker)
    owner = PersonFactory(family=family)
    support = loan(started_business(family=family, owner=owner))  # 12 × 1 000 000 from May 2024
    services.support_disburse(
        support=support, disbursed_on=support.approved_on, amount=support.amount, recorded_by=None
    )
    services.loan_repayment_record(
        support=support, paid_on=D(2024, 6, 3), amount=Decimal(1_500_000), recorded_by=None
    )
    other = FamilyFactory(caseworker=personas.caseworker_tashkent)
    today = D(2026, 1, 15)

    def loans(families):
        return [
            (item.due_on, str(item.kind))
            for item in worklist(families, today)
            if "Loan" in str(item.kind)
        ]

    lines = loans(Family.objects.filter(pk=family.pk))
    assert len(lines) == 11  # May settled; June half paid; July to April unpaid
    assert lines[0][0] == D(2024, 6, 30) and "500" in lines[0][1]
    assert lines[1][0] == D(2024, 7, 31) and "1 000 000" in lines[1][1].replace("\u202f", " ")
    assert loans(Family.objects.filter(pk=other.pk)) == []
    page = client_for(personas.caseworker).get(reverse("beneficiaries:worklist")).content.decode()
    assert reverse("enterprises:repayment_create", args=[support.pk]) in page
    support.refresh_from_db()
    services.loan_repayment_record(
        support=support, paid_on=D(2025, 5, 2), amount=support.balance, recorded_by=None
    )
    assert loans(Family.objects.filter(pk=family.pk)) == []
