"""Each figure equals the count made row by row from its definition, and its drill-down
list has exactly as many rows."""

import datetime

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
    programme_figures,
)
from tests.reports.world import END, START, build_world, expected

KEYS = [
    "families_served",
    "active_families",
    "exits",
    "restored_exits",
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
    for key in ("families_served", "exits", "restored_exits", "children", "returned_children"):
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
    assert figures["restored_share"] == round(100 * figures["restored_exits"] / figures["exits"])


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
    # session, user, permissions (2), groups for the menu, branches for the form (6);
    # per branch: families, children, children returned (3); figures: trained, certified,
    # jobs, businesses, poverty lines, income (6); branch table: branches, jobs (2); exits
    # per year (1)
    assert small == 6 + 3 + 6 + 2 + 1


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
