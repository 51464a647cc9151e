"""The score, light, trend, exit readiness and follow-ups, with hand-computed examples."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from beneficiaries.choices import ExitReason, FamilyStatus
from tests.factories import ChildFactory, IncomeRecordFactory
from tests.wellbeing.factories import household, record_levels
from wellbeing.models import Domain, FamilyScore, WellbeingRule
from wellbeing.scores import family_scores_recompute
from wellbeing.selectors import score_from, wellbeing_summary

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 7, 15)  # last full month: June 2026; six months: January-June, line 715,000
SIX = [D(2026, m, 1) for m in range(1, 7)]


def test_score_is_the_weighted_share_of_the_way_from_level_1_to_level_5(personas):
    family = household(3)
    # Weights: income 2, employment 2, the eight other domains 1 each (12 in all).
    levels = {
        "income": 4, "employment": 3, "housing": 5, "food": 4, "health": 3, "education": 4,
        "protection": 4, "relations": 3, "participation": 2, "skills": 3,
    }  # fmt: skip
    record_levels(family, D(2025, 6, 1), levels)
    # points = 2*(4-1) + 2*(3-1) + (4+3+2+3+3+2+1+2) = 6 + 4 + 20 = 30
    # score = 30 / (4 * 12) * 100 = 62.5 -> 63 (half up): amber (50 <= 63 < 70)
    score = FamilyScore.objects.get(family=family)
    assert (score.score, score.light, score.lowest_level) == (63, "amber", 2)
    assert score.trend == "" and score.previous_score is None

    record_levels(family, D(2025, 12, 1), {}, default=4)
    # every domain at 4: 3 / 4 * 100 = 75: green, up from 63
    score.refresh_from_db()
    assert (score.score, score.light, score.previous_score, score.trend) == (75, "green", 63, "up")

    record_levels(family, D(2026, 6, 1), {}, default=2)
    score.refresh_from_db()
    # every domain at 2: 25: red, down
    assert (score.score, score.light, score.trend) == (25, "red", "down")


def test_weights_are_data():
    family = household(2)
    record_levels(family, D(2025, 6, 1), {"income": 5}, default=1)
    # income 5 with weight 2: 2*4 / (4*12) = 16.7 -> 17
    assert FamilyScore.objects.get(family=family).score == 17
    Domain.objects.filter(code="income").update(weight=8)
    family_scores_recompute(family_ids=[family.pk])
    # weight 8 of 18: 8*4 / (4*18) = 44.4 -> 44
    assert FamilyScore.objects.get(family=family).score == 44


def test_score_from_edges():
    assert score_from(0, 12) == 0
    assert score_from(48, 12) == 100
    assert score_from(1, 8) == 3  # 3.125
    assert score_from(0, 0) is None


def _ready_family(per_person=715_000, members=3):
    family = household(members, intake_date=D(2025, 1, 1))
    for month in SIX:
        IncomeRecordFactory(family=family, month=month, amount=per_person * members)
    record_levels(family, D(2026, 6, 20), {}, default=3)
    return family


def _checklist(family, user):
    summary = wellbeing_summary(family, user)
    return {item["code"]: (item["ok"], item["detail"]) for item in summary["checklist"]}, summary


def test_exit_ready_when_every_condition_holds(personas):
    # 2,145,000 for three people is 715,000 each: exactly the line, which counts as at it.
    family = _ready_family()
    family_scores_recompute(family_ids=[family.pk], today=TODAY)
    score = FamilyScore.objects.get(family=family)
    assert score.months_at_or_above_line == 6
    assert (score.income_ok, score.domains_ok, score.school_ok, score.exit_ready) == (True,) * 4
    checklist, _summary = _checklist(family, personas.caseworker)
    assert checklist == {
        "income": (True, "6 of 6 months"),
        "domains": (True, "Lowest level: 3"),
        "school": (True, "0 children not in school"),
    }


def test_one_month_a_soum_short_names_the_income_condition(personas):
    family = _ready_family()
    # April: 2,144,997 / 3 = 714,999 < 715,000. Counting back from June: May, June only.
    april = family.income_records.get(month=D(2026, 4, 1))
    april.amount = 2_144_997
    april.save()
    family_scores_recompute(family_ids=[family.pk], today=TODAY)
    score = FamilyScore.objects.get(family=family)
    assert (score.months_at_or_above_line, score.income_ok, score.exit_ready) == (2, False, False)
    checklist, _ = _checklist(family, personas.caseworker)
    assert checklist["income"] == (False, "2 of 6 months")
    assert checklist["domains"][0] and checklist["school"][0]


def test_a_domain_below_three_and_a_child_out_of_school_are_named(personas):
    family = _ready_family()
    child = family.members.filter(relationship="child").first()  # born 2012: 14 in 2026
    record_levels(family, D(2026, 6, 25), {"housing": 2}, default=3, out=[child])
    family_scores_recompute(family_ids=[family.pk], today=TODAY)
    checklist, _ = _checklist(family, personas.caseworker)
    assert checklist["income"] == (True, "6 of 6 months")
    assert checklist["domains"] == (False, "Below level 3: Housing")
    assert checklist["school"] == (False, "1 child not in school")
    assert not FamilyScore.objects.get(family=family).exit_ready


def test_only_school_age_children_can_be_marked_out_of_school():
    family = household(2, intake_date=D(2025, 1, 1))
    toddler = ChildFactory(family=family, birth_date=D(2023, 1, 1))
    with pytest.raises(ValidationError) as error:
        record_levels(family, D(2026, 6, 1), {}, out=[toddler])
    assert "children_out_of_school" in error.value.message_dict


def test_the_rule_is_data(personas):
    family = _ready_family()
    april = family.income_records.get(month=D(2026, 4, 1))
    april.amount = 0
    april.save()
    rule = WellbeingRule.objects.get(pk=1)
    rule.income_months = 2
    rule.save()
    family_scores_recompute(family_ids=[family.pk], today=TODAY)
    assert FamilyScore.objects.get(family=family).exit_ready
    checklist, _ = _checklist(family, personas.caseworker)
    assert checklist["income"] == (True, "2 of 2 months")


def test_follow_ups_after_exit_and_falling_back():
    family = household(2, intake_date=D(2024, 1, 1))
    record_levels(family, D(2025, 6, 1), {}, kind="exit", default=4)  # 75
    family.status = FamilyStatus.EXITED
    family.exit_date = D(2025, 6, 30)
    family.exit_reason = ExitReason.WELL_BEING_RESTORED
    family.save()
    with pytest.raises(ValidationError):
        record_levels(family, D(2025, 6, 15), {}, kind="follow_up")  # before the exit
    family_scores_recompute(family_ids=[family.pk])
    score = FamilyScore.objects.get(family=family)
    assert (score.exit_score, score.next_due, score.falling_back) == (75, D(2025, 12, 30), False)
    assert not score.exit_ready  # exit readiness concerns families still in service

    record_levels(family, D(2026, 1, 10), {}, kind="follow_up", default=4)
    score.refresh_from_db()
    assert (score.next_due, score.falling_back) == (D(2026, 6, 30), False)

    # Twelve months: every domain at 3 is 50, 25 points below 75 at exit: falling back.
    record_levels(family, D(2026, 7, 5), {}, kind="follow_up", default=3)
    score.refresh_from_db()
    assert (score.score, score.next_due, score.falling_back) == (50, None, True)


def test_next_due_in_service():
    family = household(2, intake_date=D(2025, 3, 10))
    family_scores_recompute(family_ids=[family.pk])
    assert FamilyScore.objects.get(family=family).next_due == D(2025, 3, 10)  # intake due
    record_levels(family, D(2025, 3, 20), {}, kind="intake")
    assert FamilyScore.objects.get(family=family).next_due == D(2025, 9, 20)


def test_summary_is_hidden_from_users_outside_the_family_branch(personas):
    family = _ready_family()
    assert wellbeing_summary(family, personas.caseworker_tashkent) is None
    assert wellbeing_summary(family, personas.trainer) is None
    assert wellbeing_summary(family, personas.auditor) is not None


@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(1, 10)),  # (level, weight) per domain
        min_size=1,
        max_size=12,
    )
)
def test_score_stays_within_0_and_100_and_rises_with_any_level(domains):
    def score(items):
        return score_from(sum(w * (lvl - 1) for lvl, w in items), sum(w for _, w in items))

    value = score(domains)
    assert 0 <= value <= 100
    assert (value == 100) == all(level == 5 for level, _ in domains)
    assert (value == 0) == all(level == 1 for level, _ in domains)
    for index, (level, weight) in enumerate(domains):
        if level < 5:
            raised = [*domains[:index], (level + 1, weight), *domains[index + 1 :]]
            assert score(raised) >= value
