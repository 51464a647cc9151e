"""Outcomes of one enterprise and of one course: what became of the people they reached.

The employment outcomes of training (docs/outcomes.md) are decided here, once: the course
report, its cohorts, the programme report, the donor PDF and XLSX and every drill-down list
read `completer_outcomes` and `outcome_figures`.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import ExitReason, FamilyStatus, IncomeSource
from beneficiaries.models import Family, IncomeRecord
from common.money import round_soum
from common.months import add_months
from common.percent import whole_percent
from enterprises.choices import EmploymentStatus
from enterprises.models import Business, Employment, JobPlacement, Position
from enterprises.selectors import operating_between, operating_between_q
from training.choices import EnrolmentStatus
from training.models import Enrolment
from training.selectors import completion_rate

# The quarters after the completion quarter that are measured (WIOA: 2nd and 4th).
QUARTERS_AFTER = (2, 4)
EARNINGS_QUARTER = 2
# Earnings from the jobs and businesses that make a completer "employed": wages of a social
# enterprise (approved payroll), of a job placement, and business profit (follow-ups). The
# hand-entered "other employment" line names no job, so it neither employs nor earns here.
OUTCOME_SOURCES = (
    IncomeSource.ENTERPRISE_WAGES,
    IncomeSource.PLACEMENT_WAGES,
    IncomeSource.BUSINESS_PROFIT,
)


def enterprise_report(enterprise) -> dict:
    """An enterprise's outcomes: jobs, the people who held them, their families (3 queries)."""
    positions = Position.objects.filter(enterprise=enterprise)
    jobs = positions.aggregate(
        positions=Count("pk"),
        created=Count("pk", filter=Q(created_by_programme=True)),
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        filled=Count(
            "pk",
            filter=Q(
                Exists(
                    Employment.objects.filter(
                        position=OuterRef("pk"), status=EmploymentStatus.ACTIVE
                    )
                )
            ),
        ),
    )
    contracts = Employment.objects.filter(position__enterprise=enterprise)
    people = contracts.aggregate(
        contracts=Count("pk"),
        people=Count("person", distinct=True),
        employed_now=Count("person", filter=Q(status=EmploymentStatus.ACTIVE), distinct=True),
        families=Count("person__family", distinct=True),
    )
    families = Family.objects.filter(pk__in=contracts.values("person__family_id")).aggregate(
        restored=Count(
            "pk",
            filter=Q(status=FamilyStatus.EXITED, exit_reason=ExitReason.WELL_BEING_RESTORED),
        ),
        in_service=Count("pk", filter=Q(status=FamilyStatus.ACTIVE)),
    )
    return {"jobs": jobs, "people": people, "families": families}


# --- Employment outcomes of training (docs/outcomes.md) ------------------------------------


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter of `day` (1 January, April, July, October)."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_after(day: date, count: int) -> tuple[date, date]:
    """First and last day of the `count`-th calendar quarter after the quarter of `day`:
    a completion on 15 February 2025 (first quarter) has its 2nd quarter after from
    1 July to 30 September 2025 and its 4th from 1 January to 31 March 2026."""
    first = add_months(quarter_start(day), 3 * count)
    return first, add_months(first, 3) - timedelta(days=1)


def _covers(start: date, end: date | None, first: date, last: date) -> bool:
    """A job from `start` to `end` (open if None) ran on a day from `first` to `last`: the
    rule of EmploymentQuerySet.active_during, for rows already read."""
    return start <= last and (end is None or end >= first)


EMPLOYMENT_KINDS = {
    "enterprise": _("job at a social enterprise"),
    "placement": _("job placement"),
    "business": _("operating business"),
}


@dataclass
class QuarterOutcome:
    """One completer in one quarter after completion."""

    first: date
    last: date
    due: bool  # the quarter is over, so it is measured
    kinds: list[str] = field(default_factory=list)  # what employed them, EMPLOYMENT_KINDS
    earnings: Decimal | None = None  # OUTCOME_SOURCES in its three months, if recorded

    @property
    def employed(self) -> bool:
        return self.due and bool(self.kinds)

    @property
    def monthly_earnings(self) -> Decimal | None:
        """The quarter's earnings over its three months, in whole soum (common.money): the
        amount the drill-down list shows and the median is taken of."""
        return None if self.earnings is None else round_soum(self.earnings / 3)

    @property
    def kinds_display(self) -> str:
        return ", ".join(str(EMPLOYMENT_KINDS[kind]) for kind in self.kinds)


@dataclass
class CompleterOutcome:
    """A completed enrolment and its quarters after completion (QUARTERS_AFTER)."""

    enrolment: Enrolment
    quarters: dict[int, QuarterOutcome]

    @property
    def person(self):
        return self.enrolment.person

    @property
    def completed_on(self) -> date:
        return self.enrolment.ended_on


def completers(enrolments):
    """The completions among `enrolments`: status completed (training's one completion
    decision, CompletionRule, sets it), with the day it ended."""
    return enrolments.filter(status=EnrolmentStatus.COMPLETED, ended_on__isnull=False)


def completer_outcomes(enrolments, today: date | None = None) -> list[CompleterOutcome]:
    """Every completion among `enrolments` with its 2nd and 4th quarter after completion:
    measured once the quarter is over (its last day before `today`), employed when a
    contract at a social enterprise or an outside placement ran on a day of it, or the
    person's business was operating on a day of it (enterprises.selectors.operating_between),
    and the quarter's earnings from OUTCOME_SOURCES. Five queries, whatever the number of
    completers: the completions, then the contracts, placements, businesses and earnings of
    their people, each narrowed to the span of their quarters."""
    today = today or timezone.localdate()
    done = completers(enrolments)
    rows = list(
        done.select_related("person__family__branch", "cohort__course", "cohort__branch").order_by(
            "ended_on", "pk"
        )
    )
    # Without completions the four queries still run (and find nothing): a fixed count.
    spans = [quarter_after(row.ended_on, n) for row in rows for n in QUARTERS_AFTER]
    first = min((span[0] for span in spans), default=today)
    last = max((span[1] for span in spans), default=today)
    people = done.values("person_id")
    jobs = defaultdict(list)
    for person_id, start, end in (
        Employment.objects.filter(person_id__in=people)
        .active_during(first, last)
        .values_list("person_id", "start_date", "end_date")
    ):
        jobs[person_id].append(("enterprise", start, end))
    for person_id, start, end in (
        JobPlacement.objects.placed()
        .filter(person_id__in=people, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .values_list("person_id", "start_date", "end_date")
    ):
        jobs[person_id].append(("placement", start, end))
    businesses = defaultdict(list)
    for owner_id, since, closed in Business.objects.filter(
        operating_between_q(first, last), owner_id__in=people
    ).values_list("owner_id", "operating_since", "closed_on"):
        businesses[owner_id].append((since, closed))
    earned = defaultdict(dict)
    for person_id, month, total in (
        IncomeRecord.objects.filter(
            person_id__in=people, source__in=OUTCOME_SOURCES, month__gte=first, month__lte=last
        )
        .order_by()
        .values("person_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("person_id", "month", "total")
    ):
        earned[person_id][month] = total
    result = []
    for row in rows:
        quarters = {}
        for n in QUARTERS_AFTER:
            q_first, q_last = quarter_after(row.ended_on, n)
            outcome = QuarterOutcome(first=q_first, last=q_last, due=q_last < today)
            if outcome.due:
                kinds = {
                    kind
                    for kind, start, end in jobs[row.person_id]
                    if _covers(start, end, q_first, q_last)
                }
                if any(
                    operating_between(since, closed, q_first, q_last)
                    for since, closed in businesses[row.person_id]
                ):
                    kinds.add("business")
                outcome.kinds = [kind for kind in EMPLOYMENT_KINDS if kind in kinds]
                months = [add_months(q_first, offset) for offset in range(3)]
                amounts = [earned[row.person_id][m] for m in months if m in earned[row.person_id]]
                outcome.earnings = sum(amounts, Decimal(0)) if amounts else None
            quarters[n] = outcome
        result.append(CompleterOutcome(enrolment=row, quarters=quarters))
    return result


# Each figure's list of completions (its drill-down): slug -> (label, test of a row).
def _measured(n):
    return lambda row: row.quarters[n].due


def _employed(n):
    return lambda row: row.quarters[n].employed


def _not_due(n):
    return lambda row: not row.quarters[n].due


def _earner(row):
    quarter = row.quarters[EARNINGS_QUARTER]
    return quarter.employed and quarter.earnings is not None


@dataclass(frozen=True)
class OutcomeList:
    slug: str
    key: str
    label: str
    test: object
    quarter: int | None = None


OUTCOME_LISTS = [
    OutcomeList("completers", "completers", _("Completers"), lambda row: True),
    OutcomeList("q2-measured", "q2_measured", _("Completers measured in the 2nd quarter after"), _measured(2), 2),
    OutcomeList("q2-employed", "q2_employed", _("Employed in the 2nd quarter after completion"), _employed(2), 2),
    OutcomeList("q2-not-due", "q2_not_due", _("Not yet due for the 2nd quarter after"), _not_due(2), 2),
    OutcomeList("q4-measured", "q4_measured", _("Completers measured in the 4th quarter after"), _measured(4), 4),
    OutcomeList("q4-employed", "q4_employed", _("Employed in the 4th quarter after completion"), _employed(4), 4),
    OutcomeList("q4-not-due", "q4_not_due", _("Not yet due for the 4th quarter after"), _not_due(4), 4),
    OutcomeList("q2-earners", "q2_earners", _("Employed in the 2nd quarter after, with earnings recorded"), _earner, 2),
]  # fmt: skip
OUTCOME_BY_SLUG = {item.slug: item for item in OUTCOME_LISTS}


def outcome_rows(rows: list[CompleterOutcome], slug: str) -> list[CompleterOutcome]:
    """The drill-down list of one figure: the completions it counts."""
    test = OUTCOME_BY_SLUG[slug].test
    return [row for row in rows if test(row)]


def median_monthly_earnings(rows: list[CompleterOutcome]) -> Decimal | None:
    """Median over the earners of the 2nd quarter of their monthly earnings (the quarter's
    over three, whole soum, as their list shows them); the middle of an even count, half
    way between two amounts, rounded again to whole soum, half up (common.money)."""
    values = [
        row.quarters[EARNINGS_QUARTER].monthly_earnings for row in outcome_rows(rows, "q2-earners")
    ]
    return round_soum(statistics.median(values)) if values else None


def outcome_figures(rows: list[CompleterOutcome]) -> dict:
    """The counts of every OUTCOME_LISTS list, the employment rates (employed of measured,
    whole percent) and the median monthly earnings, from `completer_outcomes`' rows."""
    figures = {item.key: len(outcome_rows(rows, item.slug)) for item in OUTCOME_LISTS}
    for n in QUARTERS_AFTER:
        figures[f"q{n}_rate"] = whole_percent(figures[f"q{n}_employed"], figures[f"q{n}_measured"])
    figures["q2_median_earnings"] = median_monthly_earnings(rows)
    return figures


def cohort_outcomes(rows: list[CompleterOutcome]) -> list[dict]:
    """The figures per cohort, in the order of the cohorts' start (no further query)."""
    by_cohort = defaultdict(list)
    for row in rows:
        by_cohort[row.enrolment.cohort].append(row)
    return [
        {"cohort": cohort, "figures": outcome_figures(by_cohort[cohort])}
        for cohort in sorted(by_cohort, key=lambda cohort: (cohort.start_date, cohort.pk))
    ]


def course_report(course, today: date | None = None) -> dict:
    """A course's outcomes (6 queries): enrolments by status, certificates, and the
    employment outcomes of its completers, for the course and per cohort."""
    enrolments = Enrolment.objects.filter(cohort__course=course).aggregate(
        cohorts=Count("cohort", distinct=True),
        enrolled=Count("pk"),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        dropped_out=Count("pk", filter=Q(status=EnrolmentStatus.DROPPED_OUT)),
        failed=Count("pk", filter=Q(status=EnrolmentStatus.FAILED)),
        certified=Count(
            "qualification", filter=Q(qualification__revoked_on__isnull=True), distinct=True
        ),
    )
    rows = completer_outcomes(Enrolment.objects.filter(cohort__course=course), today)
    outcomes = outcome_figures(rows)
    outcomes["completion_share"] = completion_rate(enrolments)
    return {"enrolments": enrolments, "outcomes": outcomes, "cohorts": cohort_outcomes(rows)}


def period_completions(period):
    """The completions the programme report measures: those of the branch's families that
    ended within the period, as "People trained" counts them (reports.selectors)."""
    return Enrolment.objects.filter(
        period.branch_q("person__family__branch_id"),
        ended_on__gte=period.start,
        ended_on__lte=period.end,
    )


STATES = {
    "not_due": _("not yet due"),
    "employed": _("employed"),
    "not_employed": _("not employed"),
}


def outcome_table_rows(rows: list[CompleterOutcome], slug: str) -> list[dict]:
    """The drill-down list of `slug` as table rows: each completion with the quarter the
    figure measures (the 2nd for the list of all completers), what employed the person in it
    and their monthly earnings, rounded to whole soum."""
    item = OUTCOME_BY_SLUG[slug]
    n = item.quarter or EARNINGS_QUARTER
    table = []
    for row in outcome_rows(rows, slug):
        quarter = row.quarters[n]
        state = "not_due" if not quarter.due else "employed" if quarter.employed else "not_employed"
        table.append(
            {
                "person": row.person,
                "family": row.person.family.case_number,
                "branch": str(row.person.family.branch),
                "course": str(row.enrolment.cohort.course),
                "cohort_start": row.enrolment.cohort.start_date,
                "completed_on": row.completed_on,
                "quarter_first": quarter.first,
                "quarter_last": quarter.last,
                "state": str(STATES[state]),
                "employed_by": quarter.kinds_display or None,
                "monthly_earnings": quarter.monthly_earnings,
            }
        )
    return table


OUTCOME_METHODS = [
    (
        _("Completers"),
        _(
            "Enrolments completed (status completed, training's completion rule), each "
            "counted once with the day it ended; a person who completed two courses counts "
            "twice. In the programme report: those that ended within the period, of the "
            "branch's families."
        ),
    ),
    (
        _("Employed in the 2nd quarter after completion"),
        _(
            "As the US WIOA indicator 'Employment Rate, 2nd Quarter After Exit', the exit "
            "being the completion: of the completers whose second calendar quarter after the "
            "quarter of completion is over (a completion on 15 February: 1 July to 30 "
            "September), those with a contract at a social enterprise or a job placement "
            "with another employer running on at least one day of that quarter, or a "
            "business operating on at least one day of it. The rate is their share of the "
            "completers measured; those whose quarter is not over are not yet due and left "
            "out of it."
        ),
    ),
    (
        _("Employed in the 4th quarter after completion"),
        _(
            "The same for the fourth calendar quarter after the quarter of completion (a "
            "completion on 15 February: 1 January to 31 March of the next year)."
        ),
    ),
    (
        _("Median monthly earnings, 2nd quarter after"),
        _(
            "As WIOA's 'Median Earnings, 2nd Quarter After Exit', per month: over the "
            "completers employed in the 2nd quarter after with earnings recorded in it, the "
            "median of their wages at a social enterprise, wages from a job placement and "
            "business profit in the household income ledger for the quarter's three months, "
            "divided by three; rounded to whole soum."
        ),
    ),
]
