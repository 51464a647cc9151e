"""Writes of the well-being instrument with rules: assessments and the manual household
income a caseworker records. Each recomputes the family's score when it commits."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.choices import APP_WRITTEN_SOURCES, FamilyStatus
from beneficiaries.models import Family, IncomeRecord, Person
from common.money import round_soum
from wellbeing.choices import AssessmentKind
from wellbeing.models import Assessment, Domain, Rating, WellbeingRule
from wellbeing.scores import family_scores_recompute
from wellbeing.selectors import (
    propose_levels,
)


def school_age_children(family: Family, on: date, rule: WellbeingRule | None = None):
    """The family's children of school age on the day (a queryset)."""
    rule = rule or WellbeingRule.current()
    youngest = _years_before(on, rule.school_age_from)
    oldest = _years_before(on, rule.school_age_to + 1)
    return Person.objects.filter(
        family=family, birth_date__lte=youngest, birth_date__gt=oldest
    ).order_by("birth_date")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def assessment_record(
    *,
    family: Family,
    day: date,
    kind: str,
    levels: dict[int, int],
    reasons: dict[int, str] | None = None,
    children_out_of_school: Iterable[Person] = (),
    notes: str = "",
    recorded_by=None,
) -> Assessment:
    """Record an assessment: a level for every domain in use, keyed by domain id. For the
    domains the data rates (income, employment) the proposal is kept beside the level, and a
    different level needs a reason. The family's score is recomputed in the same transaction."""
    reasons = reasons or {}
    errors: dict[str, list[str]] = {}
    if day > timezone.localdate():
        errors["date"] = [_("An assessment cannot be dated in the future.")]
    if day < family.intake_date:
        errors["date"] = [_("An assessment cannot be dated before the family's intake.")]
    if kind == AssessmentKind.FOLLOW_UP and not (
        family.status == FamilyStatus.EXITED and family.exit_date and day > family.exit_date
    ):
        errors["kind"] = [_("A follow-up is recorded after the family has exited.")]
    rule = WellbeingRule.current()
    children = list(children_out_of_school)
    allowed = set(school_age_children(family, day, rule).values_list("pk", flat=True))
    if any(child.pk not in allowed for child in children):
        errors["children_out_of_school"] = [
            _("Only the family's school-age children can be marked as not in school.")
        ]
    domains = list(Domain.objects.filter(is_active=True))
    proposal = propose_levels([family.pk], day)[family.pk]
    ratings = []
    for domain in domains:
        level = levels.get(domain.pk)
        if level is None:
            errors[f"level_{domain.pk}"] = [_("Rate this domain.")]
            continue
        rating = Rating(
            domain=domain,
            level=level,
            proposed_level=proposal.level_for(domain),
            override_reason=(reasons.get(domain.pk) or "").strip(),
        )
        if not rating.is_override:
            rating.override_reason = ""
        try:
            rating.clean_fields(exclude=["assessment"])
            rating.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                key = "reason" if field == "override_reason" else "level"
                errors.setdefault(f"{key}_{domain.pk}", []).extend(messages)
        ratings.append(rating)
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        family=family, date=day, kind=kind, notes=notes, recorded_by=recorded_by
    )
    assessment.full_clean()
    assessment.save()
    for rating in ratings:
        rating.assessment = assessment
    Rating.objects.bulk_create(ratings)
    if children:
        assessment.children_out_of_school.set(children)
    family_scores_recompute(family_ids=[family.pk])
    return assessment


# --- Manual income records --------------------------------------------------------------------


def _check_manual(record: IncomeRecord) -> None:
    if record.is_automatic:
        raise ValidationError(
            _("This record comes from another part of the programme and changes only there.")
        )


@transaction.atomic
def income_record_create(
    *,
    family: Family,
    month: date,
    source: str,
    amount: Decimal,
    person: Person | None = None,
    evidence: str = "",
    recorded_by=None,
) -> IncomeRecord:
    """A caseworker's record of a month's income from a source with no record of its own."""
    record = IncomeRecord(family=family, recorded_by=recorded_by)
    return _save_manual(
        record, month=month, source=source, amount=amount, person=person, evidence=evidence
    )


@transaction.atomic
def income_record_update(
    *,
    record: IncomeRecord,
    month: date,
    source: str,
    amount: Decimal,
    person: Person | None = None,
    evidence: str = "",
) -> IncomeRecord:
    _check_manual(record)
    old_family = record.family_id
    saved = _save_manual(
        record, month=month, source=source, amount=amount, person=person, evidence=evidence
    )
    if old_family != saved.family_id:  # pragma: no cover - the form keeps the family
        family_scores_recompute(family_ids=[old_family])
    return saved


@transaction.atomic
def income_record_delete(*, record: IncomeRecord) -> None:
    _check_manual(record)
    family_id = record.family_id
    record.delete()
    family_scores_recompute(family_ids=[family_id])


def check_hand_entered_source(source: str) -> None:
    """Refuse a source that only its own app writes (`APP_WRITTEN_SOURCES`)."""
    if source in APP_WRITTEN_SOURCES:
        raise ValidationError({"source": str(APP_WRITTEN_SOURCES[source])})


def _save_manual(record, *, month, source, amount, person, evidence) -> IncomeRecord:
    check_hand_entered_source(source)
    if person is not None and person.family_id != record.family_id:
        raise ValidationError({"person": _("This person is not a member of the family.")})
    if month.day != 1:
        raise ValidationError({"month": _("A month is stored as its first day.")})
    record.month = month
    record.source = source
    record.amount = round_soum(amount)
    record.person = person
    record.evidence = evidence
    record.full_clean()
    record.save()
    family_scores_recompute(family_ids=[record.family_id])
    return record
