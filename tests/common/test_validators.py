"""The input bounds of common/validators.py, and the models and forms that use them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beneficiaries.models import Family, Person
from common.validators import (
    validate_birth_date,
    validate_period_date,
    validate_pinfl,
    validate_plain_text,
    validate_programme_date,
)
from enterprises.forms import RepaymentForm, SupportForm, TrancheForm
from enterprises.models import Position
from payroll.forms import TimesheetLineForm


def refused(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("31234567890123", True),
        ("3123456789012", False),  # 13 digits
        ("312345678901234", False),  # 15
        ("31234567890123\n", False),  # `$` would let a trailing newline through
        ("٣١٢٣٤٥٦٧٨٩٠١٢٣", False),  # Arabic-Indic digits: isdigit() and \d accept them
        ("３１２３４５６７８９０１２３", False),  # full-width digits
        ("3123456789012a", False),
    ],
)
def test_a_pinfl_is_exactly_fourteen_ascii_digits(value, ok):
    assert "٣".isdigit()  # why the validator cannot use isdigit()
    assert refused(validate_pinfl, value) is not ok


def test_birth_dates_lie_between_1900_and_today():
    today = timezone.localdate()
    assert not refused(validate_birth_date, datetime.date(1900, 1, 1))
    assert not refused(validate_birth_date, today)
    assert refused(validate_birth_date, datetime.date(1899, 12, 31))
    assert refused(validate_birth_date, datetime.date(1, 1, 1))
    assert refused(validate_birth_date, today + datetime.timedelta(days=1))


def test_programme_dates_lie_between_its_start_and_today(settings):
    settings.PROGRAMME_START = datetime.date(2007, 1, 1)
    today = timezone.localdate()
    assert not refused(validate_programme_date, datetime.date(2007, 1, 1))
    assert refused(validate_programme_date, datetime.date(2006, 12, 31))
    assert refused(validate_programme_date, today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="before the programme began"):
        validate_programme_date(datetime.date(2006, 12, 31))


def test_report_and_filter_dates_lie_between_1900_and_2100():
    assert not refused(validate_period_date, datetime.date(2100, 12, 31))
    assert refused(validate_period_date, datetime.date(1, 1, 1))
    assert refused(validate_period_date, datetime.date(9999, 12, 31))


@pytest.mark.parametrize(
    ("text", "ok"),
    [("Karimova Dilnoza", True), ("line one\nline two\ttab", True), ("a\x00b", False),
     ("bell\x07", False), ("\x1b[31mred", False), ("c1\x85", False)],
)  # fmt: skip
def test_text_holds_no_control_characters(text, ok):
    assert refused(validate_plain_text, text) is not ok


@pytest.mark.django_db
def test_the_models_apply_the_bounds(personas, samarkand):
    family = Family(branch=samarkand, case_number="SAM-2024-0001", intake_date="2030-01-01")
    with pytest.raises(ValidationError) as error:
        family.full_clean(exclude=["case_number"])
    assert "intake_date" in error.value.message_dict
    family.intake_date = datetime.date(2024, 1, 1)
    family.consent_date = timezone.localdate() + datetime.timedelta(days=3)
    family.notes = "fine\x00not fine"
    with pytest.raises(ValidationError) as error:
        family.full_clean(exclude=["case_number"])
    assert set(error.value.message_dict) == {"consent_date", "notes"}
    person = Person(full_name="Ali", sex="M", birth_date=datetime.date(1, 1, 1),
                    relationship="head", pinfl="٣١٢٣٤٥٦٧٨٩٠١٢٣")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        person.full_clean(exclude=["family"])
    assert set(error.value.message_dict) == {"birth_date", "pinfl"}


@pytest.mark.parametrize(("hours", "ok"), [("40", True), ("20", True), ("41", False),
                                           ("500", False), ("0", False)])  # fmt: skip
def test_a_position_is_contracted_for_a_legal_week(hours, ok):
    field = Position._meta.get_field("hours_per_week")
    assert refused(field.run_validators, Decimal(hours)) is not ok


def test_grants_loans_tranches_and_repayments_cannot_be_dated_in_the_future():
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    support = SupportForm(data={"kind": "grant", "amount": "1000000", "approved_on": "2030-01-01"})
    assert "approved_on" in support.errors
    assert (
        "approved_on"
        not in SupportForm(
            data={"kind": "grant", "amount": "1000000", "approved_on": "2024-01-01"}
        ).errors
    )
    assert "disbursed_on" in TrancheForm(data={"disbursed_on": future, "amount": "5"}).errors
    assert "paid_on" in RepaymentForm(data={"paid_on": future, "amount": "5"}).errors


def test_a_timesheet_month_holds_at_most_744_hours():
    form = TimesheetLineForm(data={"line": "1", "hours_worked": "745", "overtime_hours": "744"})
    assert list(form.errors) == ["hours_worked"]


def test_the_messages_are_translated():
    from django.utils import translation

    from beneficiaries import pinfl_checks

    with pytest.raises(ValidationError) as error:
        validate_pinfl("١٢٣")
    with translation.override("ru"):
        assert error.value.messages == ["ПИНФЛ состоит ровно из 14 цифр (0–9)."]
    with translation.override("uz"):
        assert pinfl_checks.clash_message().startswith("Bu JShShIR dasturda allaqachon")
