"""Per-capita income of a month against the poverty line in force that month."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import IncomeRecordFactory
from tests.wellbeing.factories import household
from wellbeing.models import PovertyLine
from wellbeing.selectors import (
    PovertyLines,
    consecutive_months_at_or_above,
    income_months,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_shipped_figures_are_those_of_the_issue():
    assert list(PovertyLine.objects.order_by("valid_from").values_list("valid_from", "amount")) == [
        (D(2022, 1, 1), Decimal("498000.00")),
        (D(2023, 7, 18), Decimal("568000.00")),
        (D(2024, 1, 20), Decimal("621000.00")),
        (D(2024, 5, 1), Decimal("648000.00")),
        (D(2025, 2, 4), Decimal("669000.00")),
        (D(2026, 1, 1), Decimal("715000.00")),
    ]


@pytest.mark.parametrize(
    ("month", "line"),
    [
        (D(2021, 12, 1), None),  # before the first figure: nothing to compare with
        (D(2022, 1, 1), 498000),
        (D(2023, 6, 1), 498000),
        (D(2023, 7, 1), 568000),  # announced on 18 July: in force at the month's end
        (D(2024, 1, 1), 621000),
        (D(2024, 4, 1), 621000),
        (D(2024, 5, 1), 648000),
        (D(2025, 1, 1), 648000),
        (D(2025, 2, 1), 669000),
        (D(2026, 1, 1), 715000),
        (D(2026, 11, 1), 715000),
    ],
)
def test_the_line_in_force_for_a_month(month, line):
    found = PovertyLines().for_month(month)
    assert found == (None if line is None else Decimal(line))


def test_per_capita_income_across_a_change_of_the_line():
    # Four people; 2,200,000 a month is 550,000 each.
    family = household(4)
    IncomeRecordFactory(family=family, month=D(2023, 6, 1), amount=1_700_000)
    IncomeRecordFactory(
        family=family, month=D(2023, 6, 1), amount=500_000, source="pensions_benefits"
    )
    IncomeRecordFactory(family=family, month=D(2023, 7, 1), amount=2_200_000)
    IncomeRecordFactory(family=family, month=D(2023, 8, 1), amount=2_300_002)
    series = income_months([family.pk], D(2023, 6, 1), D(2023, 9, 1))[family.pk]
    june, july, august, september = series
    # June: 550,000 against 498,000: above.
    assert (june.income, june.per_capita, june.line, june.at_or_above) == (
        Decimal(2_200_000), Decimal(550_000), Decimal(498_000), True,
    )  # fmt: skip
    # July: the same 550,000, but the line rose to 568,000 on 18 July: below.
    assert (july.per_capita, july.line, july.at_or_above) == (
        Decimal(550_000),
        Decimal(568_000),
        False,
    )
    # August: 2,300,002 / 4 = 575,000.5, rounded half up to 575,001: above.
    assert (august.per_capita, august.at_or_above) == (Decimal(575_001), True)
    # September: no record, no income.
    assert (september.income, september.per_capita, september.at_or_above) == (0, 0, False)
    assert consecutive_months_at_or_above(series[:3]) == 1
    assert consecutive_months_at_or_above(series[:1]) == 1
    assert consecutive_months_at_or_above(series) == 0


def test_income_months_reads_in_three_queries_for_many_families(django_assert_num_queries):
    families = [household(2) for _ in range(5)]
    for family in families:
        IncomeRecordFactory(family=family, month=D(2024, 1, 1), amount=1_000_000)
    # poverty lines, household sizes, monthly totals
    with django_assert_num_queries(3):
        result = income_months([f.pk for f in families], D(2023, 12, 1), D(2024, 2, 1))
    assert [item.per_capita for item in result[families[0].pk]] == [0, 500_000, 0]
