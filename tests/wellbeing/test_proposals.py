"""The income and employment levels the app proposes from the family's records."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import IncomeRecordFactory
from tests.wellbeing.factories import domain_ids, household, record_levels
from wellbeing.models import Rating
from wellbeing.selectors import employment_level, income_level, propose_levels

pytestmark = pytest.mark.django_db
D = datetime.date
# An assessment on 10 June 2024 looks at December 2023 - May 2024. Lines in force:
# Dec 568,000; Jan-Apr 621,000 (from 20 Jan); May 648,000: 3,700,000 over six months.
ON = D(2024, 6, 10)
WINDOW = [D(2023, 12, 1), D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1), D(2024, 5, 1)]


def _monthly(family, amount, months=WINDOW, source="employment"):
    for month in months:
        IncomeRecordFactory(family=family, month=month, amount=amount, source=source)


@pytest.mark.parametrize(
    ("household_income", "months", "ratio", "level"),
    [
        # 2 people, 2,000,000 a month: 1,000,000 each, 6,000,000 / 3,700,000 = 1.62
        (2_000_000, 6, "1.6216", 5),
        # 1,400,000: 700,000 each, 4,200,000 / 3,700,000 = 1.135
        (1_400_000, 6, "1.1351", 4),
        # 1,200,000: 600,000 each, 3,600,000 / 3,700,000 = 0.973
        (1_200_000, 6, "0.9730", 3),
        # only three months of 1,400,000: 2,100,000 / 3,700,000 = 0.568
        (1_400_000, 3, "0.5676", 2),
        # 600,000: 300,000 each, 1,800,000 / 3,700,000 = 0.486
        (600_000, 6, "0.4865", 1),
    ],
)
def test_income_level_from_per_capita_income_against_the_line(
    household_income, months, ratio, level
):
    family = household(2)
    _monthly(family, household_income, WINDOW[:months])
    proposal = propose_levels([family.pk], ON)[family.pk]
    assert proposal.first == D(2023, 12, 1) and proposal.last == D(2024, 5, 1)
    assert proposal.income_ratio.quantize(Decimal("0.0001")) == Decimal(ratio)
    assert proposal.income_level == level


def test_income_level_thresholds():
    assert [income_level(Decimal(x)) for x in ("0.49", "0.5", "0.79", "0.8", "0.99", "1", "1.49", "1.5")] == [
        1, 2, 2, 3, 3, 4, 4, 5,
    ]  # fmt: skip
    assert income_level(None) == 1


def test_employment_level_from_a_registered_signal(stable_work):
    steady, business_few, casual, once, none = (household(3) for _ in range(5))
    stable_work.update({steady.pk, business_few.pk})
    _monthly(steady, 1_000_000)  # stable work, earnings every month: 5
    _monthly(business_few, 1_000_000, WINDOW[:3], source="business_profit")  # stable: 4
    _monthly(casual, 500_000, WINDOW[::2])  # no signal, three months of six: 3
    _monthly(once, 500_000, WINDOW[:1])  # one month: 2
    _monthly(none, 900_000, source="pensions_benefits")  # a pension is not work: 1
    proposals = propose_levels([f.pk for f in (steady, business_few, casual, once, none)], ON)
    assert [proposals[f.pk].employment_level for f in (steady, business_few, casual, once, none)] == [
        5, 4, 3, 2, 1,
    ]  # fmt: skip
    assert proposals[steady.pk].stable_work and not proposals[casual.pk].stable_work
    assert proposals[casual.pk].months_earned == 3


def test_without_a_registered_signal_nobody_has_stable_work():
    family = household(2)
    _monthly(family, 1_000_000)
    assert propose_levels([family.pk], ON)[family.pk].employment_level == 3
    assert employment_level(stable=False, months_earned=6) == 3


def test_the_caseworker_confirms_or_overrides_with_a_reason(caseworker_user):
    family = household(2, intake_date=D(2023, 1, 1))
    _monthly(family, 1_400_000)  # income proposes 4; employment proposes 3 (six months)
    ids = domain_ids()
    with pytest.raises(ValidationError) as error:
        record_levels(family, ON, {"income": 2, "employment": 3}, reasons={})
    assert list(error.value.message_dict) == [f"reason_{ids['income']}"]
    assessment = record_levels(
        family, ON, {"income": 2, "employment": 3}, reasons={ids["income"]: "Income fell in June"}
    )
    ratings = {
        r.domain.code: r
        for r in Rating.objects.filter(assessment=assessment).select_related("domain")
    }
    assert (ratings["income"].level, ratings["income"].proposed_level) == (2, 4)
    assert ratings["income"].override_reason == "Income fell in June"
    assert ratings["income"].is_override
    # Confirmed: same level, no reason kept.
    assert (ratings["employment"].level, ratings["employment"].proposed_level) == (3, 3)
    assert ratings["employment"].override_reason == ""
    # Domains the data does not rate carry no proposal.
    assert ratings["housing"].proposed_level is None


@pytest.fixture
def caseworker_user(personas):
    return personas.caseworker
