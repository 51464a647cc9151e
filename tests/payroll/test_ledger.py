"""The bulk ledger writer gives the same records as the one-by-one upsert it stands in for."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from beneficiaries.models import IncomeRecord
from beneficiaries.services import IncomeEntry, income_record_upsert, income_records_upsert_bulk
from payroll import services
from payroll.models import Payslip, TimesheetEntry
from tests.factories import PersonFactory
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db


def test_bulk_and_single_upserts_write_the_same_record(enterprise):
    a, b = hire(enterprise, rate="3000000"), hire(enterprise, rate="2500000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    first, second = Payslip.objects.filter(run=run).order_by("employment_id")
    # A draft's payslip has no income (the database refuses it: payroll/locks.py); any
    # other origin shows the two upserts agree.
    origin_a, origin_b = TimesheetEntry.objects.filter(run=run).order_by("employment_id")
    income_record_upsert(
        family=first.family,
        person=first.person,
        month=MARCH,
        source="enterprise_wages",
        amount=first.net,
        origin=origin_a,
        evidence="Payslip 03.2025",
    )
    income_records_upsert_bulk(
        entries=[
            IncomeEntry(
                family_id=second.family_id,
                person_id=second.person_id,
                month=MARCH,
                source="enterprise_wages",
                amount=second.net,
                origin_type=ContentType.objects.get_for_model(TimesheetEntry),
                origin_id=origin_b.pk,
                evidence="Payslip 03.2025",
            )
        ]
    )
    one = IncomeRecord.objects.get(origin_id=origin_a.pk)
    bulk = IncomeRecord.objects.get(origin_id=origin_b.pk)
    same = ["month", "source", "evidence", "origin_type_id"]
    assert [getattr(one, f) for f in same] == [getattr(bulk, f) for f in same]
    assert (one.person_id, one.family_id, one.amount) == (
        a.person_id,
        a.person.family_id,
        D(2640000),
    )
    assert (bulk.person_id, bulk.family_id, bulk.amount) == (
        b.person_id,
        b.person.family_id,
        D(2200000),
    )
    assert bulk.origin == origin_b and one.person_id == a.person_id
    assert bulk.history.count() == 1 and bulk.history.first().history_type == "+"
    # Upserting the same origin again updates, never doubles.
    income_records_upsert_bulk(
        entries=[
            IncomeEntry(
                family_id=second.family_id,
                person_id=second.person_id,
                month=MARCH,
                source="enterprise_wages",
                amount=D("100.4"),
                origin_type=ContentType.objects.get_for_model(TimesheetEntry),
                origin_id=origin_b.pk,
            )
        ]
    )
    assert IncomeRecord.objects.filter(origin_id=origin_b.pk).get().amount == D(100)


def test_bulk_upsert_refuses_what_the_single_one_refuses(db):
    person, stranger = PersonFactory(), PersonFactory()
    entry = IncomeEntry(
        family_id=person.family_id,
        person_id=stranger.pk,
        month=MARCH,
        source="enterprise_wages",
        amount=D(1),
        origin_type=ContentType.objects.get_for_model(IncomeRecord),
        origin_id=1,
    )
    with pytest.raises(ValidationError):
        income_records_upsert_bulk(entries=[entry])
    mid_month = IncomeEntry(
        **{**entry.__dict__, "person_id": person.pk, "month": datetime.date(2025, 3, 5)}
    )
    with pytest.raises(ValidationError):
        income_records_upsert_bulk(entries=[mid_month])
    assert IncomeRecord.objects.count() == 0
