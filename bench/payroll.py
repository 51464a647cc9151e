"""Benchmark: draft and approve one payroll run of 10 000 employees.

    .venv/bin/python bench/payroll.py [--employees 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/payroll_bench .venv/bin/python bench/payroll.py

It never touches db.sqlite3 or the database named in DATABASE_URL: like the test runner it
creates its own test database (a temporary SQLite file by default, `test_<name>` on
PostgreSQL), migrates it, fills it in bulk, times the two services and drops it.
Goal: under 2 s for each step.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="mustaqil-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

MONTH = date(2025, 3, 1)


def fill(count: int):
    from beneficiaries.models import Branch, Family, Person
    from enterprises.choices import PayBasis, Sector
    from enterprises.models import Employment, Position, RateChange, SocialEnterprise

    branch = Branch.objects.get_or_create(code="SAM", defaults={"name": "Samarkand"})[0]
    enterprise = SocialEnterprise.objects.create(
        name="Bench", sector=Sector.SEWING, branch=branch, opening_date=date(2015, 1, 1)
    )
    families = Family.objects.bulk_create(
        [
            Family(branch=branch, case_number=f"BEN-2020-{i:05d}", intake_date=date(2020, 1, 1))
            for i in range(count)
        ],
        batch_size=2000,
    )
    people = Person.objects.bulk_create(
        [
            Person(
                family=family,
                full_name=f"Xodim {i:05d}",
                sex="F",
                birth_date=date(1985, 1, 1),
                relationship="head",
                is_caregiver=True,
            )
            for i, family in enumerate(families)
        ],
        batch_size=2000,
    )
    bases = [
        (PayBasis.MONTHLY, Decimal("3000000")),
        (PayBasis.DAILY, Decimal("120000")),
        (PayBasis.HOURLY, Decimal("18000")),
        (PayBasis.PIECE, Decimal("9000")),
    ]
    positions = Position.objects.bulk_create(
        [
            Position(
                enterprise=enterprise,
                title="Tikuvchi",
                pay_basis=bases[i % 4][0],
                rate=bases[i % 4][1],
                opened_on=date(2015, 1, 1),
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    employments = Employment.objects.bulk_create(
        [
            Employment(
                person=person,
                position=position,
                start_date=date(2025, 3, 10) if i % 7 == 0 else date(2020, 1, 1),
                rate=position.rate,
                low_income_family=i % 3 == 0,
            )
            for i, (person, position) in enumerate(zip(people, positions, strict=True))
        ],
        batch_size=2000,
    )
    RateChange.objects.bulk_create(
        [RateChange(employment=e, effective_from=e.start_date, rate=e.rate) for e in employments],
        batch_size=2000,
    )
    return enterprise


def timed(label, func):
    """Run `func`, print its time and how many queries it sent (counted by a cheap execute
    wrapper: Django's debug cursor would re-quote every parameter and skew the timing)."""
    from django.db import connection

    sent = []

    def count(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, cpu = time.perf_counter(), time.process_time()
        result = func()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    verdict = "ok" if elapsed < 2 else "SLOWER THAN THE 2 s GOAL"
    print(f"{label:<34} {elapsed:6.2f} s  {len(sent):4d} queries  {verdict}")
    TIMES[label] = {"seconds": round(elapsed, 3), "cpu": round(cpu, 3), "queries": len(sent)}
    return result, elapsed


TIMES: dict[str, dict] = {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--json", help="Also write the figures to this file (bench/run.py).")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    settings.DEBUG = False  # as in production: no query log kept in memory
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = f"{TMP}/test-bench.sqlite3"
    print(f"Database: {connection.vendor}, a throw-away test database; {args.employees} employees")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from beneficiaries.models import IncomeRecord
        from payroll import services

        started = time.perf_counter()
        enterprise = fill(args.employees)
        print(f"{'fill (not timed for the goal)':<34} {time.perf_counter() - started:6.2f} s")
        run, generate = timed(
            "generate the draft run",
            lambda: services.payroll_run_generate(enterprise=enterprise, month=MONTH),
        )
        _result, approve = timed(
            "approve (income records included)", lambda: services.payroll_run_approve(run=run)
        )
        run.refresh_from_db()
        records = IncomeRecord.objects.filter(source="enterprise_wages").count()
        print(
            f"payslips {run.payslips.count()}, income records {records}, "
            f"net total {run.net_total:,.0f} UZS, cost total {run.cost_total:,.0f} UZS"
        )
        ok = generate < 2 and approve < 2 and records == args.employees
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "backend": connection.vendor,
                        "employees": args.employees,
                        "steps": TIMES,
                        "income_records": records,
                        "load": os.getloadavg(),
                    },
                    indent=1,
                )
            )
    finally:
        teardown_databases(old, verbosity=0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
