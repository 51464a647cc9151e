"""How long does the programme dashboard take for N families?  Goal: under 1 s at 100,000.

Run on demand (not part of the test suite):

    .venv/bin/python bench/programme_dashboard.py [--families 100000] [--db PATH] [--runs 5]
        [--format html|pdf|xlsx] [--profile]

The first run builds a SQLite file (default /tmp/mustaqil-bench-<N>.sqlite3) with
`migrate` and `seed_demo --families N` (minutes at 100,000: run it once, later runs reuse
the file; give --db a *copy* of a shared benchmark database, never the original). Then it
requests /reports/programme/ for 2007-01-01..2016-12-31 as a programme manager through
the test client, several times, and prints the cold and the median warm time (wall and
CPU of this process, with the load average; on PostgreSQL on this machine also the
server backend's CPU) and the number of queries (which must not depend on N).
`--profile` also prints each query's time (median over the warm runs), the slowest first.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="SQLite file to build or reuse")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", choices=["html", "pdf", "xlsx"], default="html")
    parser.add_argument("--profile", action="store_true", help="time every query")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "1"
    path = None
    if args.db and "://" in args.db:
        os.environ["DATABASE_URL"] = args.db
    else:
        path = Path(args.db or f"/tmp/mustaqil-bench-{args.families}.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    if path is not None and not path.exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", families=args.families, seed=2007, verbosity=0)
        print(f"built {path} in {time.perf_counter() - started:.0f} s")

    from accounts.roles import Role
    from beneficiaries.models import Family
    from tests.factories import UserFactory

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    user = UserFactory(role=Role.PROGRAMME_MANAGER)
    client = Client()
    client.force_login(user)
    url = "/reports/programme/?start=2007-01-01&end=2016-12-31"
    if args.format != "html":
        url += f"&format={args.format}"

    def server_cpu() -> tuple[int, float] | None:
        """(backend pid, its CPU seconds) of a PostgreSQL server on this machine."""
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    timings, cpu, server, queries = [], [], [], 0
    try:
        for _run in range(args.runs + 1):
            before = server_cpu()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            after = server_cpu()
            if before and after and before[0] == after[0]:
                server.append(after[1] - before[1])
            assert response.status_code == 200, response.status_code
            queries = len(captured)
    finally:
        user.delete()
    warm, warm_cpu = statistics.median(timings[1:]), statistics.median(cpu[1:])
    print(f"families in the database: {Family.objects.count()}")
    if args.format == "html":
        figures = response.context["figures"]
        print(f"families served 2007-2016: {figures['families_served']}")
    else:
        print(f"{args.format}: {len(response.content):,} bytes")
    print(f"queries per request: {queries}")
    print(
        f"cold: {timings[0]:.3f} s (CPU {cpu[0]:.3f} s), warm median: {warm:.3f} s "
        f"(CPU {warm_cpu:.3f} s), slowest: {max(timings):.3f} s; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if len(server) > 1:
        # The backend process only: parallel workers' CPU is not in it.
        print(f"PostgreSQL backend CPU, warm median: {statistics.median(server[1:]):.3f} s")
    if args.profile:
        # Run each query of the last request again, reading all its rows (SQLite computes
        # rows lazily, so timing cursor.execute alone would miss most of the work).
        rows = []
        for query in captured.captured_queries:
            if not query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                continue  # e.g. a PostgreSQL server-side cursor's DECLARE
            times = []
            for _repeat in range(3):
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute(query["sql"])
                    if cursor.description:
                        cursor.fetchall()
                    times.append(time.perf_counter() - started)
            rows.append((statistics.median(times), query["sql"]))
        for seconds, sql in sorted(rows, reverse=True):
            print(f"{seconds * 1000:8.1f} ms  {' '.join(sql.split())[:150]}")
    verdict = "OK" if warm < GOAL_SECONDS else "TOO SLOW"
    print(f"{verdict}: goal under {GOAL_SECONDS:.1f} s")
    return 0 if warm < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
