"""Shares of a whole as percentages: one rounding rule (half up) for every page, PDF,
export and SQL figure, so 12.5% reads 13% everywhere."""

from decimal import ROUND_HALF_UP, Decimal


def percent(part, whole, *, places: int = 0) -> Decimal | None:
    """`part` of `whole` in percent, rounded half up; None when there is no whole.

    Computed in Decimal from the integers, never through float: 35 of 44 is 79.545...%,
    which is 80% and also "below 80%" - callers that compare with a threshold compare
    the unrounded ratio (`at_least`), not this figure.
    """
    if not whole:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def whole_percent(part, whole) -> int | None:
    """`percent` as an int, for figures shown in whole percent."""
    value = percent(part, whole)
    return None if value is None else int(value)


def at_least(part, whole, threshold_percent) -> bool:
    """Whether `part` of `whole` reaches `threshold_percent`, on the exact ratio."""
    if not whole:
        return False
    return Decimal(part) * 100 >= Decimal(threshold_percent) * Decimal(whole)
