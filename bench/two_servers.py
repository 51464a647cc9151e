"""Two app servers and two workers against one PostgreSQL, on 127.0.0.1 (README, "More than
one app server").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/two_servers.py

Makes a fresh database (<name>_two_servers beside the one named, dropped at the end unless
--keep), migrates it and seeds a small demo (5 families, the demo users); starts two gunicorn
processes on two ports and two `manage.py db_worker` processes, all with the same
environment and nothing else shared; then, over HTTP:

1. signs the demo programme manager (director) in on server A;
2. opens a page on server B with the same session cookie (sessions are rows in the database);
3. queues the donor report PDF (the programme report) on server A (a task row; the request returns at once);
4. waits for one of the workers to make it (the file goes to MEDIA_ROOT, one folder both
   servers read);
5. downloads it through server B and checks it is a PDF.

Prints each step with its time and which worker made the file; exits non-zero on failure.
tests/common/test_two_servers.py runs it when DATABASE_URL is PostgreSQL.
"""

import argparse
import html.parser
import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PERIOD = {"start": "2015-01-01", "end": "2016-12-31", "lang": "en"}


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:6.1f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


class _Csrf(html.parser.HTMLParser):
    token = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.token = attrs.get("value")


class Browser:
    """One user's cookie jar, used against either server."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, base, path, data=None, referer=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body)
        request.add_header("Referer", referer or base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def csrf(self, base, path):
        _status, _headers, body = self.request(base, path)
        parser = _Csrf()
        parser.feed(body.decode())
        return parser.token

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for(base, started, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/accounts/login/", timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{base} did not answer within {timeout} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database kept by an earlier --keep"
    )
    parser.add_argument("--timeout", type=int, default=120, help="seconds to wait for the file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (any database on it).")
    name = urllib.parse.urlsplit(base_url).path.lstrip("/") or "mustaqil"
    name = f"{name}_two_servers"
    url = with_database(base_url, name)
    media = tempfile.mkdtemp(prefix="two-servers-media-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": media,  # one folder for every process: the "shared storage"
        "DEBUG": "1",  # static files served by Django; nothing else differs here
        "SECRET_KEY": "two-servers-bench-" + "x" * 40,  # the same in every process
        "TASKS_IMMEDIATE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [PYTHON, "manage.py"]
    if not args.reuse:
        admin_sql(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_sql(base_url, f'CREATE DATABASE "{name}"')
    processes = []
    try:
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "seed_demo", "--families", "5", "--demo-users", "--if-empty"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        log(f"database {name} migrated and seeded", started)
        ports = [free_port(), free_port()]
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        GUNICORN,
                        "config.wsgi",
                        "-b",
                        f"127.0.0.1:{port}",
                        "-w",
                        "1",
                        "-t",
                        "60",
                        "--access-logfile",
                        "-",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        for number in (1, 2):
            processes.append(
                subprocess.Popen(
                    [*manage, "db_worker", "--worker-id", f"worker-{number}", "--interval", "0.5"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        server_a, server_b = (f"http://127.0.0.1:{port}" for port in ports)
        for server in (server_a, server_b):
            wait_for(server, started)
        log(f"servers A {server_a} and B {server_b}, workers worker-1 and worker-2 up", started)

        browser = Browser()
        token = browser.csrf(server_a, "/accounts/login/")
        status, headers, _ = browser.request(
            server_a,
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": "director", "password": "demo"},
        )
        assert status == 302 and browser.cookie("sessionid"), f"sign-in on A answered {status}"
        log("signed in on A (session cookie set)", started)

        status, headers, body = browser.request(server_b, "/reports/programme/")
        assert status == 200, f"B did not know the session: {status} {headers.get('Location')}"
        log("server B knows the session: /reports/programme/ 200", started)

        page = "/reports/programme/"
        token = browser.csrf(server_a, page)
        status, headers, _ = browser.request(
            server_a,
            "/reports/programme/donor-report/queue/",
            {"csrfmiddlewaretoken": token, **PERIOD},
            referer=server_a + page,
        )
        assert status == 302, f"queueing on A answered {status}"
        log("donor report PDF queued on A", started)

        _django(env)
        file_id, worker = _wait_ready(env, args.timeout, started)
        log(f"made by {worker}", started)
        status, headers, body = browser.request(server_b, f"/accounts/files/{file_id}/download/")
        assert status == 200 and body.startswith(b"%PDF"), f"download on B answered {status}"
        log(f"downloaded through B: a PDF of {len(body):,} bytes", started)
        print(
            json.dumps(
                {"ok": True, "seconds": round(time.monotonic() - started, 1), "worker": worker}
            )
        )
        return 0
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.keep:
            admin_sql(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _django(env):
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "MEDIA_ROOT", "DEBUG", "SECRET_KEY")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _wait_ready(env, timeout, started):
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from common.models import FileStatus, GeneratedFile

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close()  # a fresh look at the database each time
        generated = GeneratedFile.objects.order_by("-pk").first()
        if generated and generated.status == FileStatus.READY:
            task = DBTaskResult.objects.get(id=generated.task_id)
            return generated.pk, ",".join(task.worker_ids)
        if generated and generated.status == FileStatus.FAILED:
            raise SystemExit(f"the job failed: {generated.error}")
        time.sleep(0.5)
    raise SystemExit(f"no worker made the file within {timeout} s")


if __name__ == "__main__":
    sys.exit(main())
