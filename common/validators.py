"""The bounds of what may be typed or imported, each kept here once.

Models name these in `validators=` (so `full_clean()`, model forms and the admin apply them)
and plain forms and the family import call the same functions. A validator takes one value
and raises `ValidationError` with a message a user can act on.

- A PINFL is exactly 14 ASCII digits: `str.isdigit()` and the regex `\\d` also accept
  Arabic-Indic or full-width digits, which would slip past the uniqueness of the number.
- A tax number (INN, in Uzbek STIR) is exactly 9 ASCII digits, for the same reason.
- Birth dates lie between 1 January 1900 and today.
- Dates of the programme's own records (intake, consent, a grant or loan, its tranches and
  repayments) lie between the programme's start (`settings.PROGRAMME_START`) and today.
- A position's contracted hours lie between 1 and 40 a week: the Labour Code's normal
  working week is at most 40 hours (overtime is entered on the timesheet, not contracted);
  a month's hours on a timesheet, worked or overtime, at most 744 (31 days of 24 hours).
- Years in list filters and dates of report periods lie between 1900 and 2100.
- Text holds no NUL and no control characters other than tab and line breaks: PostgreSQL
  refuses NUL in a string outright, and the others only hide what a cell really says.
"""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
# Years a list filter or a report period may name: outside them no record can be, and the
# database's date arithmetic (or Python's, at year 1) would fail.
YEAR_MIN = 1900
YEAR_MAX = 2100
DEFAULT_PROGRAMME_START = datetime.date(2000, 1, 1)
HOURS_PER_WEEK_MIN = Decimal("1")
HOURS_PER_WEEK_MAX = Decimal("40")
MONTH_HOURS_MAX = Decimal("744")  # 31 days of 24 hours: no timesheet holds more

# NUL and the C0/C1 control characters except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

validate_pinfl = RegexValidator(
    r"\A[0-9]{14}\Z", _("A PINFL is exactly 14 digits (0–9).")
)  # [0-9], not \d: \d also matches non-ASCII digits

validate_inn = RegexValidator(
    r"\A[0-9]{9}\Z", _("A tax number (INN) has exactly 9 digits."), code="invalid_inn"
)  # [0-9], not \d


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of a card number (ISO/IEC 7812): every second digit from the right
    doubled (less 9 when over 9), the sum a multiple of 10."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def validate_card_number(value):
    """A payment card number (Uzcard, Humo, Visa, Mastercard): 16 ASCII digits whose Luhn
    checksum holds, so a mistyped digit is caught before the bank file."""
    if not value:
        return
    if not re.fullmatch(r"[0-9]{16}", value):
        raise ValidationError(_("A card number has exactly 16 digits (0–9)."), code="card_digits")
    if not luhn_valid(value):
        raise ValidationError(
            _("This card number's check digit is wrong: a digit is mistyped."), code="card_luhn"
        )


validate_bank_account = RegexValidator(
    r"\A[0-9]{20}\Z",
    _("A bank account number has exactly 20 digits (0–9)."),
    code="invalid_account",
)  # [0-9], not \d


validate_hours_per_week = [
    MinValueValidator(HOURS_PER_WEEK_MIN),
    MaxValueValidator(
        HOURS_PER_WEEK_MAX,
        _("A week has at most %(limit_value)s contracted hours (the Labour Code)."),
    ),
]


def programme_start() -> datetime.date:
    return getattr(settings, "PROGRAMME_START", DEFAULT_PROGRAMME_START)


def _day(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def validate_not_future(value):
    value = _day(value)
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


def validate_birth_date(value):
    value = _day(value)
    if value is None:
        return
    validate_not_future(value)
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("A birth date cannot be before %(date)s.")
            % {"date": date_format(EARLIEST_BIRTH_DATE, "SHORT_DATE_FORMAT")},
            code="too_early",
        )


def validate_programme_date(value):
    """A date of the programme's own records: not in the future, not before it began."""
    value = _day(value)
    if value is None:
        return
    validate_not_future(value)
    if value < programme_start():
        raise ValidationError(
            _("The date cannot be before the programme began (%(date)s).")
            % {"date": date_format(programme_start(), "SHORT_DATE_FORMAT")},
            code="before_programme",
        )


def validate_period_date(value):
    """A date bounding a report period or a filter."""
    value = _day(value)
    if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s.")
            % {"first": YEAR_MIN, "last": YEAR_MAX},
            code="year_out_of_range",
        )


@deconstructible
class PlainTextValidator:
    """No NUL or other control characters (tab and line breaks are allowed)."""

    message = _("The text holds a control character (such as NUL) that cannot be stored.")
    code = "control_character"

    def __call__(self, value):
        if value and isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, PlainTextValidator)


validate_plain_text = PlainTextValidator()


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text or ""))
