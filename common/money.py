"""UZS amounts: Decimal only, rounded to whole soum half up, in this one place."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext

WHOLE_SOUM = Decimal("1")


def to_decimal(value) -> Decimal:
    """Read a money value without ever passing through float."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a Decimal, int or str.")
    try:
        return Decimal(str(value).replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc


def round_soum(value) -> Decimal:
    """Round to whole soum, half up (0.5 -> 1), the programme's one rounding rule."""
    return to_decimal(value).quantize(WHOLE_SOUM, rounding=ROUND_HALF_UP)


def format_uzs(value, *, with_currency: bool = True) -> str:
    """1234567.4 -> '1 234 567 soʻm', with a thin space grouping that wraps nowhere."""
    if value is None or value == "":
        return "—"
    amount = round_soum(value)
    sign = "−" if amount < 0 else ""
    digits = f"{abs(amount):,.0f}".replace(",", "\u202f")
    text = f"{sign}{digits}"
    if with_currency:
        text = f"{text}\u00a0{gettext('UZS')}"
    return text
