"""The statutory data payroll follows: the public-holiday table behind a month's working days,
and the minimum wage and other rules kept current and dated."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from payroll import services
from payroll.calculation import WorkCalendar, contract_days, working_days_in
from payroll.calendar_defaults import load_default_holidays
from payroll.choices import CalendarDayKind, RuleKind
from payroll.models import Payslip, PublicHoliday, StatutoryRule
from payroll.rules_defaults import (
    ABSENCE_RULES,
    DEDUCTION_RULES,
    DEFAULT_RULES,
    DUE_DAY_RULES,
    load_default_rules,
    upgrade_default_rules,
)
from payroll.selectors import rules_for
from tests.factories import UserFactory
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db

FEBRUARY = datetime.date(2025, 2, 1)  # 20 weekdays, no public holiday


def holiday(day, kind=CalendarDayKind.HOLIDAY, name="Test day"):
    return PublicHoliday.objects.create(
        day=day, kind=kind, name_en=name, name_ru=name, name_uz=name
    )


# The calendar ----------------------------------------------------------------------------


def test_the_shipped_calendar_lists_each_years_holidays(rules):
    days = set(PublicHoliday.objects.values_list("day", flat=True))
    for year in (2025, 2026, 2027):
        fixed = [(1, 1), (3, 8), (3, 21), (5, 9), (9, 1), (10, 1), (12, 8), (12, 31)]
        assert {datetime.date(year, m, d) for m, d in fixed} <= days
    moving = PublicHoliday.objects.filter(announced_yearly=True, kind=CalendarDayKind.HOLIDAY)
    assert set(moving.values_list("day", flat=True)) == {
        datetime.date(2025, 3, 30),
        datetime.date(2025, 6, 6),
        datetime.date(2026, 3, 20),
        datetime.date(2026, 5, 27),
        datetime.date(2027, 3, 10),
        datetime.date(2027, 5, 16),
    }
    navruz = PublicHoliday.objects.get(day=datetime.date(2026, 3, 21))
    assert (navruz.name_en, navruz.name_ru, navruz.name_uz) == (
        "Navruz",
        "Навруз",
        "Navroʻz bayrami",
    )
    assert load_default_holidays(PublicHoliday) == 0  # loading again adds nothing


def test_working_days_follow_the_table(rules):
    # March 2026: 22 weekdays; Ramazon hayit Friday 20th (Navruz falls on Saturday 21st).
    assert working_days_in(datetime.date(2026, 3, 1)) == 21
    # May 2026: 21 weekdays (9 May is a Saturday) less Qurbon hayit, Wednesday 27th: 20.
    assert working_days_in(datetime.date(2026, 5, 1)) == 20
    # December 2026: 23 weekdays less Constitution Day (Tue 8th) and Thursday 31st: 21.
    assert working_days_in(datetime.date(2026, 12, 1)) == 21


def test_transfers_move_days_both_ways(db):
    month = datetime.date(2025, 11, 1)  # 20 weekdays, no holiday
    assert working_days_in(month) == 20
    holiday(datetime.date(2025, 11, 10), CalendarDayKind.DAY_OFF)  # Monday off ...
    holiday(datetime.date(2025, 11, 15), CalendarDayKind.WORKING_DAY)  # ... worked on Saturday
    holiday(datetime.date(2025, 11, 16))  # a holiday on a Sunday takes no working day
    assert working_days_in(month) == 20
    PublicHoliday.objects.filter(day=datetime.date(2025, 11, 15)).delete()
    assert working_days_in(month) == 19


def test_work_calendar_is_plain_arithmetic():
    calendar = WorkCalendar(days_off=frozenset({datetime.date(2025, 2, 14)}))
    assert calendar.working_days(datetime.date(2025, 2, 10), datetime.date(2025, 2, 16)) == 4
    # A contract from Monday 10 February: 10–13 (14th off), 17–21, 24–28 = 14 days.
    assert contract_days(FEBRUARY, datetime.date(2025, 2, 10), None, 19, calendar) == 14
    # A contract spanning the month gets the run's working days, whatever the calendar.
    assert contract_days(FEBRUARY, datetime.date(2020, 1, 1), None, 19, calendar) == 19


def test_a_holiday_added_in_the_admin_lowers_the_working_days_and_the_proration(client, enterprise):
    assert working_days_in(FEBRUARY) == 20
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        "/admin/payroll/publicholiday/add/",
        {
            "day": "2025-02-14",
            "kind": CalendarDayKind.DAY_OFF,
            "name_en": "Extra day off",
            "name_ru": "Дополнительный выходной",
            "name_uz": "Qoʻshimcha dam olish kuni",
            "source": "Government decision (test)",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = PublicHoliday.objects.get(day=datetime.date(2025, 2, 14))
    assert added.history.get().history_user == admin  # kept with who added it
    assert working_days_in(FEBRUARY) == 19

    full = hire(enterprise, rate="3000000")
    joiner = hire(enterprise, rate="3000000", start=datetime.date(2025, 2, 10))
    run = services.payroll_run_generate(enterprise=enterprise, month=FEBRUARY)
    assert run.working_days == 19
    whole = Payslip.objects.get(run=run, employment=full)
    part = Payslip.objects.get(run=run, employment=joiner)
    assert (whole.days_worked, whole.base) == (D(19), D(3000000))
    # 10–13, 17–21, 24–28 = 14 of 19 days: 3 000 000 × 14 / 19 = 2 210 526.32 → 2 210 526
    assert (part.days_worked, part.base) == (D(14), D(2210526))


def test_only_superusers_keep_the_calendar(client_for, personas):
    response = client_for(personas.director).get("/admin/payroll/publicholiday/add/")
    assert response.status_code in (302, 403)
    assert not PublicHoliday.objects.filter(name_en="x").exists()


# The statutory rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "minimum_wage"),
    [
        (datetime.date(2023, 7, 1), D(980000)),
        (datetime.date(2023, 12, 1), D(1050000)),
        (datetime.date(2024, 10, 1), D(1155000)),
        (datetime.date(2025, 7, 1), D(1155000)),
        (datetime.date(2025, 8, 1), D(1271000)),
        (datetime.date(2026, 12, 1), D(1271000)),
    ],
)
def test_the_minimum_wage_in_force_each_month(rules, month, minimum_wage):
    assert rules_for(month).minimum_wage == minimum_wage


def test_every_shipped_rule_is_valid_dated_and_flagged_for_an_accountant(rules):
    for rule in StatutoryRule.objects.all():
        rule.full_clean()  # no two values of a rule overlap
        assert rule.source and "accountant" in rule.notes
    kinds = {kind for kind, *_rest in DEFAULT_RULES}
    for kind in kinds - {RuleKind.SOCIAL_TAX_REDUCED}:
        assert StatutoryRule.objects.filter(kind=kind).in_force_on(datetime.date(2026, 12, 1))


def test_the_upgrade_corrects_shipped_rows_and_keeps_edited_ones(db):
    from importlib import import_module

    shipped = import_module(
        "payroll.migrations.0003_public_holidays_and_rules_2025"
    ).SHIPPED_IN_0002
    StatutoryRule.objects.all().delete()
    for kind, value, start, end, source in shipped:
        StatutoryRule.objects.create(
            kind=kind, value=value, effective_from=start, effective_to=end, source=source
        )
    # Someone corrected the income tax in the admin: the upgrade must not undo it.
    StatutoryRule.objects.filter(kind=RuleKind.INCOME_TAX).update(
        source="Checked by our accountant"
    )

    updated, added = upgrade_default_rules(StatutoryRule, shipped)

    # 1 050 000 from 01.12.2023, 1 271 000 from 01.08.2025, the sick and maternity pay rules
    # and the deduction caps and alimony shares
    # and the due days of the employer's taxes
    assert added == 2 + len(ABSENCE_RULES) + len(DEDUCTION_RULES) + len(DUE_DAY_RULES)
    assert updated == len(shipped) - 1
    assert StatutoryRule.objects.get(kind=RuleKind.INCOME_TAX).source == "Checked by our accountant"
    october = StatutoryRule.objects.get(
        kind=RuleKind.MINIMUM_WAGE, effective_from=datetime.date(2024, 10, 1)
    )
    assert (october.value, october.effective_to) == (D(1155000), datetime.date(2025, 7, 31))
    assert rules_for(datetime.date(2026, 12, 1)).minimum_wage == D(1271000)
    for rule in StatutoryRule.objects.all():
        rule.full_clean()
    assert upgrade_default_rules(StatutoryRule, shipped) == (0, 0)
    load_default_rules(StatutoryRule)  # and the plain loader finds nothing missing
    assert StatutoryRule.objects.count() == len(DEFAULT_RULES)


def test_an_overlapping_rule_is_still_refused(rules):
    rule = StatutoryRule(
        kind=RuleKind.MINIMUM_WAGE,
        value=D(1300000),
        effective_from=datetime.date(2026, 1, 1),
        source="test",
    )
    with pytest.raises(ValidationError):
        rule.full_clean()
