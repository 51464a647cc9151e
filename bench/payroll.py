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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="mustaqil-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

MONTH = date(2025, 3, 1)

from payroll_fill import enterprise_with_employees  # noqa: E402  (bench/, next to this file)


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
        enterprise = enterprise_with_employees(args.employees)
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
