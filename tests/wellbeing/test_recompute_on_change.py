"""A family's score follows its status, dates and members at once, not only at night:
intake, exit, closing and a member added or removed each recompute it when they commit."""

import datetime

import pytest

from beneficiaries.choices import ExitReason, FamilyStatus
from beneficiaries.services import family_close, family_exit, family_intake
from tests.factories import ChildFactory, consent_to_processing
from tests.wellbeing.factories import household, recomputes_counted, record_levels
from wellbeing.models import FamilyScore

pytestmark = pytest.mark.django_db
D = datetime.date


def _score(family):
    return FamilyScore.objects.get(family=family)


def test_an_exit_recomputes_the_score_when_it_commits(personas, django_capture_on_commit_callbacks):
    family = household(2, intake_date=D(2024, 1, 1), consent_date=D(2024, 1, 1))
    record_levels(family, D(2025, 6, 1), {}, kind="exit", default=4)
    assert _score(family).exit_score is None  # still in service
    with django_capture_on_commit_callbacks(execute=True):
        family_exit(
            family=family,
            exit_date=D(2025, 6, 30),
            reason=ExitReason.WELL_BEING_RESTORED,
            by=personas.caseworker,
            approved_early=True,  # as a programme manager's approval exits it
        )
    score = _score(family)
    assert (score.exit_score, score.next_due) == (75, D(2025, 12, 30))  # first follow-up due


def test_closing_a_case_recomputes_the_score(personas, django_capture_on_commit_callbacks):
    family = household(2, intake_date=D(2025, 3, 10), consent_date=D(2025, 3, 10))
    record_levels(family, D(2025, 3, 20), {}, kind="intake")
    assert _score(family).next_due == D(2025, 9, 20)
    with django_capture_on_commit_callbacks(execute=True):
        family_close(
            family=family, close_date=D(2025, 5, 1), notes="moved away", by=personas.caseworker
        )
    assert _score(family).next_due is None  # a closed case is not assessed again


def test_an_intake_recomputes_the_score(personas, django_capture_on_commit_callbacks):
    family = household(2, status=FamilyStatus.REFERRED, intake_date=D(2025, 3, 10))
    consent_to_processing(family)
    with django_capture_on_commit_callbacks(execute=True):
        family_intake(family=family, intake_date=D(2025, 4, 2), by=personas.caseworker)
    assert _score(family).next_due == D(2025, 4, 2)  # the intake assessment is due


def test_a_member_added_or_removed_recomputes_the_score(django_capture_on_commit_callbacks):
    family = household(2, intake_date=D(2025, 3, 10))
    record_levels(family, D(2025, 3, 20), {}, kind="intake")
    with recomputes_counted() as runs, django_capture_on_commit_callbacks(execute=True):
        child = ChildFactory(family=family, birth_date=D(2020, 1, 1))
    assert len(runs) == 1 and family.pk in runs[0]  # (ids left by earlier tests may ride along)
    with recomputes_counted() as runs, django_capture_on_commit_callbacks(execute=True):
        child.delete()
    assert len(runs) == 1 and family.pk in runs[0]  # (ids left by earlier tests may ride along)


def test_a_save_that_touches_no_scored_field_schedules_nothing(django_capture_on_commit_callbacks):
    family = household(2)
    with django_capture_on_commit_callbacks() as callbacks:
        family.phone = "+998 90 000 00 00"
        family.save(update_fields=["phone"])
    assert callbacks == []


def test_income_written_in_bulk_recomputes_its_families_once(
    personas, django_capture_on_commit_callbacks
):
    from django.contrib.contenttypes.models import ContentType

    from beneficiaries.services import IncomeEntry, income_records_upsert_bulk

    first, second = household(2), household(3)
    origin_type = ContentType.objects.get_for_model(type(personas.director))
    entries = [
        IncomeEntry(
            family_id=family.pk,
            person_id=None,
            month=D(2025, 6, 1),
            source="enterprise_wages",
            amount=1_000_000,
            origin_type=origin_type,
            origin_id=origin.pk,
        )
        for family, origin in [(first, personas.director), (second, personas.manager)]
    ]
    with recomputes_counted() as runs, django_capture_on_commit_callbacks(execute=True):
        income_records_upsert_bulk(entries=entries)
    assert len(runs) == 1 and {first.pk, second.pk} <= runs[0]
    assert FamilyScore.objects.filter(family__in=[first, second]).count() == 2
