"""The score computation as it was before it moved into SQL (per-family Python over six
aggregate queries per chunk), kept to prove the set-based `family_scores_recompute` gives the
same rows. Copied from beneficiaries/services_wellbeing.py at f876d2f; read only."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, F, Min, Sum
from django.utils import timezone

from beneficiaries.choices import ExitReason, FamilyStatus
from beneficiaries.models import Family
from common.months import add_months, shift_months
from wellbeing.choices import AssessmentKind, Trend
from wellbeing.models import Assessment, FamilyScore, Rating, WellbeingRule
from wellbeing.scores import COMPARED_FIELDS, IN_SERVICE
from wellbeing.selectors import (
    PovertyLines,
    consecutive_months_at_or_above,
    household_sizes,
    income_months,
    last_full_month,
    light_for,
    score_from,
)


def reference_scores(family_ids, today: date) -> dict[int, dict]:
    """{family_id: {field: value}} of the compared fields, computed the former way."""
    rule = WellbeingRule.current()
    lines = PovertyLines()
    rows = _reference_chunk(sorted(family_ids), today=today, rule=rule, lines=lines)
    names = [FamilyScore._meta.get_field(name).attname for name in COMPARED_FIELDS]
    return {row.family_id: {name: getattr(row, name) for name in names} for row in rows}


def _reference_chunk(family_ids: list[int], *, today, rule, lines) -> list[FamilyScore]:
    """The former `_recompute_chunk`, verbatim but for the write: unsaved rows."""
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
    return scores


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
        return shift_months(items[0]["assessment__date"], rule.assessment_interval_months)
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
    return shift_months(exit_date, plan[done])
