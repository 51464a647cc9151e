""" "At or above the poverty line" is one rule on every surface: the household's income of
the month, unrounded, against the line in force times its members (total >= line x
members). A family of three a soum short of three lines has 714,999.67 a person, shown
as 715,000 (half up), and is below the line on its income page, in its stored score
(the recompute's SQL), on the caseworker's panel and in the programme report; a family of
two with exactly two lines is at it everywhere."""

import datetime
import re

import pytest
from django.urls import reverse

from beneficiaries.models import FamilyIncomeSummary
from reports.selectors import Period, programme_figures
from tests.factories import IncomeRecordFactory
from tests.wellbeing.factories import household
from wellbeing.models import FamilyScore
from wellbeing.scores import family_scores_recompute
from wellbeing.selectors import (
    PovertyLines,
    at_or_above_line,
    caseload_income_trend,
    income_months,
    last_full_month,
    per_capita,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("total", "members", "line", "above"),
    [
        (2_144_999, 3, 715_000, False),  # 714,999.67 a person, shown as 715,000
        (2_145_000, 3, 715_000, True),
        (1_430_000, 2, 715_000, True),  # exactly the line
        (1_429_999, 2, 715_000, False),  # 714,999.5, shown as 715,000
        (1_000_000, 0, 715_000, False),  # nobody recorded
        (1_000_000, 1, None, False),  # no line published
    ],
)
def test_the_rule(total, members, line, above):
    assert at_or_above_line(total, members, line) is above


def test_one_answer_on_every_surface(personas, client_for, samarkand):
    month = last_full_month()
    line = PovertyLines().for_month(month)
    assert line is not None
    short = household(3, branch=samarkand, caseworker=personas.caseworker)
    exact = household(2, branch=samarkand)
    IncomeRecordFactory(family=short, month=month, amount=line * 3 - 1)
    IncomeRecordFactory(family=exact, month=month, amount=line * 2)
    # The figure shown is the rounded one; the decision is not taken on it.
    assert per_capita(line * 3 - 1, 3) == line
    series = {f: income_months([f.pk], month, month)[f.pk][0] for f in (short, exact)}
    assert (series[short].at_or_above, series[exact].at_or_above) == (False, True)

    # The family's income page: the badge of that month.
    client = client_for(personas.director)
    for family, badge in ((short, "Below"), (exact, "At or above")):
        html = client.get(reverse("wellbeing:income_list", args=[family.pk])).content.decode()
        row = re.search(r'<tr><th scope="row">[^<]*</th>(.*?)</tr>', html, re.S).group(1)
        assert f">{badge}</span>" in row, family

    # The nightly recompute (one SQL query a chunk): months at or above, counting back.
    family_scores_recompute(family_ids=[short.pk, exact.pk])
    stored = dict(FamilyScore.objects.values_list("family_id", "months_at_or_above_line"))
    assert (stored[short.pk], stored[exact.pk]) == (0, 1)

    # The caseworker's panel: her families taken together (here only the short one).
    trend = caseload_income_trend(personas.caseworker, month + datetime.timedelta(days=40))
    assert trend[-1]["month"] == month and trend[-1]["at_or_above"] is False

    # The programme report: its aggregate SQL and the drill-down list's queryset.
    assert FamilyIncomeSummary.objects.filter(family__in=[short, exact]).count() == 2
    period = Period(month, month + datetime.timedelta(days=27))
    figures = programme_figures(period)
    assert (figures["poverty_compared"], figures["above_poverty_line"]) == (2, 1)
    listed = client.get(
        reverse("reports:figure", args=["above-poverty-line"]),
        {"start": period.start.isoformat(), "end": period.end.isoformat()},
    )
    assert [row.pk for row in listed.context["table"].data] == [exact.pk]
