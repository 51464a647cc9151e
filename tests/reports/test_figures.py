"""Each figure equals the count made row by row from its definition, and its drill-down
list has exactly as many rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import Branch
from reports.figures import FIGURES
from reports.selectors import (
    BRANCH_KEYS,
    Period,
    branch_breakdown,
    exits_by_year,
    income_figures,
    programme_figures,
)
from tests.factories import FamilyFactory, IncomeRecordFactory, PersonFactory
from tests.reports.world import END, START, build_world, expected
from wellbeing.models import PovertyLine

KEYS = [
    "families_served",
    "active_families",
    "exits",
    "restored_exits",
    "restored_overrides",
    "children",
    "returned_children",
    "people_trained",
    "people_certified",
    "jobs_created",
    "jobs_filled",
    "businesses_started",
    "businesses_reached",
    "businesses_survived",
    "income_compared",
    "median_income_change",
    "poverty_compared",
    "above_poverty_line",
]


@pytest.fixture
def world(db):
    build_world(families=40, seed=7)


@pytest.mark.parametrize("seed", [7, 11])
def test_every_figure_equals_the_count_from_the_records(db, seed):
    build_world(families=40, seed=seed)
    figures = programme_figures(Period(START, END))
    wanted = expected()
    assert {key: figures[key] for key in KEYS} == wanted
    # The world is varied enough for the comparison to mean something.
    for key in (
        "families_served",
        "exits",
        "restored_exits",
        "restored_overrides",
        "children",
        "returned_children",
    ):
        assert wanted[key] > 0, key
    assert wanted["active_families"] > 0 and wanted["jobs_created"] > 0


def test_figures_for_one_branch_and_another_period(world):
    tashkent = Branch.objects.get(code="TAS")
    start, end = datetime.date(2018, 6, 1), datetime.date(2023, 5, 31)
    figures = programme_figures(Period(start, end, tashkent))
    wanted = expected(start, end, tashkent.pk)
    assert {key: figures[key] for key in KEYS} == wanted
    assert wanted["families_served"] < expected(start, end)["families_served"]


def test_shares(world):
    figures = programme_figures(Period(START, END))
    # Half up, in exact arithmetic (Python's round() would take 12.5 to 12).
    exact = Decimal(100 * figures["restored_exits"]) / figures["exits"]
    assert figures["restored_share"] == int(exact + Decimal("0.5"))


def test_drill_down_has_as_many_rows_as_the_figure(world, personas, client_for):
    figures = programme_figures(Period(START, END))
    client = client_for(personas.director)
    for figure in FIGURES:
        response = client.get(
            reverse("reports:figure", args=[figure.slug]),
            {"start": START.isoformat(), "end": END.isoformat()},
        )
        assert response.status_code == 200, figure.slug
        assert response.context["table"].paginator.count == figures[figure.key], figure.slug


def test_dashboard_links_every_figure_with_its_filters(world, personas, client_for):
    tashkent = Branch.objects.get(code="TAS")
    response = client_for(personas.director).get(
        reverse("reports:programme"),
        {"start": START.isoformat(), "end": END.isoformat(), "branch": tashkent.pk},
    )
    html = response.content.decode()
    query = f"start={START.isoformat()}&amp;end={END.isoformat()}&amp;branch={tashkent.pk}"
    for figure in FIGURES:
        assert f'{reverse("reports:figure", args=[figure.slug])}?{query}"' in html, figure.slug


def _dashboard_queries(client) -> int:
    url = reverse("reports:programme")
    client.get(url, {"start": START.isoformat(), "end": END.isoformat()})  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("reports:programme"), {"start": START.isoformat(), "end": END.isoformat()}
        )
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_data(db, personas, client_for):
    client = client_for(personas.director)
    build_world(families=6, seed=3)
    small = _dashboard_queries(client)
    build_world(families=40, seed=4)
    assert _dashboard_queries(client) == small
    # session, user, roles and permissions (one query: accounts.access_facts), branches
    # for the form (4); per branch: families, children,
    # children returned (3); figures: trained, certified, jobs, businesses, poverty lines,
    # income (6); branch table: branches, jobs (2); exits per year (1); referrals made and
    # completed, and the same by service (2); employment outcomes of training: completions,
    # contracts, placements, businesses, earnings (5, added with them); day care: children,
    # care hours, training and work hours (4)
    assert small == 4 + 3 + 6 + 2 + 1 + 2 + 5 + 4


def test_branch_table_equals_the_count_for_each_branch(world):
    start, end = datetime.date(2018, 6, 1), datetime.date(2023, 5, 31)
    rows = branch_breakdown(Period(start, end))
    assert {row["branch"].code for row in rows} == set(
        Branch.objects.values_list("code", flat=True)
    )
    for row in rows:
        wanted = expected(start, end, row["branch"].pk)
        for key in (*BRANCH_KEYS, "jobs_created"):
            assert row[key] == wanted[key], (row["branch"].code, key)
    assert sum(row["families_served"] for row in rows) == expected(start, end)["families_served"]
    assert any(row["returned_children"] for row in rows)


def test_exits_per_year_add_up_to_the_exits(world):
    years = exits_by_year(Period(START, END))
    assert [row["year"] for row in years] == sorted({row["year"] for row in years})
    assert sum(row["exits"] for row in years) == expected()["exits"]
    assert sum(row["restored"] for row in years) == expected()["restored_exits"]
    tashkent = Branch.objects.get(code="TAS")
    assert (
        sum(row["exits"] for row in exits_by_year(Period(START, END, tashkent)))
        == (expected(START, END, tashkent.pk)["exits"])
    )


def test_income_figures_without_any_poverty_line(db):
    """With no poverty line recorded (a new installation), income is still compared and no
    family is compared with a line. On PostgreSQL an untyped NULL line was text, and the
    programme report answered 500."""
    period = Period(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    family = FamilyFactory(intake_date=datetime.date(2022, 1, 1))
    PersonFactory(family=family)
    IncomeRecordFactory(family=family, month=datetime.date(2022, 1, 1), amount=100_000)
    IncomeRecordFactory(family=family, month=datetime.date(2022, 8, 1), amount=300_000)
    assert income_figures(period, []) == {
        "income_compared": 1,
        "median_income_change": Decimal("200000"),
        "poverty_compared": 0,
        "above_poverty_line": 0,
    }


def test_income_median_of_an_even_count_and_a_line_met_exactly(db):
    """Changes 100,000, 300,000 (two records in a month) and -2 per person and a family
    without members: the median of the three is 100,000; with a fourth change of 200,000 it
    is 150,000 (the mean of the middle two). A family with exactly the line per person is
    above it; one a soum short is not."""
    PovertyLine.objects.create(valid_from=datetime.date(2022, 7, 15), amount=Decimal("500000"))
    period = Period(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    jan, aug = datetime.date(2022, 1, 1), datetime.date(2022, 8, 1)

    def family(members, first, last, *, extra_last=None):
        family = FamilyFactory(intake_date=jan)
        for _member in range(members):
            PersonFactory(family=family)
        IncomeRecordFactory(family=family, month=jan, amount=first)
        IncomeRecordFactory(family=family, month=aug, amount=last)
        if extra_last is not None:
            IncomeRecordFactory(family=family, month=aug, amount=extra_last, source="pension")
        return family

    family(2, 800_000, 1_000_000)  # +100,000 a person; 500,000 a person: at the line
    family(1, 100_000, 300_000, extra_last=100_000)  # +300,000; 400,000: below
    family(2, 1_000_002, 999_998)  # -2 a person; 499,999 a person: below
    family(0, 100, 200)  # no members: not counted at all
    figures = income_figures(period, list(PovertyLine.objects.values_list("valid_from", "amount")))
    assert figures == {
        "income_compared": 3,
        "median_income_change": Decimal("100000"),
        "poverty_compared": 3,
        "above_poverty_line": 1,
    }
    family(1, 400_000, 600_000)  # +200,000; 600,000: above
    figures = income_figures(period, list(PovertyLine.objects.values_list("valid_from", "amount")))
    assert figures["income_compared"] == 4
    assert figures["median_income_change"] == Decimal("150000")
    assert (figures["poverty_compared"], figures["above_poverty_line"]) == (4, 2)
    assert figures == {
        key: value for key, value in expected(period.start, period.end).items() if key in figures
    }


def test_income_up_to_a_past_end_leaves_later_months_out(db):
    """A period that ended before some families' latest income: each family is compared on
    its latest month up to the end (here with two records), not on a later one; a family
    whose income all came after the end is not counted; one whose latest month is within
    the period is read as it is."""
    PovertyLine.objects.create(valid_from=datetime.date(2021, 1, 1), amount=Decimal("500000"))
    period = Period(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))

    def family(members, *records):
        family = FamilyFactory(intake_date=datetime.date(2021, 1, 5))
        for _member in range(members):
            PersonFactory(family=family)
        for number, (year, month, amount) in enumerate(records):
            IncomeRecordFactory(
                family=family,
                month=datetime.date(year, month, 1),
                amount=amount,
                source=["employment", "pension", "remittances", "other"][number % 4],
            )

    # +400,000; 500,000 in June: at the line. March 2022 comes after the end.
    family(1, (2021, 1, 100_000), (2021, 6, 300_000), (2021, 6, 200_000), (2022, 3, 9_000_000))
    # +300,000 a person; 500,000 a person in December: at the line
    family(2, (2021, 2, 400_000), (2021, 12, 1_000_000), (2022, 1, 10))
    family(1, (2022, 2, 700_000), (2023, 2, 800_000))  # nothing up to the end
    family(1, (2021, 3, 600_000), (2023, 5, 1))  # one month up to the end: above, no change
    family(1, (2021, 4, 100_000), (2021, 11, 50_000))  # -50,000; below
    figures = income_figures(period, list(PovertyLine.objects.values_list("valid_from", "amount")))
    assert figures == {
        "income_compared": 3,
        "median_income_change": Decimal("300000"),
        "poverty_compared": 4,
        "above_poverty_line": 3,
    }
    assert figures == {
        key: value for key, value in expected(period.start, period.end).items() if key in figures
    }
    # With an end after every record, the later months count instead.
    later = Period(period.start, datetime.date(2023, 12, 31))
    figures = income_figures(later, list(PovertyLine.objects.values_list("valid_from", "amount")))
    assert figures["income_compared"] == 5
    assert figures == {
        key: value for key, value in expected(later.start, later.end).items() if key in figures
    }
