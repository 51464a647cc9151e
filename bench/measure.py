"""One database's figures, for bench/run.py (which sets DATABASE_URL and DEBUG=0).

Query counts and server times of the pages through Django's test client with the demo
users signed in (force_login), the score recompute against one raw SQL query, and a
signed-in session cookie for the throughput run. Writes JSON to --out.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from beneficiaries.choices import FamilyStatus  # noqa: E402
from beneficiaries.models import Family, IncomeRecord, Person  # noqa: E402
from common.months import add_months  # noqa: E402
from enterprises.models import Business, SocialEnterprise  # noqa: E402
from payroll.models import PayrollRun  # noqa: E402
from training.models import Cohort, Course  # noqa: E402
from wellbeing.models import Assessment, Domain, FamilyScore, Rating, WellbeingRule  # noqa: E402
from wellbeing.scores import family_scores_recompute  # noqa: E402
from wellbeing.selectors import PovertyLines, last_full_month  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def clients() -> dict[str, Client]:
    result = {}
    for username in ("director", "caseworker", "trainer", "manager", "auditor"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        result[username] = client
    return result


def pages() -> list[tuple[str, str, str]]:
    """(name, user, url) of every list, detail and dashboard page, on records that exist in
    every demo database (the first by id of each kind)."""
    caseworker = get_user_model().objects.get(username="caseworker")
    family = (
        Family.objects.filter(caseworker=caseworker, status=FamilyStatus.ACTIVE)
        .order_by("pk")
        .first()
    )
    f = family.pk
    cohort = Cohort.objects.order_by("pk").first()
    course = Course.objects.order_by("pk").first()
    enterprise = SocialEnterprise.objects.order_by("pk").first()
    business = Business.objects.order_by("pk").first()
    families = reverse("beneficiaries:family_list")
    # The middle page of the caseworker's list: page 9 of 1,000 families, page 900 or so
    # of 100,000 (the query count must not change; the time shows what OFFSET costs).
    visible = Family.objects.for_user(caseworker).count()
    deep = max(1, (visible + 24) // 25 // 2)
    rows = [
        ("family list, first page", "caseworker", families),
        ("family list, deep page", "caseworker", f"{families}?page={deep}"),
        (
            "family list, by head, deep page",
            "caseworker",
            f"{families}?sort=head_name&page={deep}",
        ),
        ("family list, filtered (active)", "caseworker", f"{families}?status=active"),
        # A common name (the demo draws from a few dozen): hundreds of matches at 100,000.
        ("family list, search", "caseworker", f"{families}?q=Karimova+Dilnoza"),
        ("family list, search (case number)", "caseworker", f"{families}?q={family.case_number}"),
        ("family list, my caseload", "caseworker", f"{families}?mine=on"),
        ("family list, director", "director", families),
        ("family detail", "caseworker", reverse("beneficiaries:family_detail", args=[f])),
        ("income list", "caseworker", reverse("wellbeing:income_list", args=[f])),
        ("assessments", "caseworker", reverse("wellbeing:assessment_list", args=[f])),
        ("progress", "caseworker", reverse("wellbeing:progress", args=[f])),
        ("cohort list", "trainer", reverse("training:cohort_list")),
        ("course list", "trainer", reverse("training:course_list")),
        ("enrolment list", "trainer", reverse("training:enrolment_list")),
        ("enterprise list", "manager", reverse("enterprises:enterprise_list")),
        ("jobs list", "manager", reverse("enterprises:employment_list")),
        ("business list", "director", reverse("enterprises:business_list")),
        ("home, director", "director", reverse("reports:home")),
        ("home, caseworker", "caseworker", reverse("reports:home")),
        ("home, trainer", "trainer", reverse("reports:home")),
        ("home, manager", "manager", reverse("reports:home")),
        ("home, auditor", "auditor", reverse("reports:home")),
        (
            "programme dashboard",
            "director",
            f"{reverse('reports:programme')}?start=2007-01-01&end=2016-12-31",
        ),
        (
            "programme figure: families served",
            "director",
            f"{reverse('reports:figure', args=['families-served'])}"
            "?start=2007-01-01&end=2016-12-31",
        ),
        ("business survival", "director", reverse("enterprises:survival")),
        ("payroll runs", "manager", reverse("payroll:run_list")),
    ]
    if cohort:
        rows.append(
            ("cohort detail", "director", reverse("training:cohort_detail", args=[cohort.pk]))
        )
    if course:
        rows.append(
            ("course detail", "director", reverse("training:course_detail", args=[course.pk]))
        )
    if enterprise:
        rows.append(
            (
                "enterprise detail",
                "director",
                reverse("enterprises:enterprise_detail", args=[enterprise.pk]),
            )
        )
    run = PayrollRun.objects.filter(enterprise__managers__username="manager").order_by("pk").first()
    if run:
        rows.append(("payroll run", "manager", reverse("payroll:run_detail", args=[run.pk])))
        payslip = run.payslips.order_by("pk").first()
        if payslip:
            rows.append(
                ("payslip", "manager", reverse("payroll:payslip_detail", args=[payslip.pk]))
            )
    if business:
        rows.append(
            (
                "business detail",
                "director",
                reverse("enterprises:business_detail", args=[business.pk]),
            )
        )
    return rows


TIMED = [
    "family list, first page",
    "family list, deep page",
    "family list, by head, deep page",
    "family list, filtered (active)",
    "family list, search",
    "family list, search (case number)",
    "family list, my caseload",
    "family detail",
    "home, caseworker",
    "programme dashboard",
]


def query_counts(signed_in, rows) -> dict:
    result = {}
    for name, user, url in rows:
        signed_in[user].get(url)  # warm caches (templates, permissions)
        with CaptureQueriesContext(connection) as captured:
            response = signed_in[user].get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name} {url} as {user}: HTTP {response.status_code}")
        result[name] = {"user": user, "url": url, "queries": len(captured.captured_queries)}
    return result


def timings(signed_in, rows, repeats: int) -> dict:
    by_name = {name: (user, url) for name, user, url in rows}
    samples = {name: [] for name in TIMED}
    cpu = {name: [] for name in TIMED}
    for name in TIMED:
        user, url = by_name[name]
        for _warm in range(2):
            signed_in[user].get(url)
    for _repeat in range(repeats):  # interleaved, so a burst of load hits every page alike
        for name in TIMED:
            user, url = by_name[name]
            started, started_cpu = time.perf_counter(), time.process_time()
            signed_in[user].get(url)
            samples[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
    return {
        name: {
            "user": by_name[name][0],
            "url": by_name[name][1],
            "p50": statistics.median(values),
            "p95": percentile(values, 0.95),
            "cpu_p50": statistics.median(cpu[name]),
        }
        for name, values in samples.items()
    }


def raw_sql_scores() -> int:
    """The score of every family as one hand-written SQL query, read only: the same aggregate
    `family_scores_recompute` computes. Per family: the latest, previous and latest exit
    assessment's weighted points, weight sum and lowest level, the score rounded half up, the
    light and trend, children out of school at the latest, follow-ups done after the exit,
    and over the rule's window of full months (a month without records counting as no
    income) the per-capita income rounded half up to whole soum, the months at or above that
    month's poverty line counted back from the last one, the last month's per-capita amount,
    and the exit conditions. (The due date is left as its inputs: calendar arithmetic.)"""
    today = timezone.localdate()
    rule = WellbeingRule.current()
    last = last_full_month(today)
    months = [
        add_months(last, index - rule.income_months + 1) for index in range(rule.income_months)
    ]
    lines = PovertyLines()
    line_rows = ", ".join(
        f"({index}, {'NULL' if lines.for_month(month) is None else math.ceil(lines.for_month(month) * 100)})"
        for index, month in enumerate(months)
    )
    month_index = " ".join(
        f"WHEN '{month.isoformat()}' THEN {index}" for index, month in enumerate(months)
    )
    table = {
        model: model._meta.db_table
        for model in (Assessment, Rating, Domain, Person, IncomeRecord, Family)
    }
    through = Assessment.children_out_of_school.through._meta.db_table
    score = "CASE WHEN {w} > 0 THEN (200 * {p} + 4 * {w}) / (8 * {w}) END"
    sql = f"""
    WITH ranked AS (
        SELECT a.id, a.family_id, a.date, a.kind, f.exit_date,
               ROW_NUMBER() OVER (
                   PARTITION BY a.family_id ORDER BY a.date DESC, a.id DESC
               ) AS n,
               ROW_NUMBER() OVER (
                   PARTITION BY a.family_id, a.kind ORDER BY a.date DESC, a.id DESC
               ) AS kn
        FROM {table[Assessment]} a
        JOIN {table[Family]} f ON f.id = a.family_id
        WHERE EXISTS (SELECT 1 FROM {table[Rating]} x WHERE x.assessment_id = a.id)
    ),
    rated AS (
        SELECT ranked.id, ranked.family_id, ranked.date, ranked.kind, ranked.exit_date,
               ranked.n, ranked.kn,
               SUM((r.level - 1) * d.weight) AS points, SUM(d.weight) AS weights,
               MIN(r.level) AS lowest
        FROM ranked
        LEFT JOIN {table[Rating]} r
          ON r.assessment_id = ranked.id
         AND (ranked.n <= 2 OR (ranked.kind = 'exit' AND ranked.kn = 1))
        LEFT JOIN {table[Domain]} d ON d.id = +r.domain_id
        GROUP BY ranked.id, ranked.family_id, ranked.date, ranked.kind, ranked.exit_date,
                 ranked.n, ranked.kn
    ),
    assessed AS (
        SELECT family_id,
               MAX(CASE WHEN n = 1 THEN id END) AS latest_id,
               MAX(CASE WHEN n = 1 THEN date END) AS latest_date,
               MAX(CASE WHEN n = 1 THEN kind END) AS latest_kind,
               MAX(CASE WHEN n = 1 THEN points END) AS points,
               MAX(CASE WHEN n = 1 THEN weights END) AS weights,
               MAX(CASE WHEN n = 1 THEN lowest END) AS lowest,
               MAX(CASE WHEN n = 2 THEN points END) AS previous_points,
               MAX(CASE WHEN n = 2 THEN weights END) AS previous_weights,
               MAX(CASE WHEN kind = 'exit' AND kn = 1 THEN points END) AS exit_points,
               MAX(CASE WHEN kind = 'exit' AND kn = 1 THEN weights END) AS exit_weights,
               SUM(CASE WHEN kind = 'follow_up' AND date > exit_date THEN 1 ELSE 0 END)
                   AS follow_ups
        FROM rated
        GROUP BY family_id
    ),
    scored AS (
        SELECT assessed.*,
               {score.format(p="points", w="weights")} AS score,
               {score.format(p="previous_points", w="previous_weights")} AS previous_score,
               {score.format(p="exit_points", w="exit_weights")} AS exit_score
        FROM assessed
    ),
    out_of_school AS (
        SELECT assessment_id, COUNT(*) AS children FROM {through} GROUP BY assessment_id
    ),
    sizes AS (SELECT family_id, COUNT(*) AS members FROM {table[Person]} GROUP BY family_id),
    months (idx, line) AS (VALUES {line_rows}),
    totals AS (
        SELECT i.family_id, CASE i.month {month_index} END AS idx,
               CAST(ROUND(SUM(i.amount) * 100) AS BIGINT) AS cents
        FROM {table[IncomeRecord]} i
        WHERE i.month >= %s AND i.month <= %s
        GROUP BY i.family_id, i.month
    ),
    per_capita AS (
        SELECT f.id AS family_id, months.idx, months.line,
               CASE WHEN COALESCE(sizes.members, 0) = 0 THEN 0
                    WHEN COALESCE(totals.cents, 0) >= 0
                        THEN (COALESCE(totals.cents, 0) + 50 * sizes.members)
                             / (100 * sizes.members)
                    ELSE -((50 * sizes.members - totals.cents) / (100 * sizes.members))
               END AS amount
        FROM {table[Family]} f CROSS JOIN months
        LEFT JOIN totals ON totals.family_id = f.id AND totals.idx = months.idx
        LEFT JOIN sizes ON sizes.family_id = f.id
    ),
    income AS (
        SELECT family_id,
               {len(months) - 1} - COALESCE(
                   MAX(CASE WHEN line IS NULL OR amount * 100 < line THEN idx END), -1
               ) AS months_ok,
               MAX(CASE WHEN idx = {len(months) - 1} THEN amount END) AS last_per_capita
        FROM per_capita GROUP BY family_id
    )
    SELECT f.id, f.status, f.intake_date, f.exit_date, f.exit_reason,
           s.latest_id, s.latest_date, s.score, s.previous_score,
           CASE WHEN s.score >= {rule.green_from} THEN 'green'
                WHEN s.score >= {rule.amber_from} THEN 'amber'
                WHEN s.score IS NOT NULL THEN 'red' ELSE '' END AS light,
           CASE WHEN s.previous_score IS NULL THEN ''
                WHEN s.score > s.previous_score THEN 'up'
                WHEN s.score < s.previous_score THEN 'down' ELSE 'flat' END AS trend,
           s.lowest, COALESCE(o.children, 0) AS children,
           income.months_ok, income.months_ok >= {rule.income_months} AS income_ok,
           income.last_per_capita,
           COALESCE(s.lowest >= {rule.min_domain_level}, FALSE) AS domains_ok,
           s.latest_id IS NOT NULL AND COALESCE(o.children, 0) = 0 AS school_ok,
           f.status IN ('active', 'referred') AND income.months_ok >= {rule.income_months}
               AND COALESCE(s.lowest >= {rule.min_domain_level}, FALSE)
               AND (s.latest_id IS NOT NULL AND COALESCE(o.children, 0) = 0
                    OR {"FALSE" if rule.require_school else "TRUE"}) AS exit_ready,
           CASE WHEN f.status = 'exited' THEN s.exit_score END AS exit_score,
           f.status = 'exited' AND s.exit_weights IS NOT NULL AND s.latest_kind = 'follow_up'
               AND (s.score <= s.exit_score - {rule.fall_back_points}
                    OR s.lowest < {rule.min_domain_level}) AS falling_back,
           s.follow_ups
    FROM {table[Family]} f
    LEFT JOIN scored s ON s.family_id = f.id
    LEFT JOIN out_of_school o ON o.assessment_id = s.latest_id
    LEFT JOIN income ON income.family_id = f.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [months[0], months[-1]])
        return len(cursor.fetchall())


def recompute(runs: int = 2) -> dict:
    """The service against the same aggregate as one raw SQL query, wall and CPU seconds
    (CPU: this process, which on SQLite includes the database engine's work) and the 1-minute
    load average before each run."""
    timings: dict[str, list] = {"service": [], "raw_sql": []}
    cpu: dict[str, list] = {"service": [], "raw_sql": []}
    load = []
    for _run in range(runs):
        for name, function in (("service", family_scores_recompute), ("raw_sql", raw_sql_scores)):
            load.append(os.getloadavg()[0])
            started, started_cpu = time.perf_counter(), time.process_time()
            function()
            timings[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    result = {
        "service": timings["service"],
        "raw_sql": timings["raw_sql"],
        "service_cpu": cpu["service"],
        "raw_sql_cpu": cpu["raw_sql"],
        "service_median": statistics.median(timings["service"]),
        "raw_sql_median": statistics.median(timings["raw_sql"]),
        "load_average": load,
    }
    result["ratio"] = result["service_median"] / result["raw_sql_median"]
    result["ratio_cpu"] = statistics.median(cpu["service"]) / statistics.median(cpu["raw_sql"])
    # Worst case: no score stored yet, every row written.
    FamilyScore.objects.all().delete()
    result["load_average_cold"] = os.getloadavg()[0]
    started, started_cpu = time.perf_counter(), time.process_time()
    family_scores_recompute()
    result["service_cold"] = time.perf_counter() - started
    result["service_cold_cpu"] = time.process_time() - started_cpu
    return result


def step(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--out", required=True)
    parser.add_argument("--no-recompute", action="store_true")
    args = parser.parse_args()
    assert not settings.DEBUG, "measure with DEBUG off"
    step("query counts and timings")
    signed_in = clients()
    rows = pages()
    result = {
        "vendor": connection.vendor,
        "counts": {
            "families": Family.objects.count(),
            "people": Person.objects.count(),
            "income_records": IncomeRecord.objects.count(),
            "assessments": Assessment.objects.count(),
        },
        "queries": query_counts(signed_in, rows),
        "timings": timings(signed_in, rows, args.repeats),
        "cookie": f"{settings.SESSION_COOKIE_NAME}="
        + signed_in["caseworker"].cookies[settings.SESSION_COOKIE_NAME].value,
    }
    if not args.no_recompute:
        step("score recompute against raw SQL")
        result["recompute"] = recompute()
    Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
