"""Months are stored as the first day of the month."""

import calendar
from datetime import date


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included."""
    start, end = month_start(first), month_start(last)
    months = []
    while start <= end:
        months.append(start)
        start = add_months(start, 1)
    return months


def shift_months(day: date, count: int) -> date:
    """The same day `count` months later (or earlier), clamped to that month's last day:
    31 January + 1 month is 28 (or 29) February. The programme's one "N months later"."""
    first = add_months(day.replace(day=1), count)
    last_day = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=min(day.day, last_day))


def last_start_reaching(day: date, count: int) -> date:
    """The latest date whose `shift_months(…, count)` is on or before `day`: a start on or
    before it is `count` months old by `day`. Not simply `shift_months(day, -count)`: on a
    month's last day every later start of the earlier month has reached it too (a start on
    31 August is 6 months old on 29 February)."""
    earlier = shift_months(day, -count)
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        earlier = earlier.replace(day=calendar.monthrange(earlier.year, earlier.month)[1])
    return earlier
