from decimal import Decimal

import pytest

from common.money import format_uzs, round_soum


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0.5", "1"),
        ("1.49", "1"),
        ("2.5", "3"),  # half up, not banker's rounding (which gives 2)
        ("-2.5", "-3"),
        ("1250000.50", "1250001"),
        (Decimal("99.999"), "100"),
        (7, "7"),
    ],
)
def test_round_soum_is_half_up_to_whole_soum(value, expected):
    assert round_soum(value) == Decimal(expected)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        round_soum(0.1)


def test_format_groups_thousands():
    assert format_uzs(Decimal("1234567.4"), with_currency=False) == "1\u202f234\u202f567"
    assert format_uzs(None) == "—"
