"""CPU per request of one page, and a cProfile of it (bench/run.py's env, DEBUG=0).

    .venv/bin/python bench/profile_list.py [--url /families/] [--user caseworker]
        [--requests 200] [--profile 50] [--sort cumulative] [--lines 40]

Requests go through Django's test client (force_login), after a warm-up; the figures are
CPU milliseconds (time.process_time) and wall milliseconds per request, and the queries of
one request.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="/families/")
    parser.add_argument("--user", default="caseworker")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args()
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    for _ in range(5):
        assert client.get(args.url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(args.url)
    print(f"queries: {len(captured.captured_queries)}")
    if args.queries:
        for query in captured.captured_queries:
            print("  ", query["sql"][:300])
    cpu, wall = [], []
    for _ in range(args.requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(args.url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{args.requests} requests: CPU ms median {statistics.median(cpu):.2f} "
        f"mean {statistics.mean(cpu):.2f}; wall ms median {statistics.median(wall):.2f}; "
        f"load {os.getloadavg()}"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.profile):
            client.get(args.url)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
