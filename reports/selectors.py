"""The programme's figures for a period and a branch, each counted in the database.

Every figure has one queryset of the records that make it up (`figure_records`), and the
dashboard counts those same querysets in a fixed number of aggregate queries, so the
drill-down list of a figure always has as many rows as the figure says. The definitions
are written out in docs/reports.md and on the methods page (reports/figures.py).
"""

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from beneficiaries import referrals as core_referrals
from beneficiaries import selectors as core
from beneficiaries.choices import CHILDREN, ExitReason, FamilyStatus, ReferralService
from beneficiaries.models import (
    Branch,
    Family,
    FamilyIncomeSummary,
    IncomeRecord,
    Person,
    Referral,
)
from common.money import round_soum
from common.months import month_start
from common.percent import whole_percent
from daycare import figures as daycare
from daycare.models import DayCareAttendance
from enterprises.models import Business, Employment, Position
from enterprises.selectors import with_survival
from training.choices import EnrolmentStatus
from training.models import Enrolment, Qualification
from wellbeing.models import ExitRequest, PovertyLine

LEFT = [FamilyStatus.EXITED, FamilyStatus.CLOSED]
SURVIVAL_MONTHS = 12


@dataclass(frozen=True)
class Period:
    """The report's filters: first and last day (both included) and optionally a branch."""

    start: date
    end: date
    branch: Branch | None = None

    @property
    def branch_id(self) -> int | None:
        return self.branch.pk if self.branch else None

    def branch_q(self, path: str) -> Q:
        return Q(**{path: self.branch.pk}) if self.branch else Q()

    @property
    def reference_day(self) -> date:
        """The day survival is judged on: the period's end, or today if that is later."""
        return min(self.end, timezone.localdate())


# --- Families -------------------------------------------------------------------------------


def _served_q(period: Period, prefix: str = "") -> Q:
    """`families_served` as a condition on the family at `prefix` (e.g. "person__family__"):
    the core's one definition (beneficiaries.selectors.served_q) and the branch."""
    return period.branch_q(f"{prefix}branch_id") & core.served_q(
        start=period.start, end=period.end, prefix=prefix
    )


def families_served(period: Period):
    """Families in service on at least one day of the period: taken in on or before its
    last day, not left before its first day, and no longer merely referred."""
    return core.families_served(
        Family.objects.filter(period.branch_q("branch_id")), start=period.start, end=period.end
    )


def _active_q(period: Period) -> Q:
    return Q(exit_date__isnull=True, status=FamilyStatus.ACTIVE) | Q(exit_date__gt=period.end)


def _exit_q(period: Period) -> Q:
    return Q(status__in=LEFT, exit_date__gte=period.start, exit_date__lte=period.end)


def _restored_q(period: Period) -> Q:
    return _exit_q(period) & Q(
        status=FamilyStatus.EXITED, exit_reason=ExitReason.WELL_BEING_RESTORED
    )


def _override_q() -> Q:
    """The family's exit with well-being restored was an approved early exit request whose
    checklist did not hold when approved (wellbeing.ExitRequest.override)."""
    return Q(
        Exists(
            ExitRequest.objects.filter(
                family=OuterRef("pk"), status=ExitRequest.Status.APPROVED, override=True
            )
        )
    )


def active_families(period: Period):
    """Families served that were still in service on the period's last day."""
    return families_served(period).filter(_active_q(period))


def exits(period: Period):
    """Families served whose case ended (exited or closed) within the period."""
    return families_served(period).filter(_exit_q(period))


def restored_exits(period: Period):
    """Exits of the period with the reason 'well-being restored'."""
    return families_served(period).filter(_restored_q(period))


def restored_overrides(period: Period):
    """Of the restored exits, those a programme manager approved although the exit
    checklist did not hold (an override of the rule, four eyes)."""
    return restored_exits(period).filter(_override_q())


# --- People ---------------------------------------------------------------------------------


def _people(period: Period):
    return Person.objects.filter(family__in=families_served(period))


def children(period: Period):
    """Children and grandchildren of the families served (as recorded on the family)."""
    return _people(period).filter(relationship__in=CHILDREN)


def returned_children(period: Period):
    """Members of the families served who came back to live with the family within the
    period after a stay in short-term or alternative care (beneficiaries.selectors:
    `returns_home`), each child once."""
    return core.returned_children(_people(period), start=period.start, end=period.end)


def _trained_exists(period: Period):
    return Exists(
        Enrolment.objects.filter(
            person=OuterRef("pk"),
            status=EnrolmentStatus.COMPLETED,
            ended_on__gte=period.start,
            ended_on__lte=period.end,
        )
    )


def _certified_exists(period: Period):
    return Exists(
        Qualification.objects.filter(
            enrolment__person=OuterRef("pk"),
            issued_on__gte=period.start,
            issued_on__lte=period.end,
            revoked_on__isnull=True,
        )
    )


def people_trained(period: Period):
    """People of the branch's families who completed a course within the period."""
    return Person.objects.filter(period.branch_q("family__branch_id"), _trained_exists(period))


def people_certified(period: Period):
    """People of the branch's families given a certificate within the period, not revoked."""
    return Person.objects.filter(period.branch_q("family__branch_id"), _certified_exists(period))


# --- Jobs and businesses --------------------------------------------------------------------


def jobs_created(period: Period):
    """Positions at social enterprises created by the programme and opened in the period."""
    return Position.objects.filter(
        period.branch_q("enterprise__branch_id"),
        created_by_programme=True,
        opened_on__gte=period.start,
        opened_on__lte=period.end,
    )


def _filled_exists(period: Period):
    return Exists(
        Employment.objects.filter(position=OuterRef("pk"), start_date__lte=period.end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=period.start)
        )
    )


def jobs_filled(period: Period):
    """Jobs created in the period that a family member held on at least one day of it."""
    return jobs_created(period).filter(_filled_exists(period))


def businesses_started(period: Period):
    """Family businesses of the branch's families that started within the period."""
    return Business.objects.filter(
        period.branch_q("family__branch_id"),
        started_on__gte=period.start,
        started_on__lte=period.end,
    )


def businesses_reached(period: Period):
    """Businesses started in the period that were 12 months old by the reference day."""
    return with_survival(businesses_started(period), period.reference_day).filter(
        operating_12__isnull=False
    )


def businesses_survived(period: Period):
    """Of those, the ones operating 12 months after their start."""
    return with_survival(businesses_started(period), period.reference_day).filter(operating_12=True)


# --- Income ---------------------------------------------------------------------------------


def _total_in(month_ref: str):
    rows = (
        IncomeRecord.objects.filter(family=OuterRef("pk"), month=OuterRef(month_ref))
        .order_by()
        .values("family")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Cast(Subquery(rows, output_field=DecimalField()), FloatField())


def with_income(families, period: Period):
    """Annotate the first and the latest recorded month up to the period's end, their
    household income per member, and the change between them (floats, for ordering)."""
    records = IncomeRecord.objects.filter(family=OuterRef("pk"), month__lte=month_start(period.end))
    return (
        families.annotate(
            first_month=Subquery(records.order_by("month").values("month")[:1]),
            last_month=Subquery(records.order_by("-month").values("month")[:1]),
            # The members: the family's member count, kept in one place (docs/derived-data.md).
            household_size=Cast("member_count", FloatField()),
        )
        .annotate(last_total=_total_in("last_month"))
        .annotate(
            first_per_capita=_total_in("first_month") / F("household_size"),
            last_per_capita=F("last_total") / F("household_size"),
        )
        .annotate(income_change=F("last_per_capita") - F("first_per_capita"))
    )


def income_compared(period: Period):
    """Families served with income recorded in two different months up to the period's end:
    their first recorded month (normally the intake) and their latest."""
    return with_income(families_served(period), period).filter(
        first_month__isnull=False, last_month__gt=F("first_month"), household_size__gt=0
    )


def poverty_line_case(lines: list[tuple[date, Decimal]] | None = None):
    """The poverty line in force in the row's `last_month`, as a CASE over the few dated
    figures: a figure announced in a month applies to that whole month."""
    if lines is None:
        lines = list(
            PovertyLine.objects.order_by("-valid_from").values_list("valid_from", "amount")
        )
    whens = [
        When(last_month__gte=month_start(valid_from), then=Value(float(amount)))
        for valid_from, amount in sorted(lines, reverse=True)
    ]
    if not whens:
        return Value(None, output_field=FloatField())
    return Case(*whens, default=Value(None), output_field=FloatField())


def poverty_compared(period: Period, lines=None):
    """Families served with income recorded up to the period's end, whose latest recorded
    month has a poverty line in force."""
    return (
        with_income(families_served(period), period)
        .filter(last_month__isnull=False, household_size__gt=0)
        .annotate(poverty_line=poverty_line_case(lines))
        .filter(poverty_line__isnull=False)
    )


def above_poverty_line(period: Period, lines=None):
    """Of those, the families whose income per member in that month was at or above it:
    unrounded, as household total >= line x members (wellbeing.selectors.at_or_above_line;
    `income_figures` counts the same in its SQL). The totals, lines and member counts are
    whole or two-decimal numbers, exact in the floats they are compared as."""
    return poverty_compared(period, lines).filter(
        last_total__gte=F("poverty_line") * F("household_size")
    )


INCOME_SQL = """
WITH totals AS MATERIALIZED (
    SELECT s.family_id, f.member_count AS members, s.first_month, s.first_total,
           CASE WHEN s.last_month <= %s THEN s.last_month
                ELSE (SELECT MAX(r.month) FROM {income} r
                      WHERE r.family_id = s.family_id AND r.month <= %s) END AS last_month,
           CASE WHEN s.last_month <= %s THEN s.last_total
                ELSE (SELECT SUM(r.amount) FROM {income} r
                      WHERE r.family_id = s.family_id AND r.month = (
                          SELECT MAX(r2.month) FROM {income} r2
                          WHERE r2.family_id = s.family_id AND r2.month <= %s))
                END AS last_total
    FROM {summary} s JOIN {family} f ON f.id = s.family_id
    WHERE s.first_month <= %s AND f.member_count > 0 AND s.family_id IN ({served})
), counts AS MATERIALIZED (
    SELECT COUNT(CASE WHEN last_month > first_month THEN 1 END) AS moved,
           COUNT(line) AS compared,
           COUNT(CASE WHEN last_total >= line * members THEN 1 END) AS above
    FROM (SELECT first_month, last_month, last_total, members, {line} AS line FROM totals) lined
)
SELECT counts.moved, counts.compared, counts.above,
       middle.first_total, middle.last_total, middle.members
FROM counts LEFT JOIN (
    SELECT first_total, last_total, members FROM totals
    WHERE last_month > first_month
    ORDER BY CAST(last_total - first_total AS FLOAT) / members, family_id
    LIMIT 2 OFFSET (SELECT (moved - 1) / 2 FROM counts)
) middle ON 1 = 1
"""


def income_figures(period: Period, lines: list[tuple[date, Decimal]]) -> dict:
    """`income_compared`, `median_income_change`, `poverty_compared` and
    `above_poverty_line` from one aggregate query: per family served with income up to the
    period's end, its first and latest recorded month, their household totals and its
    members; the database counts the families and sorts the changes, and only the one or
    two middle families come back (`LIMIT 2 OFFSET` half the count), whose change is then
    computed exactly here. The same definitions as `income_compared` and
    `above_poverty_line`, whose querysets list the families (the tests hold the two to the
    same numbers).

    The months and totals come from `FamilyIncomeSummary` (one row a family, kept by
    triggers), the members from `Family.member_count`: the summary's first month is the
    first up to any end that is not before it, and its latest month is the answer when it
    is not after the period's end. Only for
    families with income after the period's end is the latest month before it looked up
    in the income index (a few seeks a family). The changes are ordered as floats (a
    numeric sort costs PostgreSQL twice as much); the middle ones are then computed exactly
    from their totals."""
    served_sql, served_params = (
        families_served(period).order_by().values("pk").query.sql_with_params()
    )
    field = IncomeRecord._meta.get_field("month")
    # The line in force in the latest month: a figure announced in a month applies to it.
    starts = sorted(
        ((month_start(valid_from), amount) for valid_from, amount in lines), reverse=True
    )
    line_sql = "CAST(NULL AS NUMERIC)"  # an untyped NULL is text on PostgreSQL
    line_params = []
    if starts:
        line_sql = "CASE {} ELSE NULL END".format(
            " ".join("WHEN last_month >= %s THEN CAST(%s AS NUMERIC)" for _line in starts)
        )
        for month, amount in starts:
            line_params += [field.get_db_prep_value(month, connection), str(amount)]
    sql = INCOME_SQL.format(
        income=connection.ops.quote_name(IncomeRecord._meta.db_table),
        summary=connection.ops.quote_name(FamilyIncomeSummary._meta.db_table),
        family=connection.ops.quote_name(Family._meta.db_table),
        served=served_sql,
        line=line_sql,
    )
    last = field.get_db_prep_value(month_start(period.end), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*[last] * 5, *served_params, *line_params])
        rows = cursor.fetchall()
    moved, compared, above = rows[0][:3]
    # The middle one or two of the changes: with an odd count, only the first row.
    middle = [
        Decimal(str(last_total)) / members - Decimal(str(first_total)) / members
        for *_counts, first_total, last_total, members in rows[: 2 - moved % 2]
        if members
    ]
    return {
        "income_compared": moved,
        "median_income_change": round_soum(statistics.median(middle)) if middle else None,
        "poverty_compared": compared,
        "above_poverty_line": above,
    }


# --- Day care -------------------------------------------------------------------------------


def daycare_figures(period: Period) -> dict:
    """The day-care figures (daycare.figures, docs/daycare.md) of the days in care within
    the period at the branch's centre: children cared for, care hours, and the hours of
    parents' training and work they made possible (4 queries)."""
    days = DayCareAttendance.objects.filter(
        period.branch_q("branch_id"), date__gte=period.start, date__lte=period.end
    )
    return daycare.figures(days)


# --- All figures at once --------------------------------------------------------------------


# Every share of the report: a whole percentage, half up, None without a denominator.
share = whole_percent


BRANCH_KEYS = (
    "families_served",
    "active_families",
    "exits",
    "restored_exits",
    "restored_overrides",
    "children",
    "returned_children",
)


def branch_figures(period: Period) -> dict[int, dict]:
    """Per branch (only the period's branch if it has one): families served, active, exits,
    restored exits, children and children returned, in three grouped queries that read
    indexes rather than rows. The programme's totals are their sums: every family has one
    branch, every person one family."""
    rows: dict[int, dict] = {}

    def add(found):
        for row in found:
            rows.setdefault(row.pop("branch_id"), dict.fromkeys(BRANCH_KEYS, 0)).update(row)

    add(
        families_served(period)
        .order_by()
        .values("branch_id")
        .annotate(
            families_served=Count("pk"),
            active_families=Count("pk", filter=_active_q(period)),
            exits=Count("pk", filter=_exit_q(period)),
            restored_exits=Count("pk", filter=_restored_q(period)),
            restored_overrides=Count("pk", filter=_restored_q(period) & _override_q()),
        )
    )
    add(
        Person.objects.filter(_served_q(period, "family__"), relationship__in=CHILDREN)
        .order_by()
        .values(branch_id=F("family__branch_id"))
        .annotate(children=Count("pk"))
    )
    # From the (few) returns home of the period to their people, not from every member to
    # their placements.
    add(
        core.returns_home(start=period.start, end=period.end)
        .filter(_served_q(period, "person__family__"))
        .order_by()
        .values(branch_id=F("person__family__branch_id"))
        .annotate(returned_children=Count("person", distinct=True))
    )
    return rows


def programme_figures(period: Period, by_branch: dict[int, dict] | None = None) -> dict:
    """Every figure of the dashboard in a fixed number of queries, whatever the data size:
    families, children and children returned per branch (3, or none if `by_branch` is
    given: `branch_figures` of the same period), trained (1), certified (1), jobs (1),
    businesses (1), poverty lines (1), income (1)."""
    if by_branch is None:
        by_branch = branch_figures(period)
    figures = {key: sum(row[key] for row in by_branch.values()) for key in BRANCH_KEYS}
    figures["people_trained"] = (
        Enrolment.objects.filter(
            period.branch_q("person__family__branch_id"),
            status=EnrolmentStatus.COMPLETED,
            ended_on__gte=period.start,
            ended_on__lte=period.end,
        )
        .values("person")
        .distinct()
        .count()
    )
    figures["people_certified"] = (
        Qualification.objects.filter(
            period.branch_q("enrolment__person__family__branch_id"),
            issued_on__gte=period.start,
            issued_on__lte=period.end,
            revoked_on__isnull=True,
        )
        .values("enrolment__person")
        .distinct()
        .count()
    )
    figures.update(
        jobs_created(period).aggregate(
            jobs_created=Count("pk"),
            jobs_filled=Count("pk", filter=Q(_filled_exists(period))),
            job_enterprises=Count("enterprise", distinct=True),
            job_makhallas=Count("enterprise__makhalla", distinct=True),
        )
    )
    survival = with_survival(businesses_started(period), period.reference_day)
    figures.update(
        survival.aggregate(
            businesses_started=Count("pk"),
            businesses_reached=Count("pk", filter=Q(operating_12__isnull=False)),
            businesses_survived=Count("pk", filter=Q(operating_12=True)),
        )
    )
    lines = list(PovertyLine.objects.values_list("valid_from", "amount"))
    figures.update(income_figures(period, lines))
    figures.update(referral_figures(period))
    figures["restored_share"] = share(figures["restored_exits"], figures["exits"])
    figures["survival_share"] = share(figures["businesses_survived"], figures["businesses_reached"])
    figures["poverty_share"] = share(figures["above_poverty_line"], figures["poverty_compared"])
    figures["filled_share"] = share(figures["jobs_filled"], figures["jobs_created"])
    return figures


# --- Referrals to services -------------------------------------------------------------------


def _referrals(period: Period):
    return Referral.objects.filter(period.branch_q("family__branch_id"))


def referrals_made(period: Period):
    """Referrals sent within the period (beneficiaries.referrals.made_q)."""
    return _referrals(period).filter(core_referrals.made_q(period.start, period.end))


def referrals_completed(period: Period):
    """Referrals whose service was given within the period (completed_q)."""
    return _referrals(period).filter(core_referrals.completed_q(period.start, period.end))


def referral_figures(period: Period) -> dict:
    """Referrals made and completed in the period, one query."""
    made = core_referrals.made_q(period.start, period.end)
    completed = core_referrals.completed_q(period.start, period.end)
    return _referrals(period).aggregate(
        referrals_made=Count("pk", filter=made), referrals_completed=Count("pk", filter=completed)
    )


def referrals_by_service(period: Period) -> list[dict]:
    """Per service (in the order of ReferralService), referrals made and completed in the
    period, one query; services with neither are left out."""
    made = core_referrals.made_q(period.start, period.end)
    completed = core_referrals.completed_q(period.start, period.end)
    counts = {
        row["service"]: row
        for row in _referrals(period)
        .filter(made | completed)
        .values("service")
        .annotate(made=Count("pk", filter=made), completed=Count("pk", filter=completed))
        .order_by()
    }
    return [
        {"service": service, "label": service.label, **counts[service.value]}
        for service in ReferralService
        if service.value in counts
    ]


def branch_breakdown(period: Period, by_branch: dict[int, dict] | None = None) -> list[dict]:
    """Per branch: families served, children, exits, restored exits, children returned and
    jobs created: `branch_figures` (3 queries unless given) and the branches and their
    jobs (2 queries), one row per branch, in name order."""
    if by_branch is None:
        by_branch = branch_figures(period)
    branches = Branch.objects.filter(pk=period.branch_id) if period.branch else Branch.objects.all()
    rows = {
        branch.pk: {
            "branch": branch,
            **dict.fromkeys(BRANCH_KEYS, 0),
            **by_branch.get(branch.pk, {}),
            "jobs_created": 0,
        }
        for branch in branches.order_by("name")
    }
    job_rows = (
        jobs_created(period)
        .order_by()
        .values(branch_id=F("enterprise__branch_id"))
        .annotate(jobs_created=Count("pk"))
    )
    for found in job_rows:
        rows[found.pop("branch_id")].update(found)
    result = list(rows.values())
    for row in result:
        row["restored_share"] = share(row["restored_exits"], row["exits"])
    return result


def exits_by_year(period: Period) -> list[dict]:
    """Exits of the period per year: all and with well-being restored (one query, per exit
    day from the families' period index; the days are summed into years here, which
    spares SQLite a function call per family)."""
    per_year: dict[int, dict] = {}
    days = (
        exits(period)
        .order_by()
        .values("exit_date")
        .annotate(
            exits=Count("pk"),
            restored=Count(
                "pk",
                filter=Q(status=FamilyStatus.EXITED, exit_reason=ExitReason.WELL_BEING_RESTORED),
            ),
        )
    )
    for day in days:
        year = per_year.setdefault(
            day["exit_date"].year, {"year": day["exit_date"].year, "exits": 0, "restored": 0}
        )
        year["exits"] += day["exits"]
        year["restored"] += day["restored"]
    return [per_year[year] for year in sorted(per_year)]
