"""Pages: query counts that do not grow with rows, monthly results, the manager's home."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.months import add_months, month_start
from enterprises import services
from enterprises.models import EnterpriseMonthlyResult
from tests.enterprises.factories import (
    PositionFactory,
    SocialEnterpriseFactory,
    hire,
    loan,
    started_business,
)
from tests.factories import FamilyFactory

D = datetime.date


def count_queries(django_assert_max_num_queries, client, url, limit=40):
    client.get(url)  # warm the session
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def grow_enterprises(manager, count):
    for _ in range(count):
        enterprise = SocialEnterpriseFactory(managers=[manager])
        for _ in range(2):
            hire(PositionFactory(enterprise=enterprise))


def test_enterprise_list_queries_do_not_grow(client_for, personas, django_assert_max_num_queries):
    client = client_for(personas.director)
    url = reverse("enterprises:enterprise_list")
    grow_enterprises(personas.manager, 1)
    small = count_queries(django_assert_max_num_queries, client, url)
    grow_enterprises(personas.manager, 6)
    assert count_queries(django_assert_max_num_queries, client, url) == small


def test_employment_list_queries_do_not_grow(client_for, personas, django_assert_max_num_queries):
    client = client_for(personas.caseworker)
    url = reverse("enterprises:employment_list")
    grow_enterprises(personas.manager, 1)
    small = count_queries(django_assert_max_num_queries, client, url)
    grow_enterprises(personas.manager, 5)
    assert count_queries(django_assert_max_num_queries, client, url) == small


def test_enterprise_and_position_pages_do_not_grow(
    client_for, personas, django_assert_max_num_queries
):
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    position = PositionFactory(enterprise=enterprise)
    first = hire(position, start=D(2020, 1, 6))
    services.employment_terminate(
        employment=first, end_date=D(2020, 12, 31), reason="resigned", ended_by=None
    )
    client = client_for(personas.manager)
    detail = enterprise.get_absolute_url()
    history = position.get_absolute_url()
    small_detail = count_queries(django_assert_max_num_queries, client, detail)
    small_history = count_queries(django_assert_max_num_queries, client, history)
    for year in range(2021, 2025):
        employment = hire(position, start=D(year, 1, 4))
        services.employment_change_rate(
            employment=employment, rate=Decimal("3500000"), effective_from=D(year, 6, 1),
            changed_by=None,
        )  # fmt: skip
        services.employment_terminate(
            employment=employment, end_date=D(year, 12, 31), reason="resigned", ended_by=None
        )
        hire(PositionFactory(enterprise=enterprise))
    assert count_queries(django_assert_max_num_queries, client, detail) == small_detail
    assert count_queries(django_assert_max_num_queries, client, history) == small_history


def test_business_pages_do_not_grow(client_for, personas, samarkand, django_assert_max_num_queries):
    client = client_for(personas.caseworker)
    business = started_business(family=FamilyFactory(branch=samarkand))
    loan(business, amount="2400000", term=2)
    list_url = reverse("enterprises:business_list")
    small_list = count_queries(django_assert_max_num_queries, client, list_url)
    small_detail = count_queries(django_assert_max_num_queries, client, business.get_absolute_url())
    support = loan(business, amount="1200000", term=12)
    services.support_disburse(
        support=support, disbursed_on=D(2024, 3, 1), amount=Decimal("1200000"), recorded_by=None
    )
    for month in range(5, 11):
        services.loan_repayment_record(
            support=support, paid_on=D(2024, month, 3), amount=Decimal("100000"), recorded_by=None
        )
        services.business_followup_record(
            business=business, month=D(2024, month, 1), revenue=Decimal("1000"),
            costs=Decimal("10"), people_employed=1, recorded_by=None,
        )  # fmt: skip
    for _ in range(5):
        started_business(family=FamilyFactory(branch=samarkand))
    assert count_queries(django_assert_max_num_queries, client, list_url) == small_list
    assert (
        count_queries(django_assert_max_num_queries, client, business.get_absolute_url())
        == small_detail
    )


def test_manager_enters_a_month_and_sees_the_year(client_for, personas):
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    hire(PositionFactory(enterprise=enterprise))
    client = client_for(personas.manager)
    form = client.get(reverse("enterprises:result_record", args=[enterprise.pk]))
    assert form.context["form"].initial["headcount"] == 1
    response = client.post(
        reverse("enterprises:result_record", args=[enterprise.pk]),
        {"month": "2025-03", "revenue": "9000000", "costs": "7250000", "headcount": "1"},
    )
    assert response.status_code == 302
    result = EnterpriseMonthlyResult.objects.get(enterprise=enterprise)
    assert (result.month, result.result) == (D(2025, 3, 1), Decimal("1750000"))
    client.post(
        reverse("enterprises:result_record", args=[enterprise.pk]),
        {"month": "2025-03", "revenue": "9000000", "costs": "8000000", "headcount": "2"},
    )
    assert EnterpriseMonthlyResult.objects.count() == 1  # corrected, not doubled
    page = client.get(
        reverse("enterprises:enterprise_results", args=[enterprise.pk]) + "?year=2025"
    )
    months = page.context["results"]["months"]
    assert len(months) == 12
    assert months[2][1].result == Decimal("1000000")
    assert months[3][1] is None
    assert page.context["results"]["totals"]["result"] == Decimal("1000000")


def test_manager_home_shows_their_enterprises(client_for, personas, django_assert_max_num_queries):
    enterprise = SocialEnterpriseFactory(name="Alpha sewing", managers=[personas.manager])
    SocialEnterpriseFactory(name="Not mine")
    hire(PositionFactory(enterprise=enterprise))
    PositionFactory(enterprise=enterprise, created_by_programme=True)
    month = add_months(month_start(timezone.localdate()), -1)
    services.enterprise_result_record(
        enterprise=enterprise, month=month, revenue=Decimal("5000000"),
        costs=Decimal("4000000"), headcount=1, entered_by=personas.manager,
    )  # fmt: skip
    client = client_for(personas.manager)
    response = client.get("/")
    page = response.content.decode()
    assert "My enterprises" in page
    assert "Alpha sewing" in page and "Not mine" not in page
    panel = response.context["panels"][0]  # payroll's status panel follows it
    (mine,) = panel["enterprises"]
    assert (mine.headcount, mine.jobs_created, mine.jobs_filled) == (1, 2, 1)
    assert [row.month for row in mine.recent] == [month]
    small = count_queries(django_assert_max_num_queries, client, "/")
    grow_enterprises(personas.manager, 3)
    assert count_queries(django_assert_max_num_queries, client, "/") == small


@pytest.mark.parametrize("persona", ["trainer", "caseworker"])
def test_other_roles_get_no_enterprise_panel(client_for, personas, persona):
    SocialEnterpriseFactory(managers=[personas.manager])
    page = client_for(getattr(personas, persona)).get("/").content.decode()
    assert "My enterprises" not in page


def test_manager_opens_a_position_changes_a_rate_and_ends_a_contract(client_for, personas):
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    client = client_for(personas.manager)
    response = client.post(
        reverse("enterprises:position_create", args=[enterprise.pk]),
        {
            "title": "Potter",
            "pay_basis": "piece",
            "rate": "25000",
            "hours_per_week": "36",
            "created_by_programme": "on",
            "opened_on": "2024-02-01",
        },
    )
    assert response.status_code == 302
    position = enterprise.positions.get(title="Potter")
    assert response["Location"] == position.get_absolute_url()
    detail = client.get(enterprise.get_absolute_url())
    assert detail.context["vacant"] == 1
    employment = hire(position, start=D(2024, 3, 1))
    response = client.post(
        reverse("enterprises:rate_change", args=[employment.pk]),
        {"rate": "30000", "effective_from": "2025-01-01"},
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.rate == Decimal("30000")
    form = client.get(reverse("enterprises:terminate", args=[employment.pk]))
    assert 'data-confirm="End this contract?"' in form.content.decode()
    response = client.post(
        reverse("enterprises:terminate", args=[employment.pk]),
        {"end_date": "2025-06-30", "end_reason": "own_business"},
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert (employment.status, employment.end_date) == ("ended", D(2025, 6, 30))
    assert client.get(enterprise.get_absolute_url()).context["vacant"] == 1


def test_director_agrees_a_loan_and_pays_it_out_caseworker_records_repayment(
    client_for, personas, samarkand
):
    business = started_business(family=FamilyFactory(branch=samarkand))
    director = client_for(personas.director)
    response = director.post(
        reverse("enterprises:support_create", args=[business.pk]),
        {"kind": "loan", "amount": "3000000", "approved_on": "2024-03-01", "term_months": ""},
    )
    assert response.status_code == 200  # a loan needs a term
    assert not business.supports.exists()
    response = director.post(
        reverse("enterprises:support_create", args=[business.pk]),
        {
            "kind": "loan",
            "amount": "3000000",
            "approved_on": "2024-03-01",
            "term_months": "3",
            "first_due_month": "2024-05",
        },
    )
    assert response.status_code == 302
    support = business.supports.get()
    assert list(support.schedule.values_list("due_month", "amount")) == [
        (D(2024, 5, 1), Decimal("1000000")),
        (D(2024, 6, 1), Decimal("1000000")),
        (D(2024, 7, 1), Decimal("1000000")),
    ]
    response = director.post(
        reverse("enterprises:tranche_create", args=[support.pk]),
        {"disbursed_on": "2024-03-05", "amount": "3000000"},
    )
    assert response.status_code == 302
    caseworker = client_for(personas.caseworker)
    assert (
        caseworker.get(reverse("enterprises:tranche_create", args=[support.pk])).status_code == 403
    )
    response = caseworker.post(
        reverse("enterprises:repayment_create", args=[support.pk]),
        {"paid_on": "2024-05-10", "amount": "1000000"},
    )
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.balance == Decimal("2000000")
    page = caseworker.get(business.get_absolute_url()).content.decode()
    assert "2\u202f000\u202f000" in page  # the outstanding balance


def test_detail_pages_query_budget(client_for, personas, samarkand, django_assert_num_queries):
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    hire(PositionFactory(enterprise=enterprise))
    manager = client_for(personas.manager)
    manager.get("/")  # the session is warm
    manager.get(enterprise.get_absolute_url())
    # session, user, roles and permissions (one query: accounts.access_facts),
    # managed enterprises, the enterprise with its figures, positions, their holders,
    # managers, last results
    with django_assert_num_queries(9):
        assert manager.get(enterprise.get_absolute_url()).status_code == 200

    business = started_business(family=FamilyFactory(branch=samarkand))
    loan(business)
    caseworker = client_for(personas.caseworker)
    caseworker.get(business.get_absolute_url())
    # session, user, roles and permissions (one query), the caseworker's branches, the
    # business with its survival, grants and loans, tranches, schedule, repayments,
    # follow-ups
    with django_assert_num_queries(10):
        assert caseworker.get(business.get_absolute_url()).status_code == 200
