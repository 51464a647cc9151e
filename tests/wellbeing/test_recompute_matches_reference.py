"""The set-based recompute gives exactly the rows of the former per-family computation.

A world of varied families is built at random (fixed seeds): no members or many, every
status and exit reason, none to five assessments of every kind with ties on the date, ratings
of some domains only, children out of school, whole and fractional and negative income, a
month with records on a day other than the first, per-capita amounts that round onto or just
under the poverty line, a line announced mid-month and one with tiyin, and windows before the
first line. Every stored field of every family is compared with tests/wellbeing/reference_scores.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.choices import ExitReason, FamilyStatus
from beneficiaries.models import Family, IncomeRecord
from common.months import add_months
from tests.factories import ChildFactory, FamilyFactory, PersonFactory
from tests.wellbeing.reference_scores import reference_scores
from wellbeing import scores as services_wellbeing
from wellbeing.choices import AssessmentKind
from wellbeing.models import Assessment, Domain, FamilyScore, PovertyLine, Rating, WellbeingRule
from wellbeing.scores import COMPARED_FIELDS, family_scores_recompute
from wellbeing.selectors import PovertyLines

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 7, 15)  # window January-June 2026
EARLY = D(2022, 3, 10)  # window September 2021-February 2022: four months before any line
ATTNAMES = [FamilyScore._meta.get_field(name).attname for name in COMPARED_FIELDS]


def build_world(seed: int, families: int = 45) -> list[int]:
    rng = random.Random(seed)
    domains = list(Domain.objects.all())
    # A figure announced mid-month applies to that whole month; one has tiyin.
    PovertyLine.objects.create(valid_from=D(2026, 3, 17), amount=Decimal("720000.50"))
    PovertyLine.objects.create(valid_from=D(2026, 5, 1), amount=Decimal("730000"))
    statuses = [
        (FamilyStatus.ACTIVE, None),
        (FamilyStatus.REFERRED, None),
        (FamilyStatus.CLOSED, None),
        *[(FamilyStatus.EXITED, reason) for reason in ExitReason.values],
        (FamilyStatus.EXITED, ExitReason.WELL_BEING_RESTORED),
    ]
    kinds = [*AssessmentKind.values, AssessmentKind.FOLLOW_UP, AssessmentKind.SIX_MONTHLY]
    lines = PovertyLines()
    ids = []
    for index in range(families):
        status, reason = rng.choice(statuses)
        intake = D(rng.choice([2021, 2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))
        exit_date = None
        if status == FamilyStatus.EXITED:
            exit_date = D(rng.choice([2025, 2026]), rng.randint(1, 6), rng.randint(1, 28))
            if rng.random() < 0.3:
                exit_date = D(2025, rng.choice([1, 3, 5, 8, 10, 12]), 31)  # due dates clamped
        family = FamilyFactory(
            status=status,
            intake_date=intake,
            exit_date=exit_date,
            exit_reason=reason or "",
        )
        ids.append(family.pk)
        members = [PersonFactory(family=family)] if index % 9 else []  # some with no members
        for child in range(rng.choice([0, 0, 1, 2, 3, 5])):
            members.append(
                ChildFactory(family=family, birth_date=D(2010 + child, rng.randint(1, 12), 1))
            )
        day = intake
        for number in range(rng.choice([0, 1, 1, 2, 3, 5])):
            if rng.random() < 0.8 or number == 0:
                day = day + datetime.timedelta(days=rng.choice([0, 31, 90, 183]))  # 0: a tie
            if rng.random() < 0.15:
                day = D(day.year, day.month, 1) + datetime.timedelta(days=30)  # 31st or 1st
            assessment = Assessment.objects.create(family=family, date=day, kind=rng.choice(kinds))
            rated = domains if rng.random() < 0.85 else rng.sample(domains, 3)
            if rng.random() < 0.05:
                rated = []  # an assessment without ratings does not count
            Rating.objects.bulk_create(
                Rating(assessment=assessment, domain=domain, level=rng.randint(1, 5))
                for domain in rated
            )
            children = [person for person in members[1:] if rng.random() < 0.3]
            if children:
                assessment.children_out_of_school.set(children)
        size = len(members)
        records = []
        for month_index in range(-2, 7):
            month = add_months(D(2026, 1, 1), month_index)
            choice = rng.random()
            if choice < 0.2:
                continue  # a month without records
            line = lines.for_month(month)
            if choice < 0.45 and size:
                # Per capita exactly on the line, half a soum under it (rounds up onto it),
                # or just under.
                parts = [line * size + rng.choice([0, Decimal("-0.5") * size, -size, 1])]
            else:
                parts = [
                    rng.randint(-300_000, 2_500_000)
                    + rng.choice([0, 0, Decimal("0.5"), Decimal("0.25")])
                    for _ in range(rng.randint(1, 3))
                ]
            for amount in parts:
                records.append(
                    IncomeRecord(family=family, month=month, source="employment", amount=amount)
                )
        if rng.random() < 0.1:
            records.append(
                IncomeRecord(family=family, month=D(2026, 6, 15), source="other", amount=10**7)
            )
        IncomeRecord.objects.bulk_create(records)
    ids.append(_restored_with_follow_ups(domains).pk)
    return ids


def _restored_with_follow_ups(domains):
    """Exited with well-being restored on 31 January: an exit assessment, then a follow-up on
    the exit day (not after it), one after it and, on one day, two of them (the later id is
    the latest)."""
    family = FamilyFactory(
        status=FamilyStatus.EXITED,
        exit_date=D(2025, 1, 31),
        exit_reason=ExitReason.WELL_BEING_RESTORED,
    )
    PersonFactory(family=family)
    for day, kind, level in [
        (D(2025, 1, 20), AssessmentKind.EXIT, 4),
        (D(2025, 1, 31), AssessmentKind.FOLLOW_UP, 4),
        (D(2025, 8, 2), AssessmentKind.FOLLOW_UP, 3),
        (D(2025, 8, 2), AssessmentKind.FOLLOW_UP, 2),
    ]:
        assessment = Assessment.objects.create(family=family, date=day, kind=kind)
        Rating.objects.bulk_create(
            Rating(assessment=assessment, domain=domain, level=level) for domain in domains
        )
    return family


def stored() -> dict[int, dict]:
    return {
        row[0]: dict(zip(ATTNAMES, row[1:], strict=True))
        for row in FamilyScore.objects.values_list("family_id", *ATTNAMES)
    }


def assert_same(expected: dict[int, dict], actual: dict[int, dict]) -> None:
    assert set(actual) == set(expected)
    for family_id, fields in expected.items():
        assert actual[family_id] == fields, family_id


@pytest.mark.parametrize("seed", [1, 2])
def test_recompute_gives_the_rows_of_the_former_computation(seed, monkeypatch):
    monkeypatch.setattr(services_wellbeing, "UPSERT_ROWS", 4)  # several upserts a chunk
    ids = build_world(seed)
    for today in (TODAY, EARLY):
        expected = reference_scores(ids, today)
        FamilyScore.objects.all().delete()
        assert family_scores_recompute(today=today, chunk=7) == len(ids)  # ranges of ids
        assert_same(expected, stored())
        FamilyScore.objects.all().delete()
        part = ids[::3]
        family_scores_recompute(family_ids=part, today=today, chunk=4)  # lists of ids
        assert_same({key: expected[key] for key in part}, stored())
        family_scores_recompute(family_ids=ids, today=today)  # a third of them unchanged
        assert_same(expected, stored())


def test_a_rule_of_its_own_gives_the_same_rows_too():
    ids = build_world(3)
    WellbeingRule.objects.update(
        income_months=3, require_school=False, follow_up_months="3,6,9", min_domain_level=2
    )
    family_scores_recompute(today=TODAY)
    assert_same(reference_scores(ids, TODAY), stored())


def test_only_the_rows_that_changed_are_written():
    ids = build_world(4, families=20)
    family_scores_recompute(today=TODAY)
    before = {row.family_id: row.computed_at for row in FamilyScore.objects.all()}
    with CaptureQueriesContext(connection) as queries:
        family_scores_recompute(today=TODAY)
    assert not [q for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    family = Family.objects.get(pk=ids[5])
    PersonFactory(family=family)  # a new member: lower per-capita income
    IncomeRecord.objects.create(
        family_id=ids[6], month=D(2026, 6, 1), source="other", amount=Decimal("99999999")
    )
    expected = reference_scores(ids, TODAY)
    with CaptureQueriesContext(connection) as queries:
        family_scores_recompute(today=TODAY)
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    # One upsert of the two changed rows; the others are not touched.
    assert len(writes) == 1 and writes[0].count("), (") == 1
    assert_same(expected, stored())
    after = {row.family_id: row.computed_at for row in FamilyScore.objects.all()}
    assert {key for key in ids if after[key] != before[key]} == {ids[5], ids[6]}


def test_a_long_list_of_ids_stays_within_the_parameters_a_query_takes():
    family = FamilyFactory()
    many = [family.pk, *range(10**6, 10**6 + 20_000)]  # ids of no family but one
    assert family_scores_recompute(family_ids=many, chunk=30_000, today=TODAY) == 1
    assert FamilyScore.objects.get(family=family).next_due == family.intake_date
