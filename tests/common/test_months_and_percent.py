"""The shared month step and percentage: the one definition every figure uses."""

from datetime import date
from decimal import Decimal

import pytest

from common.months import add_months, shift_months
from common.percent import at_least, percent, whole_percent


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: the month's end, not the 28th
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 8, 15), 12, date(2027, 8, 15)),
        (date(2026, 12, 29), 2, date(2027, 2, 28)),
        (date(2026, 5, 30), 0, date(2026, 5, 30)),
    ],
)
def test_shift_months_keeps_the_day_or_clamps_to_the_month_end(day, count, expected):
    assert shift_months(day, count) == expected


def test_add_months_steps_over_years_both_ways():
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1, 8, 13),  # 12.5 rounds half up, not to even (Python's round gives 12)
        (5, 8, 63),  # 62.5
        (35, 44, 80),  # 79.55
        (1, 3, 33),
        (2, 3, 67),
        (0, 5, 0),
        (5, 5, 100),
    ],
)
def test_whole_percent_rounds_half_up(part, whole, expected):
    assert whole_percent(part, whole) == expected


def test_percent_without_a_whole_is_none():
    assert percent(3, 0) is None
    assert whole_percent(0, 0) is None


def test_percent_to_places():
    assert percent(1, 3, places=1) == Decimal("33.3")
    assert percent(1, 8, places=1) == Decimal("12.5")


def test_a_threshold_is_decided_on_the_exact_ratio():
    # 35 of 44 shows as 80% but is below 80%; 4 of 5 is exactly 80%.
    assert whole_percent(35, 44) == 80
    assert not at_least(35, 44, 80)
    assert at_least(4, 5, 80)
    assert not at_least(0, 0, 80)
