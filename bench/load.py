"""Mixed load: simulated staff of every role doing their day's pages, against gunicorn and
PostgreSQL (docs/performance.md, "Mixed load").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<seeded database> \\
        .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 2]

The database must hold a demo (`seed_demo --families N`). This script adds load users
(load-<role>-NN, password "demo") cloned from the demo users of each role, with the same
groups and scope, and lists for each the families it may open; starts gunicorn (`--workers`
sync workers, DEBUG off, collected static files); runs locust headless for `--seconds`
(bench/load_locustfile.py: each user signs in once, then a page every 3-8 s); and prints
p50/p95 per page, the errors and the throughput, as a Markdown table.

Locust is not in requirements.txt (the tests never need it): `pip install -r
bench/requirements.txt` into a separate virtual environment and pass its `locust` with
--locust (default: `locust` on PATH).
"""

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
# Of 50 users: mostly caseworkers, as in the programme's staff.
MIX = {
    "caseworker": 0.5,
    "programme_manager": 0.1,
    "auditor": 0.1,
    "trainer": 0.15,
    "enterprise_manager": 0.15,
}
# The demo user whose groups and scope each load user copies.
TEMPLATE = {
    "caseworker": ("caseworker", "caseworker2"),
    "programme_manager": ("director",),
    "auditor": ("auditor",),
    "trainer": ("trainer",),
    "enterprise_manager": ("manager",),
}
FAMILIES_EACH = 30


def env_for(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "load-bench-only-secret-key-" + "x" * 30,
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


def make_users(count: int) -> list[dict]:
    """Create (or reuse) the load users; returns what the locustfile needs of each."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from beneficiaries.models import Family, StaffProfile

    User = get_user_model()
    password = make_password("demo")  # one hash for all: hashing 50 times is not the bench
    people = []
    numbers = dict.fromkeys(MIX, 0)
    roles = [role for role, share in MIX.items() for _ in range(round(share * count))]
    for index, role in enumerate(roles[:count]):
        numbers[role] += 1
        templates = TEMPLATE[role]
        template = User.objects.get(username=templates[numbers[role] % len(templates)])
        username = f"load-{role.replace('_', '-')}-{numbers[role]:02d}"
        user, created = User.objects.get_or_create(username=username)
        user.password = password
        user.first_name, user.last_name = "Load", f"{role} {numbers[role]}"
        user.save()
        if created:
            user.groups.set(template.groups.all())
            source = StaffProfile.objects.filter(user=template).first()
            if source is not None:
                profile, _ = StaffProfile.objects.get_or_create(user=user)
                profile.branches.set(source.branches.all())
            # Any other scope (the enterprises a manager runs, a trainer's cohorts) is a
            # many-to-many to the user: copy each.
            for relation in User._meta.related_objects:
                if relation.many_to_many and relation.related_model is not StaffProfile:
                    accessor = relation.get_accessor_name()
                    getattr(user, accessor).set(getattr(template, accessor).all())
        families = list(
            Family.objects.for_user(user).order_by("?").values_list("pk", flat=True)[:FAMILIES_EACH]
        )
        people.append(
            {"username": username, "password": "demo", "role": role, "families": families}
        )
        del index
    return people


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: int = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def report(stats_csv: Path, seconds: int) -> str:
    rows = list(csv.DictReader(stats_csv.open()))
    lines = [
        "| Page | Requests | Failures | p50 (ms) | p95 (ms) | max (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
            f"| {row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} |"
        )
    if total:
        lines.append(
            f"| **all** | {total['Request Count']} | {total['Failure Count']} "
            f"| {total['50%']} | {total['95%']} | {float(total['Max Response Time']):.0f} |"
        )
        lines.append("")
        lines.append(
            f"Throughput {float(total['Requests/s']):.1f} requests/s over {seconds} s; "
            f"{total['Failure Count']} failed of {total['Request Count']}."
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--locust", default=os.environ.get("LOCUST") or shutil.which("locust"))
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a seeded PostgreSQL database.")
    if not args.locust:
        raise SystemExit("locust not found: pip install -r bench/requirements.txt; --locust PATH")
    env = env_for(url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    people = make_users(args.users)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    work = Path(tempfile.mkdtemp(prefix="load-"))
    (work / "users.json").write_text(json.dumps(people))
    port = free_port()
    server = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        load = subprocess.run(
            [
                args.locust,
                "-f",
                str(ROOT / "bench" / "load_locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.seconds}s",
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "LOAD_USERS": str(work / "users.json")},
            capture_output=True,
            text=True,
        )
        if load.returncode not in (0, 1):  # 1: some requests failed, still a result
            print(load.stdout, load.stderr)
            raise SystemExit("locust did not run")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{args.users} users ({', '.join(f'{r}: {sum(p["role"] == r for p in people)}' for r in MIX)}), "
        f"{args.workers} gunicorn sync workers, {args.seconds} s"
    )
    print(report(work / "load_stats.csv", args.seconds))
    failures = work / "load_failures.csv"
    if failures.exists():
        print(failures.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
