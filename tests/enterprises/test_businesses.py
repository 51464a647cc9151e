"""A family business's workflow, its follow-ups as household income, and its survival."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beneficiaries.models import IncomeRecord
from beneficiaries.timeline import timeline_for
from common.months import add_months, month_start, shift_months
from enterprises import selectors, services
from enterprises.choices import BusinessStatus
from enterprises.models import Business, FollowUp
from enterprises.selectors import MonthsLater
from enterprises.selectors import family_timeline as own_source
from tests.enterprises.factories import BusinessFactory, started_business
from tests.factories import FamilyFactory

D = datetime.date
TODAY = D(2026, 11, 25)


def test_workflow_goes_draft_approved_started_operating_closed(db):
    business = BusinessFactory()
    with pytest.raises(ValidationError, match="cannot take this step"):
        services.business_start(business=business, started_on=D(2024, 1, 1))
    business = services.business_approve(business=business, approved_on=D(2024, 1, 10))
    with pytest.raises(ValidationError, match="after its plan is approved"):
        services.business_start(business=business, started_on=D(2024, 1, 1))
    business = services.business_start(business=business, started_on=D(2024, 2, 1))
    business = services.business_mark_operating(business=business, operating_since=D(2024, 3, 1))
    with pytest.raises(ValidationError):
        services.business_close(business=business, closed_on=D(2025, 1, 1), reason="")
    business = services.business_close(
        business=business, closed_on=D(2025, 1, 1), reason="not_profitable"
    )
    assert business.status == BusinessStatus.CLOSED
    with pytest.raises(ValidationError, match="cannot take this step"):
        services.business_close(business=business, closed_on=D(2025, 2, 1), reason="other")


def test_no_money_for_a_draft(db):
    business = BusinessFactory()
    with pytest.raises(ValidationError, match="approved, started or operating"):
        services.support_create(
            business=business, kind="grant", amount=Decimal("1000000"),
            approved_on=D(2024, 1, 1), created_by=None,
        )  # fmt: skip


def test_follow_up_profit_becomes_household_income_and_follows_corrections(db):
    business = started_business(started_on=D(2024, 3, 4))
    followup = services.business_followup_record(
        business=business, month=D(2024, 4, 1), revenue=Decimal("5000000"),
        costs=Decimal("3200000.6"), people_employed=2, recorded_by=None,
    )  # fmt: skip
    assert followup.profit == Decimal("1799999")
    record = IncomeRecord.objects.get(family=business.family)
    assert (record.month, record.source, record.amount) == (
        D(2024, 4, 1), "business_profit", Decimal("1799999")
    )  # fmt: skip
    assert record.person == business.owner and record.origin == followup
    services.business_followup_record(
        business=business, month=D(2024, 4, 1), revenue=Decimal("2000000"),
        costs=Decimal("2500000"), people_employed=1, recorded_by=None,
    )  # fmt: skip
    assert FollowUp.objects.count() == 1
    record.refresh_from_db()
    assert record.amount == 0  # a loss is not negative household income


def test_follow_up_and_income_fail_together(db, monkeypatch):
    business = started_business(started_on=D(2024, 3, 4))

    def refuse(**kwargs):
        raise ValidationError("ledger closed")

    monkeypatch.setattr(services, "income_record_upsert", refuse)
    with pytest.raises(ValidationError, match="ledger closed"):
        services.business_followup_record(
            business=business, month=D(2024, 4, 1), revenue=Decimal("1"),
            costs=Decimal("0"), people_employed=1, recorded_by=None,
        )  # fmt: skip
    assert FollowUp.objects.count() == 0


def test_follow_ups_only_while_the_business_runs(db):
    business = started_business(started_on=D(2024, 3, 4))
    with pytest.raises(ValidationError, match="not started yet"):
        services.business_followup_record(
            business=business, month=D(2024, 2, 1), revenue=Decimal("1"),
            costs=Decimal("0"), people_employed=1, recorded_by=None,
        )  # fmt: skip


def _business(started, operating=None, closed=None):
    business = started_business(started_on=started, operating_since=operating)
    if closed:
        business = services.business_close(business=business, closed_on=closed, reason="other")
    return business


@pytest.fixture
def cohort(db):
    return {
        "runs": _business(D(2022, 1, 10), D(2022, 2, 1)),
        "closed_at_8_months": _business(D(2022, 1, 10), D(2022, 2, 1), D(2022, 9, 10)),
        "closed_on_6_month_day": _business(D(2022, 1, 10), D(2022, 2, 1), D(2022, 7, 10)),
        "closed_day_after": _business(D(2022, 1, 10), D(2022, 2, 1), D(2022, 7, 11)),
        "never_operated": _business(D(2022, 1, 10)),
        "late_operator": _business(D(2022, 1, 10), D(2022, 9, 1)),
        "young": _business(D(2026, 3, 1), D(2026, 4, 1)),
    }


def test_survival_per_business(cohort):
    rows = {
        b.pk: (b.operating_6, b.operating_12, b.operating_24)
        for b in selectors.with_survival(Business.objects.all(), today=TODAY)
    }
    expected = {
        "runs": (True, True, True),
        "closed_at_8_months": (True, False, False),
        "closed_on_6_month_day": (False, False, False),
        "closed_day_after": (True, False, False),
        "never_operated": (False, False, False),
        "late_operator": (False, True, True),
        "young": (True, None, None),
    }
    assert {name: rows[b.pk] for name, b in cohort.items()} == expected


@pytest.mark.parametrize(
    "started", [D(2023, 1, 31), D(2024, 2, 29), D(2023, 8, 31), D(2023, 12, 15), D(2023, 3, 1)]
)
def test_survival_day_months_later_agrees_with_shift_months(db, started):
    """The day `h` months after a start on the 31st or on 29 February is the shorter
    month's last day (shift_months): operating on it counts, closed on it does not."""
    business = started_business(started_on=started, operating_since=started)
    for horizon in (1, 6, 12, 13, 24):
        day = shift_months(started, horizon)
        for candidate in (
            day - datetime.timedelta(days=1),
            day,
            day + datetime.timedelta(days=1),
            month_start(add_months(day, 1)),
        ):
            Business.objects.filter(pk=business.pk).update(
                operating_since=candidate, closed_on=candidate, status=BusinessStatus.CLOSED
            )
            later = MonthsLater("started_on", horizon)
            found = Business.objects.filter(pk=business.pk)
            assert found.filter(operating_since__lte=later).exists() == (candidate <= day), (
                horizon,
                candidate,
            )
            assert found.filter(closed_on__gt=later).exists() == (candidate > day), (
                horizon,
                candidate,
            )


def test_programme_survival_table(cohort, django_assert_num_queries):
    with django_assert_num_queries(2):  # per start year; all years
        table = selectors.survival_table(Business.objects.all(), today=TODAY)
    by_year = {row["year"]: row for row in table["rows"]}
    assert by_year[2022]["started"] == 6
    assert [(h, r, o) for h, r, o, _rate in by_year[2022]["rates"]] == [
        (6, 6, 3), (12, 6, 2), (24, 6, 2),
    ]  # fmt: skip
    assert by_year[2026]["rates"][0][1:3] == (1, 1)
    assert by_year[2026]["rates"][1][1:3] == (0, 0)
    assert table["total"]["started"] == 7
    assert table["total"]["rates"][0] == (6, 7, 4, 57)


def test_survival_table_query_count_does_not_grow(db, django_assert_num_queries):
    for _ in range(2):
        _business(D(2021, 1, 4), D(2021, 2, 1))
    with django_assert_num_queries(2):
        selectors.survival_table(Business.objects.all(), today=TODAY)
    for _ in range(10):
        _business(D(2020, 1, 4), D(2020, 2, 1), D(2020, 5, 1))
    with django_assert_num_queries(2):
        table = selectors.survival_table(Business.objects.all(), today=TODAY)
    assert table["total"]["started"] == 12


def test_caseworker_registers_and_follows_a_business_through_pages(client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand)
    from tests.factories import PersonFactory

    owner = PersonFactory(family=family, full_name="Yusupova Feruza")
    client = client_for(personas.caseworker)
    response = client.post(
        reverse("enterprises:business_create"),
        {
            "owner": owner.pk,
            "name": "Feruza's sewing",
            "business_type": "self_employed",
            "sector": "sewing",
            "expected_monthly_revenue": "3000000",
            "expected_monthly_costs": "1800000",
        },
    )
    assert response.status_code == 302
    business = Business.objects.get(name="Feruza's sewing")
    assert business.family == family and business.status == BusinessStatus.DRAFT
    services.business_approve(business=business, approved_on=D(2025, 1, 10))
    for step, day in [("start", "2025-02-01"), ("operate", "2025-03-01")]:
        response = client.post(
            reverse("enterprises:business_step", args=[business.pk]), {"step": step, "day": day}
        )
        assert response.status_code == 302
    response = client.post(
        reverse("enterprises:followup_create", args=[business.pk]),
        {"month": "2025-04", "revenue": "3100000", "costs": "1900000", "people_employed": "1"},
    )
    assert response.status_code == 302
    record = IncomeRecord.objects.get(family=family, source="business_profit")
    assert record.amount == Decimal("1200000") and record.month == D(2025, 4, 1)
    entries = [e for e in timeline_for(family, personas.caseworker) if e.kind == "Business"]
    assert [e.title for e in entries] == [
        "Business plan drafted: Feruza's sewing",  # today, when it was registered
        "Business started: Feruza's sewing",
        "Business plan approved: Feruza's sewing",
    ]
    assert [e.day for e in entries[1:]] == [D(2025, 2, 1), D(2025, 1, 10)]
    assert all(e.url == business.get_absolute_url() for e in entries)


def test_plan_changes_until_the_business_starts(client_for, personas, samarkand):
    business = BusinessFactory(family=FamilyFactory(branch=samarkand), name="Old name")
    client = client_for(personas.caseworker)
    url = reverse("enterprises:business_plan", args=[business.pk])
    data = {
        "name": "Somsa bakery",
        "business_type": "self_employed",
        "sector": "bakery",
        "expected_monthly_revenue": "5000000",
        "expected_monthly_costs": "3000000",
    }
    assert client.post(url, data).status_code == 302
    business.refresh_from_db()
    assert business.name == "Somsa bakery"
    assert business.expected_monthly_profit == Decimal("2000000")
    business = services.business_approve(business=business, approved_on=D(2024, 1, 10))
    services.business_start(business=business, started_on=D(2024, 2, 1))
    response = client.post(url, {**data, "name": "Renamed late"})
    assert response.status_code == 200
    assert "fixed once the business has started" in response.content.decode()
    business.refresh_from_db()
    assert business.name == "Somsa bakery"
    assert client_for(personas.caseworker_tashkent).get(url).status_code == 404


@pytest.fixture(autouse=True)
def _own_timeline_source_only(only_timeline_sources):
    only_timeline_sources(own_source)
