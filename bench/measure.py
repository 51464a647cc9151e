"""One database's figures, for bench/run.py (which sets DATABASE_URL and DEBUG=0).

Query counts and server times of the pages through Django's test client with the demo
users signed in (force_login), the score recompute against one raw SQL query, and a
signed-in session cookie for the throughput run. Writes JSON to --out.
"""

import argparse
import json
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
from beneficiaries.models import (  # noqa: E402
    Assessment,
    Domain,
    Family,
    FamilyScore,
    IncomeRecord,
    Person,
    Rating,
)
from beneficiaries.months import add_months  # noqa: E402
from beneficiaries.selectors_wellbeing import PovertyLines, last_full_month  # noqa: E402
from beneficiaries.services_wellbeing import family_scores_recompute  # noqa: E402
from enterprises.models import Business, SocialEnterprise  # noqa: E402
from payroll.models import PayrollRun  # noqa: E402
from training.models import Cohort, Course  # noqa: E402


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
        ("family list, filtered (active)", "caseworker", f"{families}?status=active"),
        # A common name (the demo draws from a few dozen): hundreds of matches at 100,000.
        ("family list, search", "caseworker", f"{families}?q=Karimova+Dilnoza"),
        ("family list, search (case number)", "caseworker", f"{families}?q={family.case_number}"),
        ("family list, my caseload", "caseworker", f"{families}?mine=on"),
        ("family list, director", "director", families),
        ("family detail", "caseworker", reverse("beneficiaries:family_detail", args=[f])),
        ("income list", "caseworker", reverse("beneficiaries:income_list", args=[f])),
        ("assessments", "caseworker", reverse("beneficiaries:assessment_list", args=[f])),
        ("progress", "caseworker", reverse("beneficiaries:progress", args=[f])),
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
    """The per-family inputs of the score in one query: latest and previous assessment's
    weighted points, weight sum and lowest level, children out of school at the latest,
    household size, and the months of the rule's window with per-capita income at or above
    that month's poverty line. Read only."""
    today = timezone.localdate()
    last = last_full_month(today)
    first = add_months(last, -5)
    lines = PovertyLines()
    months = [add_months(first, index) for index in range(6)]
    line_case = " ".join(
        f"WHEN i.month = '{month.isoformat()}' THEN {lines.for_month(month) or 0}"
        for month in months
    )
    table = {
        model: model._meta.db_table
        for model in (Assessment, Rating, Domain, Person, IncomeRecord, Family)
    }
    through = Assessment.children_out_of_school.through._meta.db_table
    sql = f"""
    WITH per_assessment AS (
        SELECT a.id, a.family_id, a.date, a.kind,
               SUM((r.level - 1) * d.weight) AS points, SUM(d.weight) AS weights,
               MIN(r.level) AS lowest,
               ROW_NUMBER() OVER (PARTITION BY a.family_id ORDER BY a.date DESC, a.id DESC)
                   AS n
        FROM {table[Assessment]} a
        JOIN {table[Rating]} r ON r.assessment_id = a.id
        JOIN {table[Domain]} d ON d.id = r.domain_id
        GROUP BY a.id, a.family_id, a.date, a.kind
    ),
    sizes AS (SELECT family_id, COUNT(*) AS members FROM {table[Person]} GROUP BY family_id),
    income AS (
        SELECT i.family_id, i.month, SUM(i.amount) AS total,
               MAX(CASE {line_case} ELSE 0 END) AS line
        FROM {table[IncomeRecord]} i
        WHERE i.month >= %s AND i.month <= %s
        GROUP BY i.family_id, i.month
    ),
    months_ok AS (
        SELECT income.family_id, COUNT(*) AS months
        FROM income JOIN sizes ON sizes.family_id = income.family_id
        WHERE income.total / sizes.members >= income.line
        GROUP BY income.family_id
    ),
    out_of_school AS (
        SELECT assessment_id, COUNT(*) AS children FROM {through} GROUP BY assessment_id
    )
    SELECT f.id, f.status, latest.points, latest.weights, latest.lowest, latest.date,
           previous.points, previous.weights, sizes.members, months_ok.months,
           out_of_school.children
    FROM {table[Family]} f
    LEFT JOIN per_assessment latest ON latest.family_id = f.id AND latest.n = 1
    LEFT JOIN per_assessment previous ON previous.family_id = f.id AND previous.n = 2
    LEFT JOIN sizes ON sizes.family_id = f.id
    LEFT JOIN months_ok ON months_ok.family_id = f.id
    LEFT JOIN out_of_school ON out_of_school.assessment_id = latest.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, last])
        return len(cursor.fetchall())


def recompute(runs: int = 2) -> dict:
    service, raw = [], []
    for _run in range(runs):
        started = time.perf_counter()
        family_scores_recompute()
        service.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw_sql_scores()
        raw.append(time.perf_counter() - started)
    result = {
        "service": service,
        "raw_sql": raw,
        "service_median": statistics.median(service),
        "raw_sql_median": statistics.median(raw),
    }
    result["ratio"] = result["service_median"] / result["raw_sql_median"]
    # Worst case: no score stored yet, every row written.
    FamilyScore.objects.all().delete()
    started = time.perf_counter()
    family_scores_recompute()
    result["service_cold"] = time.perf_counter() - started
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
