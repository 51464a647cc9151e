"""Reads of the well-being modules: per-capita income, level proposals, scores, summaries.

Everything here works on many families at once, in a fixed number of aggregate queries;
the one-family helpers call the bulk ones with a single id.
"""

import bisect
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, Min, Q, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import sees_whole_programme
from beneficiaries.access import caseworker_branch_ids, may_edit_family, sees_sensitive
from beneficiaries.choices import FamilyStatus, IncomeSource
from beneficiaries.models import Family, IncomeRecord, Person
from common.money import round_soum
from common.months import add_months, month_start, months_between
from common.percent import whole_percent
from enterprises.selectors import families_with_stable_work
from wellbeing.choices import TrafficLight
from wellbeing.models import (
    Assessment,
    Domain,
    ExitRequest,
    FamilyScore,
    PovertyLine,
    Rating,
    WellbeingRule,
)
from wellbeing.stale import family_flags

EARNED_SOURCES = [
    IncomeSource.ENTERPRISE_WAGES,
    IncomeSource.PLACEMENT_WAGES,
    IncomeSource.BUSINESS_PROFIT,
    IncomeSource.EMPLOYMENT,
]
PROPOSAL_MONTHS = 6


# --- Poverty line -------------------------------------------------------------------------


class PovertyLines:
    """The dated figures, read once; `for_month` answers without further queries."""

    def __init__(self, rows: list[tuple[date, Decimal]] | None = None):
        if rows is None:
            rows = list(
                PovertyLine.objects.order_by("valid_from").values_list("valid_from", "amount")
            )
        self.starts = [row[0] for row in rows]
        self.amounts = [row[1] for row in rows]

    def for_month(self, month: date) -> Decimal | None:
        """The figure in force on the month's last day (a figure announced mid-month applies
        to that whole month), or None before the first figure."""
        last_day = add_months(month_start(month), 1) - timedelta(days=1)
        index = bisect.bisect_right(self.starts, last_day) - 1
        return self.amounts[index] if index >= 0 else None


# --- Household income ---------------------------------------------------------------------


def household_sizes(family_ids: Collection[int]) -> dict[int, int]:
    """Members per family, one query."""
    rows = (
        Person.objects.filter(family_id__in=family_ids)
        .values("family_id")
        .annotate(members=Count("id"))
        .values_list("family_id", "members")
    )
    return dict(rows)


def monthly_income(
    family_ids: Collection[int], first: date, last: date, *, sources=None
) -> dict[tuple[int, date], Decimal]:
    """{(family_id, month): household income of that month}, one aggregate query."""
    records = IncomeRecord.objects.filter(
        family_id__in=family_ids, month__gte=first, month__lte=last
    )
    if sources is not None:
        records = records.filter(source__in=sources)
    rows = records.values("family_id", "month").annotate(total=Sum("amount"))
    return {(row["family_id"], row["month"]): row["total"] for row in rows}


def monthly_income_by_source(family_id: int, first: date, last: date) -> dict[date, dict]:
    """{month: {source: total}} of one family's records, one aggregate query: the same
    records as `monthly_income`, split by where the money came from."""
    rows = (
        IncomeRecord.objects.filter(family_id=family_id, month__gte=first, month__lte=last)
        .values("month", "source")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    found: dict[date, dict] = {}
    for row in rows:
        found.setdefault(row["month"], {})[row["source"]] = row["total"]
    return found


def per_capita(total: Decimal | None, members: int) -> Decimal:
    """Household income per member, rounded to whole soum: the figure shown. Whether it is
    at or above the poverty line is `at_or_above_line`, on the unrounded income."""
    if not members:
        return Decimal(0)
    return round_soum((total or Decimal(0)) / members)


def at_or_above_line(total: Decimal | None, members: int, line: Decimal | None) -> bool:
    """The programme's one "at or above the poverty line": the household's income of the
    month per member, unrounded, against the line in force, i.e. total >= line x members,
    in Decimal. No line, or no members, is not at or above. The family's pages, the
    caseworker's panel, the score recompute (its SQL does the same on the totals) and the
    programme report all decide it so."""
    if line is None or not members:
        return False
    return Decimal(total or 0) >= Decimal(line) * members


@dataclass(frozen=True)
class IncomeMonth:
    month: date
    income: Decimal
    members: int
    per_capita: Decimal
    line: Decimal | None

    @property
    def at_or_above(self) -> bool:
        return at_or_above_line(self.income, self.members, self.line)


def income_months(
    family_ids: Collection[int],
    first: date,
    last: date,
    *,
    lines: PovertyLines | None = None,
    sizes: dict[int, int] | None = None,
) -> dict[int, list[IncomeMonth]]:
    """Per family, every month from `first` to `last` with its per-capita income and the
    poverty line in force that month. A month without records counts as no income."""
    lines = lines or PovertyLines()
    sizes = household_sizes(family_ids) if sizes is None else sizes
    totals = monthly_income(family_ids, first, last)
    months = months_between(first, last)
    result = {}
    for family_id in family_ids:
        members = sizes.get(family_id, 0)
        series = []
        for month in months:
            income = totals.get((family_id, month), Decimal(0))
            series.append(
                IncomeMonth(
                    month, income, members, per_capita(income, members), lines.for_month(month)
                )
            )
        result[family_id] = series
    return result


def consecutive_months_at_or_above(series: list[IncomeMonth]) -> int:
    """How many months, counting back from the last one, are at or above the line."""
    count = 0
    for item in reversed(series):
        if not item.at_or_above:
            break
        count += 1
    return count


def last_full_month(today: date | None = None) -> date:
    return add_months(month_start(today or timezone.localdate()), -1)


# --- Level proposals ----------------------------------------------------------------------


def income_level(ratio: Decimal | None) -> int:
    """Level from per-capita income as a share of the poverty line over six months."""
    if ratio is None or ratio < Decimal("0.5"):
        return 1
    if ratio < Decimal("0.8"):
        return 2
    if ratio < Decimal("1"):
        return 3
    if ratio < Decimal("1.5"):
        return 4
    return 5


def employment_level(*, stable: bool, months_earned: int, months: int = PROPOSAL_MONTHS) -> int:
    """5: stable work and earnings every month; 4: stable work or an operating business;
    3: earnings in at least half the months; 2: some earnings; 1: none."""
    if stable and months_earned >= months:
        return 5
    if stable:
        return 4
    if months_earned * 2 >= months:
        return 3
    if months_earned:
        return 2
    return 1


@dataclass(frozen=True)
class Proposal:
    income_level: int
    income_ratio: Decimal | None
    employment_level: int
    stable_work: bool
    months_earned: int
    first: date
    last: date

    @property
    def income_percent(self) -> int | None:
        if self.income_ratio is None:
            return None
        return whole_percent(self.income_ratio, 1)

    def level_for(self, domain: Domain) -> int | None:
        if domain.proposal == Domain.Proposal.INCOME:
            return self.income_level
        if domain.proposal == Domain.Proposal.EMPLOYMENT:
            return self.employment_level
        return None


def propose_levels(family_ids: Collection[int], on: date) -> dict[int, Proposal]:
    """Income and employment levels from the six full months before `on`'s month, in bulk:
    three aggregate queries plus the registered employment signals."""
    last = add_months(month_start(on), -1)
    first = add_months(last, -(PROPOSAL_MONTHS - 1))
    lines = PovertyLines()
    series = income_months(family_ids, first, last, lines=lines)
    earned = monthly_income(family_ids, first, last, sources=EARNED_SOURCES)
    stable = families_with_stable_work(family_ids)
    proposals = {}
    for family_id, months in series.items():
        line_total = sum((item.line for item in months if item.line is not None), Decimal(0))
        ratio = None
        if line_total and all(item.line is not None for item in months):
            ratio = sum((item.per_capita for item in months), Decimal(0)) / line_total
        months_earned = sum(1 for item in months if earned.get((family_id, item.month), 0) > 0)
        proposals[family_id] = Proposal(
            income_level=income_level(ratio),
            income_ratio=ratio,
            employment_level=employment_level(
                stable=family_id in stable, months_earned=months_earned
            ),
            stable_work=family_id in stable,
            months_earned=months_earned,
            first=first,
            last=last,
        )
    return proposals


# --- Scores ---------------------------------------------------------------------------------


def score_from(points: int, weights: int) -> int | None:
    """0-100 from the weighted levels: sum(weight * (level - 1)) / (4 * sum(weight))."""
    if not weights:
        return None
    return whole_percent(points, 4 * weights)


def light_for(score: int | None, rule: WellbeingRule) -> str:
    if score is None:
        return ""
    if score >= rule.green_from:
        return TrafficLight.GREEN
    if score >= rule.amber_from:
        return TrafficLight.AMBER
    return TrafficLight.RED


def assessment_scores(assessments) -> dict[int, dict]:
    """{assessment_id: {"score", "lowest"}} for a queryset of assessments, one query."""
    rows = (
        Rating.objects.filter(assessment__in=assessments)
        .values("assessment_id")
        .annotate(
            points=Sum((F("level") - 1) * F("domain__weight")),
            weights=Sum("domain__weight"),
            lowest=Min("level"),
        )
    )
    return {
        row["assessment_id"]: {
            "score": score_from(row["points"], row["weights"]),
            "lowest": row["lowest"],
        }
        for row in rows
    }


def family_assessments(family, user):
    """The family's assessments with their scores, newest first (two queries)."""
    assessments = list(
        Assessment.objects.for_user(user)
        .filter(family=family)
        .select_related("recorded_by")
        .annotate(out_of_school=Count("children_out_of_school"))
    )
    scores = assessment_scores(Assessment.objects.filter(family=family))
    for assessment in assessments:
        found = scores.get(assessment.pk, {})
        assessment.score = found.get("score")
        assessment.lowest = found.get("lowest")
    return assessments


def wellbeing_summary(family, user) -> dict | None:
    """Context for `wellbeing/summary.html`: the score, light, trend and the
    exit checklist, or None for a user who may not see the family's well-being.
    Three queries (score, rule, domains below the minimum)."""
    if not sees_sensitive(user, family):
        return None
    score, rule, checklist = family_checklist(family)
    active = family.status in (FamilyStatus.ACTIVE, FamilyStatus.REFERRED)
    pending = None
    if family.status == FamilyStatus.ACTIVE:
        pending = (
            ExitRequest.objects.filter(family=family, status=ExitRequest.Status.PENDING)
            .select_related("requested_by")
            .first()
        )
    return {
        "family": family,
        "score": score,
        "rule": rule,
        "checklist": checklist,
        "stale": family_flags(family, rule=rule),
        "active": active,
        "exit_request": pending,
        # An early exit may be requested when the checklist fails today (the request's
        # service checks again, after a recompute).
        "may_request_exit": (
            family.status == FamilyStatus.ACTIVE
            and pending is None
            and not (score and score.exit_ready)
            and user.has_perm("wellbeing.add_exitrequest")
            and may_edit_family(user, family)
        ),
    }


def pending_exit_requests(user):
    """Early exit requests waiting for a decision, among the families the user may see,
    oldest first."""
    return (
        ExitRequest.objects.for_user(user)
        .filter(status=ExitRequest.Status.PENDING)
        .order_by("requested_at", "id")
    )


def family_checklist(family) -> tuple[FamilyScore | None, WellbeingRule, list]:
    """The family's stored score, the rule and the exit checklist read off them (three
    queries). `wellbeing.services.exit_readiness_now` recomputes the score first."""
    score = FamilyScore.objects.filter(family=family).select_related("assessment").first()
    rule = WellbeingRule.current()
    below = []
    if score and score.assessment_id:
        below = [
            str(rating.domain)
            for rating in Rating.objects.filter(
                assessment_id=score.assessment_id, level__lt=rule.min_domain_level
            ).select_related("domain")
        ]
    return score, rule, exit_checklist(score, rule, below)


def exit_checklist(score: FamilyScore | None, rule: WellbeingRule, below: list[str]) -> list:
    """Each condition of the exit rule with whether it holds and why not."""
    months = score.months_at_or_above_line if score else 0
    items = [
        {
            "code": "income",
            "label": ngettext(
                "Per-capita income at or above the poverty line for %(n)d month",
                "Per-capita income at or above the poverty line for %(n)d consecutive months",
                rule.income_months,
            )
            % {"n": rule.income_months},
            "ok": bool(score and score.income_ok),
            "detail": _("%(months)d of %(needed)d months")
            % {"months": months, "needed": rule.income_months},
        }
    ]
    assessed = bool(score and score.assessment_id)
    if not assessed:
        domains_detail = _("No assessment yet")
    elif below:
        domains_detail = _("Below level %(level)d: %(domains)s") % {
            "level": rule.min_domain_level,
            "domains": ", ".join(below),
        }
    else:
        domains_detail = _("Lowest level: %(level)d") % {"level": score.lowest_level}
    items.append(
        {
            "code": "domains",
            "label": _("No domain below level %(level)d") % {"level": rule.min_domain_level},
            "ok": bool(score and score.domains_ok),
            "detail": domains_detail,
        }
    )
    if rule.require_school:
        out = score.children_out_of_school if score else 0
        items.append(
            {
                "code": "school",
                "label": _("Every school-age child in school"),
                "ok": bool(score and score.school_ok),
                "detail": (
                    _("No assessment yet")
                    if not assessed
                    else ngettext("%(n)d child not in school", "%(n)d children not in school", out)
                    % {"n": out}
                ),
            }
        )
    return items


# --- Caseworker dashboard -------------------------------------------------------------------


IN_SERVICE = Q(status__in=[FamilyStatus.ACTIVE, FamilyStatus.REFERRED])


def light_conditions() -> dict[str, Q]:
    """{light: condition on Family}: families in service by their score's traffic light, and
    those not assessed yet. The caseworker's panel counts them and the family list filters
    by them (wellbeing.family_list), so a tile and the list it links to agree."""
    return {
        TrafficLight.GREEN.value: IN_SERVICE & Q(score__light=TrafficLight.GREEN),
        TrafficLight.AMBER.value: IN_SERVICE & Q(score__light=TrafficLight.AMBER),
        TrafficLight.RED.value: IN_SERVICE & Q(score__light=TrafficLight.RED),
        "unassessed": IN_SERVICE & (Q(score__isnull=True) | Q(score__light="")),
    }


def ready_to_exit_q() -> Q:
    """Families in service whose stored score says every exit condition holds."""
    return IN_SERVICE & Q(score__exit_ready=True)


def falling_back_q() -> Q:
    """Families whose follow-up after exit scores below their score at exit."""
    return Q(score__falling_back=True)


def assessment_due_q(today: date, rule: WellbeingRule) -> Q:
    """Families whose next assessment is due within the rule's `due_soon_days` or overdue:
    a family in service never assessed is due since its intake (as wellbeing.stale)."""
    due_by = today + timedelta(days=rule.due_soon_days)
    return (IN_SERVICE & Q(score__isnull=True, intake_date__lte=due_by)) | Q(
        score__next_due__lte=due_by
    )


def caseworker_panel(user, today: date | None = None) -> dict:
    """The caseworker's well-being panel in a fixed number of queries, whatever the caseload:
    rule (1), counts (1), three short lists (3), income trend (2) and poverty lines (1).
    Read over the families, so a family registered since the last recompute counts as not
    assessed and due for its intake assessment."""
    today = today or timezone.localdate()
    rule = WellbeingRule.current()
    mine = _my_families(user).annotate(
        due_on=Case(
            When(IN_SERVICE & Q(score__isnull=True), then=F("intake_date")),
            default=F("score__next_due"),
        )
    )
    lights = light_conditions()
    counts = mine.aggregate(
        **{code: Count("pk", filter=condition) for code, condition in lights.items()},
        due=Count("pk", filter=assessment_due_q(today, rule)),
        ready=Count("pk", filter=ready_to_exit_q()),
        falling_back=Count("pk", filter=falling_back_q()),
    )
    columns = ("pk", "case_number", "score__score", "score__light", "due_on")
    due = list(mine.filter(assessment_due_q(today, rule)).order_by("due_on").values(*columns)[:5])
    ready = list(mine.filter(ready_to_exit_q()).order_by("-score__score").values(*columns)[:5])
    falling = list(mine.filter(falling_back_q()).order_by("score__score").values(*columns)[:5])
    return {
        "counts": counts,
        "due": due,
        "ready": ready,
        "falling_back": falling,
        "today": today,
        "income_trend": caseload_income_trend(user, today),
    }


def _my_families(user):
    """The families the user follows as caseworker, within the branches whose sensitive
    data they may see."""
    families = Family.objects.filter(caseworker=user)
    if not sees_whole_programme(user):
        families = families.filter(branch_id__in=caseworker_branch_ids(user))
    return families


def caseload_income_trend(user, today: date, months: int = 6) -> list[dict]:
    """Per month: the per-capita income of the caseworker's families in service, taken
    together (their income over their members), against the poverty line. Three queries."""
    last = last_full_month(today)
    first = add_months(last, -(months - 1))
    in_service = {"caseworker": user, "status__in": [FamilyStatus.ACTIVE, FamilyStatus.REFERRED]}
    members = Person.objects.filter(**{f"family__{k}": v for k, v in in_service.items()}).count()
    rows = dict(
        IncomeRecord.objects.for_user(user)
        .filter(
            month__gte=first, month__lte=last, **{f"family__{k}": v for k, v in in_service.items()}
        )
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    lines = PovertyLines()
    trend = []
    for month in months_between(first, last):
        value = per_capita(rows.get(month), members)
        line = lines.for_month(month)
        trend.append(
            {
                "month": month,
                "per_capita": value,
                "line": line,
                "at_or_above": at_or_above_line(rows.get(month), members, line),
            }
        )
    return trend


def caseworker_panel_context(user) -> dict:
    """The home page panel: title, template and data (see `caseworker_panel`)."""
    data = caseworker_panel(user)
    return {
        "title": _("My families' well-being"),
        "template": "wellbeing/panel.html",
        "wellbeing": data,
        "wellbeing_lists": [
            (_("Assessments due"), data["due"], _("None due.")),
            (_("Ready to exit"), data["ready"], _("No family yet.")),
            (_("Falling back after exit"), data["falling_back"], _("No family.")),
        ],
    }
