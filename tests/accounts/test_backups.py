"""The backup drill: back up a populated database while writes go on, restore it into a
fresh one, and find every table's rows equal to the snapshot the backup took.

The writer commits one "day" at a time: a family, its people, an income row, and the
ledger's running total, all in one transaction. A consistent snapshot holds exactly the
first N days for some N, in every table, with the total equal to N; a torn copy does not.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings

from accounts.backups import (
    BackupError,
    backup_database,
    backup_name,
    prune_backups,
    restore_database,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = [
    "CREATE TABLE family (id INTEGER PRIMARY KEY, day INTEGER NOT NULL, name TEXT NOT NULL)",
    "CREATE TABLE person (id INTEGER PRIMARY KEY, family_id INTEGER NOT NULL, "
    "day INTEGER NOT NULL, full_name TEXT NOT NULL)",
    "CREATE TABLE income (id INTEGER PRIMARY KEY, family_id INTEGER NOT NULL, "
    "day INTEGER NOT NULL, amount NUMERIC NOT NULL)",
    "CREATE TABLE ledger (id INTEGER PRIMARY KEY, days INTEGER NOT NULL)",
]
TABLES = ["family", "person", "income", "ledger"]
POPULATED_DAYS = 3000


def write_day(cursor, day, placeholder="?"):
    p = placeholder
    cursor.execute(
        f"INSERT INTO family (id, day, name) VALUES ({p}, {p}, {p})", (day, day, f"F{day}")
    )
    for member in range(3):
        cursor.execute(
            f"INSERT INTO person (id, family_id, day, full_name) VALUES ({p}, {p}, {p}, {p})",
            (day * 10 + member, day, day, f"Person {day}-{member} " + "x" * 200),
        )
    cursor.execute(
        f"INSERT INTO income (id, family_id, day, amount) VALUES ({p}, {p}, {p}, {p})",
        (day, day, day, day * 1000),
    )
    cursor.execute(f"UPDATE ledger SET days = {p} WHERE id = 1", (day,))


def rows(cursor, table, up_to_day=None):
    where = "" if up_to_day is None or table == "ledger" else f" WHERE day <= {int(up_to_day)}"
    cursor.execute(f"SELECT * FROM {table}{where} ORDER BY id")
    return [tuple(str(value) for value in row) for row in cursor.fetchall()]


class Writer(threading.Thread):
    """Commits one day after another on its own connection until stopped."""

    def __init__(self, connect, first_day, placeholder="?"):
        super().__init__(daemon=True)
        self.connect, self.day, self.placeholder = connect, first_day, placeholder
        self.stop = threading.Event()
        self.error = None

    def run(self):
        connection = self.connect()
        try:
            while not self.stop.is_set():
                cursor = connection.cursor()
                write_day(cursor, self.day + 1, self.placeholder)
                connection.commit()
                self.day += 1
        except Exception as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()


def drill(connect_source, connect_restored, backup, restore, placeholder="?"):
    """Populate, back up under writes, restore, compare. Returns the days in the backup."""
    connection = connect_source()
    cursor = connection.cursor()
    for statement in SCHEMA:
        cursor.execute(statement)
    cursor.execute("INSERT INTO ledger (id, days) VALUES (1, 0)")
    for day in range(1, POPULATED_DAYS + 1):
        write_day(cursor, day, placeholder)
    connection.commit()

    writer = Writer(connect_source, POPULATED_DAYS, placeholder)
    writer.start()
    time.sleep(0.2)
    days_before = writer.day
    backup()
    days_after = writer.day
    time.sleep(0.2)
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert writer.day > days_after > days_before  # the writes really went on around it

    restore()
    restored = connect_restored().cursor()
    snapshot_days = int(rows(restored, "ledger")[0][1])
    assert days_before <= snapshot_days <= days_after
    source = connection.cursor()
    for table in TABLES:
        if table == "ledger":
            assert rows(restored, table) == [("1", str(snapshot_days))]
        else:
            assert rows(restored, table) == rows(source, table, up_to_day=snapshot_days), table
    assert len(rows(restored, "family")) == snapshot_days
    connection.close()
    return snapshot_days


def sqlite_connect(path):
    def connect():
        connection = sqlite3.connect(path, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")  # as config/settings.py runs it
        return connection

    return connect


def test_sqlite_backup_under_writes_restores_every_table(tmp_path):
    source = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "live.sqlite3")}
    restored = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "fresh.sqlite3")}
    backup_file = tmp_path / "backups" / backup_name(source, datetime.now())
    drill(
        sqlite_connect(source["NAME"]),
        sqlite_connect(restored["NAME"]),
        lambda: backup_database(source, backup_file),
        lambda: restore_database(restored, backup_file),
    )
    assert oct(backup_file.stat().st_mode & 0o777) == "0o600"
    # The backup is one self-contained file: no WAL beside it.
    assert not Path(f"{backup_file}-wal").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    sqlite3.connect(target["NAME"]).execute("CREATE TABLE kept (id INTEGER)").connection.commit()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError):
        restore_database(target, junk)
    with pytest.raises(BackupError):
        restore_database(target, tmp_path / "missing.sqlite3")
    tables = sqlite3.connect(target["NAME"]).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("kept",)]  # nothing changed


def test_only_the_newest_backups_are_kept(tmp_path):
    for stamp in ["20261201-021500", "20261202-021500", "20261203-021500"]:
        (tmp_path / f"mustaqil-{stamp}.sqlite3").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not a backup")
    removed = prune_backups(tmp_path, keep=2, suffix=".sqlite3")
    assert [path.name for path in removed] == ["mustaqil-20261201-021500.sqlite3"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "mustaqil-20261202-021500.sqlite3",
        "mustaqil-20261203-021500.sqlite3",
        "notes.txt",
    ]


def test_the_commands_back_up_and_restore_the_configured_database(tmp_path):
    live = tmp_path / "live.sqlite3"
    connection = sqlite3.connect(live)
    connection.execute("CREATE TABLE family (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO family (name) VALUES ('before')")
    connection.commit()
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{live}",
        "BACKUP_DIR": str(tmp_path / "backups"),
        "BACKUP_KEEP": "1",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    first = manage("backup")
    assert first.returncode == 0, first.stderr
    second = manage("backup")
    assert second.returncode == 0, second.stderr
    kept = list((tmp_path / "backups").glob("mustaqil-*.sqlite3"))
    assert len(kept) == 1  # BACKUP_KEEP=1
    connection.execute("UPDATE family SET name = 'after'")
    connection.commit()
    connection.close()
    restored = manage("restore", "--no-input", str(kept[0]))
    assert restored.returncode == 0, restored.stderr
    assert sqlite3.connect(live).execute("SELECT name FROM family").fetchall() == [("before",)]


@pytest.mark.postgres
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="DATABASE_URL is not PostgreSQL",
)
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_postgresql_backup_under_writes_restores_every_table(tmp_path):
    import psycopg

    base = settings.DATABASES["default"]
    stem = f"{base['NAME']}_drill_{os.getpid()}"
    source = {**base, "NAME": f"{stem}_live"}
    restored = {**base, "NAME": f"{stem}_fresh"}

    def connect_to(name, autocommit=False):
        def connect():
            return psycopg.connect(
                dbname=name,
                host=base.get("HOST") or None,
                port=base.get("PORT") or None,
                user=base.get("USER") or None,
                password=base.get("PASSWORD") or None,
                autocommit=autocommit,
            )

        return connect

    admin = connect_to("postgres", autocommit=True)()
    for database in (source, restored):
        admin.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{database["NAME"]}"')
    backup_file = tmp_path / "drill.pgdump"
    try:
        drill(
            connect_to(source["NAME"]),
            connect_to(restored["NAME"]),
            lambda: backup_database(source, backup_file),
            lambda: restore_database(restored, backup_file),
            placeholder="%s",
        )
    finally:
        for database in (source, restored):
            admin.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
        admin.close()
