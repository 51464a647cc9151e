"""`MonthsLater` (the SQL of "the same day N months later") and the survival horizon held
to the one Python definition, `common.months.shift_months`, on month ends and leap years."""

import datetime
import itertools

import pytest

from common.months import last_start_reaching, shift_months
from enterprises.choices import BusinessStatus
from enterprises.models import Business
from enterprises.selectors import MonthsLater, survival_table, with_survival
from tests.enterprises.factories import started_business

D = datetime.date

BOUNDARY_STARTS = [
    D(2023, 1, 31),  # + 1 month: 28 February
    D(2024, 1, 31),  # + 1 month: 29 February (leap year)
    D(2023, 8, 31),  # + 6 months: 29 February 2024
    D(2024, 2, 29),  # + 12 months: 28 February 2025
    D(2023, 3, 31),  # + 6 months: 30 September
    D(2023, 12, 31),  # across the year
    D(2024, 3, 15),  # an ordinary day
]


@pytest.mark.django_db
@pytest.mark.parametrize("months", [1, 6, 12, 24, -1, -12])
def test_months_later_in_sql_is_shift_months(months):
    businesses = [
        started_business(started_on=start, name=f"B{index}")
        for index, start in enumerate(BOUNDARY_STARTS)
    ]
    found = dict(
        Business.objects.filter(pk__in=[b.pk for b in businesses])
        .annotate(later=MonthsLater("started_on", months))
        .values_list("started_on", "later")
    )
    for start in BOUNDARY_STARTS:
        later = found[start]
        if isinstance(later, str):  # SQLite hands back the text of a computed date
            later = D.fromisoformat(later)
        assert later == shift_months(start, months), (start, months)


def test_last_start_reaching_is_the_inverse_of_shift_months():
    """A start is N months old on a day exactly when it is on or before
    `last_start_reaching(day, N)`: checked over two years of days around leap Februaries."""
    starts = [D(2023, 1, 1) + datetime.timedelta(days=n) for n in range(0, 760, 1)]
    days = [D(2024, 1, 20) + datetime.timedelta(days=n) for n in range(0, 420, 3)]
    days += [D(2024, 2, 29), D(2025, 2, 28), D(2024, 8, 31), D(2024, 9, 30), D(2024, 2, 28)]
    for horizon, day in itertools.product((1, 6, 12), days):
        bound = last_start_reaching(day, horizon)
        for start in starts:
            assert (shift_months(start, horizon) <= day) == (start <= bound), (start, day)


@pytest.mark.django_db
def test_survival_at_the_leap_day_boundary():
    """A business started on 31 August 2023 is 6 months old on 29 February 2024 (its
    six-month day): reached then, operating if it still ran that day; one closed on that
    very day is not operating. The survival table, the business list's annotation and the
    Python definition agree."""
    running = started_business(
        started_on=D(2023, 8, 31), operating_since=D(2023, 9, 15), name="Running"
    )
    closed = started_business(
        started_on=D(2023, 8, 31), operating_since=D(2023, 9, 15), name="Closed"
    )
    Business.objects.filter(pk=closed.pk).update(
        status=BusinessStatus.CLOSED, closed_on=D(2024, 2, 29)
    )
    young = started_business(started_on=D(2023, 9, 1), operating_since=D(2023, 9, 15), name="Y")
    day = D(2024, 2, 29)
    assert shift_months(D(2023, 8, 31), 6) == day
    rows = {b.name: b.operating_6 for b in with_survival(Business.objects.all(), day)}
    assert rows == {running.name: True, closed.name: False, young.name: None}
    total = survival_table(Business.objects.all(), day)["total"]
    assert (total["reached_6"], total["operating_6"]) == (2, 1)
    assert total["rates"][0] == (6, 2, 1, 50)
    # The day before, none of them is 6 months old.
    earlier = with_survival(Business.objects.all(), D(2024, 2, 28))
    assert {b.operating_6 for b in earlier} == {None}


@pytest.mark.django_db
def test_survival_rate_rounds_half_up():
    """1 of 8 operating is 12.5%: 13%, not Python's round() 12%."""
    day = D(2025, 6, 30)
    for index in range(8):
        business = started_business(started_on=D(2023, 1, 10), name=f"S{index}")
        if index == 0:
            Business.objects.filter(pk=business.pk).update(operating_since=D(2023, 2, 1))
    total = survival_table(Business.objects.all(), day)["total"]
    assert total["rates"][1] == (12, 8, 1, 13)
