"""The derived family score, light, trend and exit readiness.

`family_scores_recompute` is the one place FamilyScore rows are written. It works on
chunks of families with one SQL query per chunk for every input of the score, and writes
only the rows that changed (docs/wellbeing.md, "Recomputing").
"""

import math
import threading
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from beneficiaries.choices import ExitReason, FamilyStatus
from beneficiaries.models import Family, IncomeRecord, Person
from common.months import add_months, months_between, shift_months
from wellbeing.choices import AssessmentKind, Trend
from wellbeing.models import Assessment, Domain, FamilyScore, Rating, WellbeingRule
from wellbeing.selectors import (
    PovertyLines,
    last_full_month,
    light_for,
    score_from,
)

CHUNK = 2000
# A list of ids appears four times in the chunk's query; SQLite takes 32,766 parameters.
IN_LIST_MAX = 5000
UPSERT_ROWS = 500  # 20 columns a row: 10,000 parameters a statement
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
# The compared fields' columns, in the order `_score_values` returns them.
STORED_COLUMNS = ["assessment_id" if name == "assessment" else name for name in COMPARED_FIELDS]
DATES = {"assessed_on", "last_month", "next_due"}


# --- Scores -----------------------------------------------------------------------------------


def family_scores_recompute(
    *, family_ids: Iterable[int] | None = None, today: date | None = None, chunk: int = CHUNK
) -> int:
    """Recompute the score rows of the given families (all families when None). Returns the
    number of families computed.

    Per chunk of families one SQL query computes every input of the score (latest, previous
    and exit assessments, children out of school, follow-ups done, the income window with
    its per-capita rounding, and the stored row), the few derived fields are read off those
    in Python, and only the rows that changed are upserted."""
    today = today or timezone.localdate()
    rule = WellbeingRule.current()
    window = _IncomeWindow(today, rule, PovertyLines())
    now = timezone.now()
    written = 0
    if family_ids is None:
        ids = list(Family.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            # The chunk is every family between its first and last id: a range scan.
            written += _recompute_chunk(
                ("BETWEEN %s AND %s", [part[0], part[-1]]), rule=rule, window=window, now=now
            )
    else:
        ids = sorted(set(family_ids))
        step = min(chunk, IN_LIST_MAX)
        for start in range(0, len(ids), step):
            part = ids[start : start + step]
            marks = ", ".join(["%s"] * len(part))
            written += _recompute_chunk((f"IN ({marks})", part), rule=rule, window=window, now=now)
    return written


class _IncomeWindow:
    """The rule's months of income ending with the last full month, with each month's poverty
    line as a whole number of tiyin (hundredths; lines are stored with two decimals, so
    this is exact, and rounding up keeps a finer one from being undercut): a household's
    total of c tiyin with m members is at or above the line (`at_or_above_line`: total >=
    line x members, unrounded) exactly when c >= that number x m."""

    def __init__(self, today: date, rule, lines: PovertyLines):
        self.last = last_full_month(today)
        self.size = rule.income_months
        first = add_months(self.last, -(self.size - 1))
        self.months = months_between(first, self.last)
        self.line_cents = []
        for month in self.months:
            line = lines.for_month(month)
            self.line_cents.append(None if line is None else math.ceil(line * 100))


def _score_sql(filter_sql: str, filter_params: list, window: _IncomeWindow) -> tuple[str, list]:
    """One row per family of the chunk, in id order: the family, its score's inputs, and the
    stored score row (NULLs when there is none). The same on SQLite and PostgreSQL."""
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (Assessment, Rating, Domain, Person, IncomeRecord, Family, FamilyScore)
    }
    through = connection.ops.quote_name(Assessment.children_out_of_school.through._meta.db_table)
    params: list = []

    # Every table joined is given the chunk's range, not only the first: PostgreSQL otherwise
    # read all 100,000 families (a hash join) and the stored scores from the first id up to
    # the chunk (a merge join), for each of the 50 chunks. Placeholders are filled in the
    # order the text is built.
    def where(column: str) -> str:
        params.extend(filter_params)
        return f"{column} {filter_sql}"

    fam = f"""fam AS (
        SELECT f.id, f.status, f.intake_date, f.exit_date, f.exit_reason
        FROM {table[Family]} f WHERE {where("f.id")}
    )"""
    # Only assessments with ratings count. They are ranked first; the ratings are read for
    # the three that the score uses (latest, previous, latest exit assessment).
    ranked = f"""ranked AS (
        SELECT a.id, a.family_id, a.date, a.kind, f.exit_date,
               ROW_NUMBER() OVER (
                   PARTITION BY a.family_id ORDER BY a.date DESC, a.id DESC
               ) AS n,
               ROW_NUMBER() OVER (
                   PARTITION BY a.family_id, a.kind ORDER BY a.date DESC, a.id DESC
               ) AS kn
        FROM {table[Assessment]} a
        JOIN {table[Family]} f ON f.id = a.family_id AND {where("f.id")}
        WHERE {where("a.family_id")}
          AND EXISTS (SELECT 1 FROM {table[Rating]} x WHERE x.assessment_id = a.id)
    )"""
    params.append(AssessmentKind.EXIT)
    # Every ranked assessment with its score's parts, read only for the three the score
    # uses. Written as LEFT JOINs from the ranked rows, which SQLite keeps as the outer loop:
    # with planner statistics (ANALYZE) it had turned an inner join around and read every
    # rating (millions), and joined a second CTE back by scanning it for each row.
    # "+r.domain_id" keeps the domain index out of the join.
    rated = f"""rated AS (
        SELECT ranked.id, ranked.family_id, ranked.date, ranked.kind, ranked.exit_date,
               ranked.n, ranked.kn,
               SUM((r.level - 1) * d.weight) AS points, SUM(d.weight) AS weights,
               MIN(r.level) AS lowest
        FROM ranked
        LEFT JOIN {table[Rating]} r
          ON r.assessment_id = ranked.id
         AND (ranked.n <= 2 OR (ranked.kind = %s AND ranked.kn = 1))
        LEFT JOIN {table[Domain]} d ON d.id = +r.domain_id
        GROUP BY ranked.id, ranked.family_id, ranked.date, ranked.kind, ranked.exit_date,
                 ranked.n, ranked.kn
    )"""
    params.extend([AssessmentKind.EXIT, AssessmentKind.EXIT, AssessmentKind.FOLLOW_UP])
    assessed = """assessed AS (
        SELECT family_id,
               MAX(CASE WHEN n = 1 THEN id END) AS latest_id,
               MAX(CASE WHEN n = 1 THEN date END) AS latest_date,
               MAX(CASE WHEN n = 1 THEN kind END) AS latest_kind,
               MAX(CASE WHEN n = 1 THEN points END) AS latest_points,
               MAX(CASE WHEN n = 1 THEN weights END) AS latest_weights,
               MAX(CASE WHEN n = 1 THEN lowest END) AS latest_lowest,
               MAX(CASE WHEN n = 2 THEN points END) AS previous_points,
               MAX(CASE WHEN n = 2 THEN weights END) AS previous_weights,
               MAX(CASE WHEN kind = %s AND kn = 1 THEN points END) AS exit_points,
               MAX(CASE WHEN kind = %s AND kn = 1 THEN weights END) AS exit_weights,
               SUM(CASE WHEN kind = %s AND date > exit_date THEN 1 ELSE 0 END) AS follow_ups
        FROM rated
        GROUP BY family_id
    )"""
    school = f"""school AS (
        SELECT c.assessment_id, COUNT(*) AS children FROM {through} c
        WHERE c.assessment_id IN (SELECT latest_id FROM assessed)
        GROUP BY c.assessment_id
    )"""
    sizes = f"""sizes AS (
        SELECT p.family_id, COUNT(*) AS members FROM {table[Person]} p
        WHERE {where("p.family_id")} GROUP BY p.family_id
    )"""
    if window.months:
        rows = ", ".join(["(%s, CAST(%s AS BIGINT))"] * len(window.months))
        months = f"months (idx, line) AS (VALUES {rows})"
        for index, cents in enumerate(window.line_cents):
            params.extend([index, cents])
        whens = " ".join(["WHEN %s THEN %s"] * len(window.months))
        for index, month in enumerate(window.months):
            params.extend([month, index])
        totals = f"""totals AS (
            SELECT i.family_id, CASE i.month {whens} END AS idx,
                   CAST(ROUND(SUM(i.amount) * 100) AS BIGINT) AS cents
            FROM {table[IncomeRecord]} i
            WHERE {where("i.family_id")} AND i.month >= %s AND i.month <= %s
            GROUP BY i.family_id, i.month
        )"""
        params.extend([window.months[0], window.months[-1]])
    else:  # pragma: no cover - the rule's window is at least one month
        months = "months (idx, line) AS (SELECT 0, CAST(NULL AS BIGINT) WHERE 1 = 0)"
        totals = "totals AS (SELECT 0 AS family_id, 0 AS idx, 0 AS cents WHERE 1 = 0)"
    # Whether a month is at or above the line is decided on the unrounded totals (`last_short`
    # below: cents < line x members). The stored last per-capita income is the figure shown:
    # rounded half up to whole soum (`round_soum` of total / members), in
    # integer arithmetic on tiyin: for c tiyin and m members, c >= 0 gives
    # floor((c + 50m) / 100m) = floor(c / 100m + 1/2), and a negative total the same away
    # from zero. The total's tiyin are exact on PostgreSQL (numeric) and, on SQLite, the
    # rounded float sum, as the ORM's Decimal of it is (amounts have two decimals).
    percap = """percap AS (
        SELECT fam.id AS family_id, months.idx, months.line,
               COALESCE(totals.cents, 0) AS cents, COALESCE(sizes.members, 0) AS members,
               CASE WHEN COALESCE(sizes.members, 0) = 0 THEN 0
                    WHEN COALESCE(totals.cents, 0) >= 0
                        THEN (COALESCE(totals.cents, 0) + 50 * sizes.members)
                             / (100 * sizes.members)
                    ELSE -((50 * sizes.members - totals.cents) / (100 * sizes.members))
               END AS pc
        FROM fam CROSS JOIN months
        LEFT JOIN totals ON totals.family_id = fam.id AND totals.idx = months.idx
        LEFT JOIN sizes ON sizes.family_id = fam.id
    )"""
    params.append(len(window.months) - 1)
    income = """income AS (
        SELECT family_id,
               MAX(CASE WHEN line IS NULL OR members = 0 OR cents < line * members
                        THEN idx END) AS last_short,
               MAX(CASE WHEN idx = %s THEN pc END) AS last_pc
        FROM percap GROUP BY family_id
    )"""
    stored = ", ".join(f"s.{connection.ops.quote_name(name)}" for name in STORED_COLUMNS)
    sql = f"""
    WITH {fam}, {ranked}, {rated}, {assessed}, {school}, {sizes}, {months}, {totals},
    {percap}, {income}
    SELECT fam.id, fam.status, fam.intake_date, fam.exit_date, fam.exit_reason,
           assessed.latest_id, assessed.latest_date, assessed.latest_kind,
           assessed.latest_points, assessed.latest_weights, assessed.latest_lowest,
           assessed.previous_points, assessed.previous_weights,
           assessed.exit_points, assessed.exit_weights, assessed.follow_ups,
           school.children, income.last_short, income.last_pc,
           s.family_id, {stored}
    FROM fam
    LEFT JOIN assessed ON assessed.family_id = fam.id
    LEFT JOIN school ON school.assessment_id = assessed.latest_id
    LEFT JOIN income ON income.family_id = fam.id
    LEFT JOIN {table[FamilyScore]} s ON s.family_id = fam.id AND {where("s.family_id")}
    ORDER BY fam.id
    """
    return sql, params


def _as_date(value) -> date | None:
    """SQLite hands dates back as text when they pass through expressions."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _recompute_chunk(family_filter: tuple[str, list], *, rule, window, now) -> int:
    """One query for the chunk's inputs and stored rows, and an upsert of the rows that
    changed (none most nights)."""
    sql, params = _score_sql(*family_filter, window)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    changed = []
    scores = _Scores()
    for row in rows:
        values = _score_values(row, rule, window, scores)
        # Stored dates come back as dates (they are plain columns), money as a number equal
        # to the Decimal, booleans as 0/1 or bool: equal tuples mean an unchanged row. A type
        # that did not match would only rewrite the row.
        if row[19] is None or values != row[20:]:
            changed.append((row[0], *values))
    _write_scores(changed, now)
    return len(rows)


class _Scores(dict):
    """`score_from` of (points, weights), each pair computed once: many families share them."""

    def __missing__(self, key):
        value = self[key] = score_from(*key)
        return value


def _score_values(row: tuple, rule, window: _IncomeWindow, scores: _Scores) -> tuple:
    """The stored fields (STORED_COLUMNS order) from one row of `_score_sql`."""
    (
        _family_id,
        status,
        intake_date,
        exit_date,
        exit_reason,
        latest_id,
        latest_date,
        latest_kind,
        latest_points,
        latest_weights,
        lowest,
        previous_points,
        previous_weights,
        exit_points,
        exit_weights,
        follow_ups,
        children,
        last_short,
        last_pc,
    ) = row[:19]
    in_service = status in IN_SERVICE
    months_at = window.size - 1 - (-1 if last_short is None else last_short)
    income_ok = months_at >= rule.income_months
    last_per_capita = None if last_pc is None else Decimal(int(last_pc))
    score = previous_score = exit_score = None
    light = trend = ""
    lowest_level = None
    out_of_school = 0
    domains_ok = school_ok = falling_back = False
    if latest_id is not None:
        latest_date = _as_date(latest_date)
        score = scores[latest_points, latest_weights]
        lowest_level = lowest
        out_of_school = children or 0
        light = light_for(score, rule)
        domains_ok = lowest_level >= rule.min_domain_level
        school_ok = out_of_school == 0
        if previous_weights is not None:
            previous_score = scores[previous_points, previous_weights]
            trend = _trend(score, previous_score)
        if status == FamilyStatus.EXITED and exit_weights is not None:
            # The score at exit, and whether the latest follow-up fell back from it.
            exit_score = scores[exit_points, exit_weights]
            if latest_kind == AssessmentKind.FOLLOW_UP:
                dropped = score is not None and score <= exit_score - rule.fall_back_points
                falling_back = dropped or lowest < rule.min_domain_level
    exit_ready = in_service and income_ok and domains_ok and (school_ok or not rule.require_school)
    next_due = _next_due(
        status,
        _as_date(intake_date),
        _as_date(exit_date),
        exit_reason,
        latest_date if latest_id is not None else None,
        follow_ups or 0,
        rule,
    )
    return (
        latest_id,
        latest_date if latest_id is not None else None,
        score,
        previous_score,
        light,
        trend,
        lowest_level,
        out_of_school,
        months_at,
        window.last,
        last_per_capita,
        income_ok,
        domains_ok,
        school_ok,
        exit_ready,
        exit_score,
        falling_back,
        next_due,
    )


def _write_scores(changed: list[tuple], now) -> None:
    """Upsert the rows that changed, and only those: a nightly recompute changes few
    families, and rewriting 100,000 unchanged rows (even only their time) was most of its
    time on PostgreSQL, where an UPDATE writes a new version of every row. `computed_at` is
    therefore the time a row's values last changed."""
    if not changed:
        return
    ops = connection.ops
    quote = ops.quote_name
    table = quote(FamilyScore._meta.db_table)
    stamp = ops.adapt_datetimefield_value(now)
    columns = ["family_id", *STORED_COLUMNS, "computed_at"]
    names = ", ".join(quote(name) for name in columns)
    marks = ", ".join(["%s"] * len(columns))
    updates = ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in columns[1:])
    dates = [index + 1 for index, name in enumerate(STORED_COLUMNS) if name in DATES]
    money = STORED_COLUMNS.index("last_per_capita") + 1
    rows = []
    for values in changed:
        values = list(values)
        for index in dates:
            values[index] = ops.adapt_datefield_value(values[index])
        values[money] = ops.adapt_decimalfield_value(values[money], 14, 2)
        values.append(stamp)
        rows.append(values)
    # Multi-row VALUES: one statement per UPSERT_ROWS rows (executemany is one round trip
    # per row on PostgreSQL).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_ROWS):
            batch = rows[start : start + UPSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES "
                + ", ".join([f"({marks})"] * len(batch))
                + f" ON CONFLICT ({quote('family_id')}) DO UPDATE SET {updates}",
                [value for row in batch for value in row],
            )


def _trend(score: int, previous: int) -> str:
    if score > previous:
        return Trend.UP
    if score < previous:
        return Trend.DOWN
    return Trend.FLAT


def _next_due(
    status, intake_date, exit_date, exit_reason, latest_date, follow_ups: int, rule
) -> date | None:
    """In service: six months after the last assessment (the intake one at once).
    After an exit with well-being restored: the follow-ups not yet done."""
    if status in IN_SERVICE:
        if latest_date is None:
            return intake_date
        return shift_months(latest_date, rule.assessment_interval_months)
    if status != FamilyStatus.EXITED or exit_reason != ExitReason.WELL_BEING_RESTORED:
        return None
    plan = rule.follow_up_list
    if follow_ups >= len(plan):
        return None
    return shift_months(exit_date, plan[follow_ups])


_pending = threading.local()


def schedule_score_recompute(*family_ids: int) -> None:
    """Recompute the families' scores once the current transaction commits. Many calls in one
    transaction (a payroll run's income records) give one recompute of all their families:
    the first callback to run takes every pending id, the others find none. (Each call
    registers its own callback, so one that a rolled-back savepoint discards leaves the
    others; ids left behind by a rolled-back transaction are recomputed with the next one.)"""
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    pending.update(family_ids)
    transaction.on_commit(_run_pending)


def _run_pending() -> None:
    ids = getattr(_pending, "ids", None) or set()
    _pending.ids = set()
    if ids:
        family_scores_recompute(family_ids=ids)
