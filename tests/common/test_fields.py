"""The shared month and money fields: what people type, what is kept, what is refused."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms

from common.fields import money_field
from common.forms import MoneyField, MonthField


class _Form(forms.Form):
    month = MonthField(label="Month")
    amount = MoneyField(label="Amount")
    whole = MoneyField(label="Whole soum", decimal_places=0, required=False)


@pytest.mark.parametrize("typed", ["2026-03", "2026-03-17", "17.03.2026", "03.2026"])
def test_a_month_is_kept_as_its_first_day(typed):
    form = _Form(data={"month": typed, "amount": "1"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["month"] == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("1 500 000", Decimal("1500000")), ("1500000,50", Decimal("1500000.50")), ("0", Decimal(0))],
)
def test_an_amount_as_people_write_it(typed, kept):
    form = _Form(data={"month": "2026-03", "amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == kept


@pytest.mark.parametrize("typed", ["-5", "abc", "1.005"])
def test_a_bad_amount_is_refused_on_the_field(typed):
    form = _Form(data={"month": "2026-03", "amount": typed})
    assert not form.is_valid()
    assert "amount" in form.errors


def test_whole_soum_refuses_fractions():
    form = _Form(data={"month": "2026-03", "amount": "1", "whole": "10,5"})
    assert not form.is_valid() and "whole" in form.errors


def test_the_model_money_field_is_decimal_and_not_negative_unless_asked():
    field = money_field("amount")
    assert (field.max_digits, field.decimal_places) == (14, 2)
    assert any(getattr(v, "limit_value", None) == 0 for v in field.validators)
    signed = money_field("net", max_digits=16, non_negative=False)
    assert not any(getattr(v, "limit_value", None) == 0 for v in signed.validators)
