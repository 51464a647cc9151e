"""Writes of the well-being modules: assessments, manual income, and the derived scores.

`family_scores_recompute` is the one place FamilyScore rows are written. It works on
chunks of families with a fixed number of aggregate queries per chunk, so recomputing
100,000 families is a few hundred queries, not a loop over objects.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.choices import ExitReason, FamilyStatus
from beneficiaries.choices_wellbeing import AssessmentKind, Trend
from beneficiaries.models import (
    Assessment,
    Domain,
    Family,
    FamilyScore,
    IncomeRecord,
    Person,
    Rating,
    WellbeingRule,
)
from beneficiaries.money import round_soum
from beneficiaries.months import add_months, month_start
from beneficiaries.selectors_wellbeing import (
    PovertyLines,
    consecutive_months_at_or_above,
    household_sizes,
    income_months,
    last_full_month,
    light_for,
    propose_levels,
    score_from,
)

CHUNK = 2000
IN_SERVICE = (FamilyStatus.ACTIVE, FamilyStatus.REFERRED)
SCORE_FIELDS = [
    "assessment",
    "assessed_on",
    "score",
    "previous_score",
    "light",
    "trend",
    "lowest_level",
    "children_out_of_school",
    "months_at_or_above_line",
    "last_month",
    "last_per_capita",
    "income_ok",
    "domains_ok",
    "school_ok",
    "exit_ready",
    "exit_score",
    "falling_back",
    "next_due",
    "computed_at",
]
COMPARED_FIELDS = [name for name in SCORE_FIELDS if name != "computed_at"]


# --- Scores -----------------------------------------------------------------------------------


def family_scores_recompute(
    *, family_ids: Iterable[int] | None = None, today: date | None = None, chunk: int = CHUNK
) -> int:
    """Recompute the score rows of the given families (all families when None). Returns the
    number of families written."""
    today = today or timezone.localdate()
    rule = WellbeingRule.current()
    lines = PovertyLines()
    if family_ids is None:
        ids = Family.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=chunk)
    else:
        ids = iter(sorted(set(family_ids)))
    written = 0
    batch: list[int] = []
    for family_id in ids:
        batch.append(family_id)
        if len(batch) >= chunk:
            written += _recompute_chunk(batch, today=today, rule=rule, lines=lines)
            batch = []
    if batch:
        written += _recompute_chunk(batch, today=today, rule=rule, lines=lines)
    return written


def _recompute_chunk(family_ids: list[int], *, today, rule, lines) -> int:
    """Six aggregate queries and one upsert for the whole chunk."""
    families = {
        row["id"]: row
        for row in Family.objects.filter(pk__in=family_ids).values(
            "id", "status", "intake_date", "exit_date", "exit_reason"
        )
    }
    # One row per assessment: its score's parts, aggregated in the database.
    per_assessment = defaultdict(list)
    rows = (
        Rating.objects.filter(assessment__family_id__in=family_ids)
        .values("assessment_id", "assessment__family_id", "assessment__date", "assessment__kind")
        .annotate(
            points=Sum((F("level") - 1) * F("domain__weight")),
            weights=Sum("domain__weight"),
            lowest=Min("level"),
        )
        .order_by("assessment__family_id", "-assessment__date", "-assessment_id")
    )
    for row in rows:
        per_assessment[row["assessment__family_id"]].append(row)
    latest_ids = [items[0]["assessment_id"] for items in per_assessment.values()]
    out_of_school = dict(
        Assessment.children_out_of_school.through.objects.filter(assessment_id__in=latest_ids)
        .values("assessment_id")
        .annotate(n=Count("id"))
        .values_list("assessment_id", "n")
    )
    last = last_full_month(today)
    first = add_months(last, -(rule.income_months - 1))
    sizes = household_sizes(family_ids)
    series = income_months(family_ids, first, last, lines=lines, sizes=sizes)
    now = timezone.now()
    scores = []
    for family_id, family in families.items():
        row = FamilyScore(family_id=family_id, computed_at=now)
        months = series.get(family_id, [])
        row.months_at_or_above_line = consecutive_months_at_or_above(months)
        row.income_ok = row.months_at_or_above_line >= rule.income_months
        row.last_month = last
        row.last_per_capita = months[-1].per_capita if months else None
        items = per_assessment.get(family_id, [])
        in_service = family["status"] in IN_SERVICE
        if items:
            latest = items[0]
            row.assessment_id = latest["assessment_id"]
            row.assessed_on = latest["assessment__date"]
            row.score = score_from(latest["points"], latest["weights"])
            row.lowest_level = latest["lowest"]
            row.children_out_of_school = out_of_school.get(latest["assessment_id"], 0)
            row.light = light_for(row.score, rule)
            row.domains_ok = row.lowest_level >= rule.min_domain_level
            row.school_ok = row.children_out_of_school == 0
            if len(items) > 1:
                row.previous_score = score_from(items[1]["points"], items[1]["weights"])
                row.trend = _trend(row.score, row.previous_score)
        school_ok = row.school_ok or not rule.require_school
        row.exit_ready = in_service and row.income_ok and row.domains_ok and school_ok
        _after_exit(row, family, items, rule)
        row.next_due = _next_due(family, items, rule, in_service)
        scores.append(row)
    _write_scores(scores, now)
    return len(scores)


def _write_scores(scores: list[FamilyScore], now) -> None:
    """Upsert the rows that changed; of the others only the time of computing moves (a
    nightly recompute changes few families, and writing 100,000 unchanged rows was most
    of its time). Three queries."""
    attnames = [FamilyScore._meta.get_field(name).attname for name in COMPARED_FIELDS]
    stored = {
        row[0]: row[1:]
        for row in FamilyScore.objects.filter(
            family_id__in=[score.family_id for score in scores]
        ).values_list("family_id", *attnames)
    }
    changed, unchanged = [], []
    for score in scores:
        values = tuple(getattr(score, name) for name in attnames)
        (unchanged if stored.get(score.family_id) == values else changed).append(score)
    if changed:
        FamilyScore.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["family"],
            update_fields=SCORE_FIELDS,
            batch_size=1000,
        )
    if unchanged:
        FamilyScore.objects.filter(family_id__in=[score.family_id for score in unchanged]).update(
            computed_at=now
        )


def _trend(score: int, previous: int) -> str:
    if score > previous:
        return Trend.UP
    if score < previous:
        return Trend.DOWN
    return Trend.FLAT


def _after_exit(row: FamilyScore, family: dict, items: list[dict], rule) -> None:
    """Score at exit, and whether the latest follow-up fell back from it."""
    if family["status"] != FamilyStatus.EXITED:
        return
    exits = [item for item in items if item["assessment__kind"] == AssessmentKind.EXIT]
    if not exits:
        return
    row.exit_score = score_from(exits[0]["points"], exits[0]["weights"])
    latest = items[0]
    if latest["assessment__kind"] != AssessmentKind.FOLLOW_UP:
        return
    dropped = row.score is not None and row.score <= row.exit_score - rule.fall_back_points
    row.falling_back = dropped or latest["lowest"] < rule.min_domain_level


def _next_due(family: dict, items: list[dict], rule, in_service: bool) -> date | None:
    """In service: six months after the last assessment (the intake one at once).
    After an exit with well-being restored: the follow-ups not yet done."""
    if in_service:
        if not items:
            return family["intake_date"]
        return _add_months_to_day(items[0]["assessment__date"], rule.assessment_interval_months)
    if (
        family["status"] != FamilyStatus.EXITED
        or family["exit_reason"] != ExitReason.WELL_BEING_RESTORED
    ):
        return None
    exit_date = family["exit_date"]
    done = sum(
        1
        for item in items
        if item["assessment__kind"] == AssessmentKind.FOLLOW_UP
        and item["assessment__date"] > exit_date
    )
    plan = rule.follow_up_list
    if done >= len(plan):
        return None
    return _add_months_to_day(exit_date, plan[done])


def _add_months_to_day(day: date, months: int) -> date:
    start = add_months(month_start(day), months)
    for candidate in (day.day, 28):
        try:
            return start.replace(day=candidate)
        except ValueError:
            continue
    return start


_pending = threading.local()


def schedule_score_recompute(family_id: int) -> None:
    """Recompute a family's score once the current transaction commits. Many calls in one
    transaction (a payroll run's income records) give one recompute of all their families.
    Ids left behind by a rolled-back transaction are recomputed with the next one."""
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    pending.add(family_id)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is _run_pending for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_run_pending)


def _run_pending() -> None:
    ids = getattr(_pending, "ids", None) or set()
    _pending.ids = set()
    if ids:
        family_scores_recompute(family_ids=ids)


# --- Assessments --------------------------------------------------------------------------


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


def _save_manual(record, *, month, source, amount, person, evidence) -> IncomeRecord:
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
