"""Form fields every app uses: a month and an amount in soum, typed the way people write them."""

from decimal import Decimal

from django import forms

from common.months import month_start


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (or any day in it), kept as its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d", "%d.%m.%Y", "%m.%Y"]

    def to_python(self, value):
        day = super().to_python(value)
        return month_start(day) if day else day


class MoneyField(forms.DecimalField):
    """An amount in soum as people write it: '1 500 000' or '1500000,50'; never negative
    unless `min_value` says otherwise. `decimal_places=0` asks for whole soum."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = (
                value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace(",", ".")
            )
        return super().to_python(value)
