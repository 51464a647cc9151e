"""bench/two_servers.py on 127.0.0.1: two gunicorn processes and two workers against one
PostgreSQL; a session continues across servers, a job queued on one is downloaded through
the other. Only with DATABASE_URL on PostgreSQL (it makes a database of its own beside it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.skipif(not URL.startswith(("postgres://", "postgresql://")), reason="needs PostgreSQL")
def test_two_app_servers_share_sessions_and_files():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "two_servers.py")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": URL},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"ok": true' in done.stdout
