"""Reads that aggregate or scope: figures, yearly results, survival, timeline, person scope.

Everything here is counted in the database; no loop walks over all businesses or contracts.
"""

from datetime import date, timedelta

from django.db.models import BooleanField, Case, Count, DateField, Func, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role, sees_whole_programme
from beneficiaries.access import caseworker_branch_ids, sees_sensitive
from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Person
from beneficiaries.timeline import TimelineEntry
from common.months import add_months, last_start_reaching, month_start
from common.percent import whole_percent
from enterprises.access import managed_enterprise_ids
from enterprises.choices import BusinessStatus, EmploymentStatus
from enterprises.models import (
    Business,
    Employment,
    EnterpriseMonthlyResult,
    JobPlacement,
    RetentionCheck,
    SocialEnterprise,
)

ACTIVE = Q(positions__employments__status=EmploymentStatus.ACTIVE)
SURVIVAL_HORIZONS = (6, 12, 24)


def with_figures(enterprises):
    """Annotate headcount, jobs (all, created by the programme, filled) on each enterprise."""
    return enterprises.annotate(
        jobs=Count("positions", filter=Q(positions__closed_on__isnull=True), distinct=True),
        jobs_created=Count(
            "positions", filter=Q(positions__created_by_programme=True), distinct=True
        ),
        jobs_filled=Count("positions", filter=ACTIVE, distinct=True),
        headcount=Count("positions__employments", filter=ACTIVE, distinct=True),
    )


def year_results(enterprise, year: int) -> dict:
    """Twelve months of an enterprise's results (None where nothing was entered) and totals."""
    rows = {
        row.month: row
        for row in EnterpriseMonthlyResult.objects.filter(enterprise=enterprise, month__year=year)
    }
    months = [date(year, number, 1) for number in range(1, 13)]
    totals = EnterpriseMonthlyResult.objects.filter(
        enterprise=enterprise, month__year=year
    ).aggregate(revenue=Sum("revenue"), costs=Sum("costs"), result=Sum("result"))
    return {"months": [(month, rows.get(month)) for month in months], "totals": totals}


def result_years(enterprise) -> list[int]:
    return sorted(
        {
            d.year
            for d in EnterpriseMonthlyResult.objects.filter(enterprise=enterprise).dates(
                "month", "year"
            )
        },
        reverse=True,
    )


def recent_results(enterprise_ids, *, months: int = 3, today: date | None = None) -> dict:
    """{enterprise_id: [results of the last `months` months before this one, newest first]}."""
    this_month = month_start(today or timezone.localdate())
    since = add_months(this_month, -months)
    grouped: dict[int, list] = {pk: [] for pk in enterprise_ids}
    for row in EnterpriseMonthlyResult.objects.filter(
        enterprise_id__in=enterprise_ids, month__gte=since, month__lt=this_month
    ).order_by("enterprise_id", "-month"):
        grouped[row.enterprise_id].append(row)
    return grouped


def manager_dashboard(user) -> list[SocialEnterprise]:
    """The enterprises a manager runs, with their figures and last months' results: 2 queries."""
    managed = managed_enterprise_ids(user)
    if not managed:
        return []
    enterprises = list(with_figures(SocialEnterprise.objects.filter(pk__in=managed)))
    results = recent_results([enterprise.pk for enterprise in enterprises])
    for enterprise in enterprises:
        enterprise.recent = results[enterprise.pk]
    return enterprises


def manager_panel(user) -> dict | None:
    """The home page's panel for an enterprise manager, or None when they run none yet.

    Payroll status is not shown here yet: it joins the panel when payroll lands.
    """
    enterprises = manager_dashboard(user)
    if not enterprises:
        return None
    return {
        "title": _("My enterprises"),
        "template": "enterprises/panels/manager.html",
        "enterprises": enterprises,
    }


# Survival -----------------------------------------------------------------------------------


class MonthsLater(Func):
    """The day `months` after a date: `common.months.shift_months` in SQL, the same day of
    the month `months` months later, clamped to that month's last day (31 January plus
    one month is 28 or 29 February). Built-in date arithmetic of each database, so no
    function of ours runs per row (Django's Extract* on SQLite calls back into Python for
    every row); tests/enterprises/test_months_later.py holds it to `shift_months` on the
    month-end and leap-year days. A NULL date gives a meaningless value on SQLite: guard
    it."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        self.months = int(months)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL clamps to the month's end itself.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST({sql} + INTERVAL '{self.months} months' AS date)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        month = (
            f"(CAST(substr({sql}, 1, 4) AS INTEGER) * 12 "
            f"+ CAST(substr({sql}, 6, 2) AS INTEGER) - 1 + {self.months})"
        )
        first = f"printf('%%04d-%%02d-01', {month} / 12, {month} %% 12 + 1)"
        last_day = f"CAST(strftime('%%d', {first}, '+1 month', '-1 day') AS INTEGER)"
        return (
            f"printf('%%04d-%%02d-%%02d', {month} / 12, {month} %% 12 + 1, "
            f"min(CAST(substr({sql}, 9, 2) AS INTEGER), {last_day}))",
            [*params] * 7,
        )


def _reached(horizon: int, today: date) -> Q:
    """The business is `horizon` months old by `today`: the day `horizon` months after its
    start (MonthsLater, shift_months) is on or before it. As a bound on the start, so the
    database reads the index on it."""
    return Q(started_on__lte=last_start_reaching(today, horizon))


def operating_between_q(first, last, prefix: str = "") -> Q:
    """The programme's one rule of "operating": the business at `prefix` operated on at
    least one day from `first` to `last` (dates or expressions) — it began operating by
    `last` and was not closed by `first` (a business closed on a day is not operating that
    day). Survival asks it of one day; the employment outcomes of training of a quarter
    (reports.outcomes)."""
    return Q(
        **{f"{prefix}operating_since__isnull": False, f"{prefix}operating_since__lte": last}
    ) & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": first}))


def operating_between(operating_since, closed_on, first, last) -> bool:
    """`operating_between_q` for a business's dates already read (the outcomes read the
    businesses of many people in one query, then ask it of each quarter)."""
    return (
        operating_since is not None
        and operating_since <= last
        and (closed_on is None or closed_on > first)
    )


def _operating_at(horizon: int) -> Q:
    """Operating on the day `horizon` months after its start."""
    day = MonthsLater("started_on", horizon)
    return operating_between_q(day, day)


def with_survival(businesses, today: date | None = None):
    """Annotate `operating_6`, `operating_12`, `operating_24`: True, False, or None when that
    day has not come yet (or the business has not started)."""
    today = today or timezone.localdate()
    annotations = {
        f"operating_{horizon}": Case(
            When(started_on__isnull=True, then=Value(None)),
            When(~_reached(horizon, today), then=Value(None)),
            When(_operating_at(horizon), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(null=True),
        )
        for horizon in SURVIVAL_HORIZONS
    }
    return businesses.annotate(**annotations)


def survival_table(businesses, today: date | None = None) -> dict:
    """Per start year and in total: businesses started, and for 6, 12 and 24 months how many
    have reached that age and how many were operating then. Two queries."""
    today = today or timezone.localdate()
    aggregates = {"started": Count("id")}
    for horizon in SURVIVAL_HORIZONS:
        reached = _reached(horizon, today)
        aggregates[f"reached_{horizon}"] = Count("id", filter=reached)
        aggregates[f"operating_{horizon}"] = Count("id", filter=reached & _operating_at(horizon))
    base = businesses.filter(started_on__isnull=False)
    rows = list(
        base.annotate(year=ExtractYear("started_on"))
        .order_by()
        .values("year")
        .annotate(**aggregates)
        .order_by("year")
    )
    total = base.aggregate(**aggregates)
    for row in [*rows, total]:
        row["rates"] = [
            (
                horizon,
                row[f"reached_{horizon}"],
                row[f"operating_{horizon}"],
                whole_percent(row[f"operating_{horizon}"], row[f"reached_{horizon}"]),
            )
            for horizon in SURVIVAL_HORIZONS
        ]
    return {"rows": rows, "total": total, "horizons": SURVIVAL_HORIZONS}


def business_status_counts(businesses) -> dict:
    aggregates = {"total": Count("id")}
    for status in BusinessStatus.values:
        aggregates[status] = Count("id", filter=Q(status=status))
    return businesses.aggregate(**aggregates)


# What other apps see of us ------------------------------------------------------------------


def hire_candidates(position, q: str = ""):
    """Who an enterprise manager may hire into `position`: adults of open cases in the
    enterprise's branch whom their caseworker marked as looking for work, by name
    (`q`: part of the name)."""
    people = Person.objects.looking_for_work().filter(
        family__branch_id=position.enterprise.branch_id,
        family__status__in=[FamilyStatus.ACTIVE, FamilyStatus.REFERRED],
    )
    if q := q.strip():
        people = people.filter(full_name__icontains=q)
    return people.order_by("full_name", "pk")


def person_scope(user) -> Q | None:
    """Managers reach the names and contacts of the people their enterprises employ(ed)."""
    if not has_role(user, Role.ENTERPRISE_MANAGER):
        return None
    managed = managed_enterprise_ids(user)
    if not managed:
        return None
    return Q(
        pk__in=Employment.objects.filter(position__enterprise_id__in=managed).values("person_id")
    )


def sees_enterprise(user, enterprise) -> bool:
    return (
        sees_whole_programme(user)
        or enterprise.pk in managed_enterprise_ids(user)
        or enterprise.branch_id in caseworker_branch_ids(user)
    )


def family_timeline(family, user) -> list[TimelineEntry]:
    """Jobs and businesses of a family's members that the user may see: two queries."""
    entries = []
    employments = (
        Employment.objects.for_user(user)
        .filter(person__family=family)
        .select_related("person", "position__enterprise")
    )
    for employment in employments:
        position = employment.position
        url = position.get_absolute_url() if sees_enterprise(user, position.enterprise) else None
        entries.append(
            TimelineEntry(
                day=employment.start_date,
                kind=_("Job"),
                title=_("%(person)s hired as %(title)s at %(enterprise)s")
                % {
                    "person": employment.person,
                    "title": position.title,
                    "enterprise": position.enterprise,
                },
                url=url,
                detail=position.get_pay_basis_display(),
            )
        )
        if employment.end_date:
            entries.append(
                TimelineEntry(
                    day=employment.end_date,
                    kind=_("Job"),
                    title=_("%(person)s left %(enterprise)s")
                    % {"person": employment.person, "enterprise": position.enterprise},
                    url=url,
                    detail=employment.get_end_reason_display(),
                )
            )
    businesses = Business.objects.for_user(user).filter(family=family).select_related("owner")
    for business in businesses:
        url = business.get_absolute_url()
        steps = [
            (timezone.localdate(business.created_at), _("Business plan drafted: %(name)s")),
            (business.approved_on, _("Business plan approved: %(name)s")),
            (business.started_on, _("Business started: %(name)s")),
            (business.closed_on, _("Business closed: %(name)s")),
        ]
        for day, title in steps:
            if day:
                entries.append(
                    TimelineEntry(
                        day=day,
                        kind=_("Business"),
                        title=title % {"name": business.name},
                        url=url,
                        detail=str(business.owner),
                    )
                )
    return entries


STABLE_JOB_DAYS = 90


def families_with_stable_work(family_ids, today: date | None = None) -> set[int]:
    """Families with a job that has lasted three months (a contract at a social enterprise or
    a placement with another employer, still running) or an operating business.

    The well-being assessment's employment proposal reads it (two queries, whatever the
    number of families).
    """
    today = today or timezone.localdate()
    stable_since = today - timedelta(days=STABLE_JOB_DAYS)
    contracts = Employment.objects.filter(
        status=EmploymentStatus.ACTIVE, start_date__lte=stable_since
    ).values("person_id")
    placements = (
        JobPlacement.objects.placed()
        .filter(start_date__lte=stable_since)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("person_id")
    )
    employed = (
        Person.objects.filter(family_id__in=family_ids)
        .filter(Q(pk__in=contracts) | Q(pk__in=placements))
        .values_list("family_id", flat=True)
    )
    operating = Business.objects.filter(
        family_id__in=family_ids, status=BusinessStatus.OPERATING
    ).values_list("family_id", flat=True)
    return set(employed) | set(operating)


# Job placements outside the social enterprises -------------------------------------------


def due_retention_checks(user, today=None):
    """Retention checks in the user's scope whose day has come and that nobody answered yet,
    of placements still running on that day; the earliest first."""
    today = today or timezone.localdate()
    return (
        RetentionCheck.objects.for_user(user)
        .due(today)
        .select_related("placement__person__family")
        .order_by("due_on", "pk")
    )


RETENTION_PANEL_ROWS = 10


def retention_panel(user) -> dict | None:
    """The home page's list of retention checks due, for those who record them: one query
    for the first rows, a second for the count only when they fill the list."""
    if not user.has_perm("enterprises.change_retentioncheck"):
        return None
    due = due_retention_checks(user)
    checks = list(due[:RETENTION_PANEL_ROWS])
    count = len(checks) if len(checks) < RETENTION_PANEL_ROWS else due.count()
    return {
        "title": _("Retention checks due"),
        "template": "enterprises/panels/retention.html",
        "count": count,
        "checks": checks,
    }


def family_placements(family, user) -> dict | None:
    """The family page's panel of job searches, referrals and placements (one query), or
    None for a user who may not see them (they are sensitive like income)."""
    if not user.has_perm("enterprises.view_jobplacement") or not sees_sensitive(user, family):
        return None
    placements = list(
        JobPlacement.objects.for_user(user).filter(person__family=family).select_related("person")
    )
    return {
        "family": family,
        "placements": placements,
        "can_add": family.is_open and user.has_perm("enterprises.add_jobplacement"),
        "today": timezone.localdate(),
    }
