"""Backing up and restoring the database while the application runs.

SQLite is copied through its online backup API (`sqlite3.Connection.backup`), which reads
one consistent snapshot even while other connections write; copying the file itself does
not (a drill lost a committed table that way: the WAL file holds what the main file does
not yet). PostgreSQL is dumped with `pg_dump -Fc` (one transaction, so one snapshot) and
restored with `pg_restore`. `manage.py backup` / `manage.py restore` (and `make backup`,
`make restore FILE=…`) call these; see README, "Backups".
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"
SUFFIXES = {SQLITE: ".sqlite3", POSTGRESQL: ".pgdump"}


class BackupError(Exception):
    pass


def backup_name(database: dict, when: datetime) -> str:
    return f"mustaqil-{when:%Y%m%d-%H%M%S}{SUFFIXES[_engine(database)]}"


def backup_database(database: dict, target: Path) -> Path:
    """Write one consistent copy of `database` (a DATABASES entry) to `target`."""
    engine = _engine(database)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if engine == SQLITE:
        source = sqlite3.connect(f"file:{database['NAME']}?mode=ro", uri=True)
        copy = sqlite3.connect(partial)
        try:
            # pages=-1: the whole database in one step, so in one read transaction.
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
        _check_sqlite(partial)
    else:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(partial), database["NAME"]],
            database,
        )
    os.chmod(partial, 0o600)  # it holds every family's personal data
    partial.replace(target)
    return target


def restore_database(database: dict, source: Path) -> None:
    """Replace the whole content of `database` with the backup `source`."""
    engine = _engine(database)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup file {source}")
    if engine == SQLITE:
        _check_sqlite(source)
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(database["NAME"])
        try:
            backup.backup(target, pages=-1)
        finally:
            target.close()
            backup.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                database["NAME"],
                str(source),
            ],
            database,
        )


def prune_backups(folder: Path, keep: int, suffix: str) -> list[Path]:
    """Delete all but the newest `keep` backups (by name, which holds the time) in `folder`."""
    backups = sorted(Path(folder).glob(f"mustaqil-*{suffix}"))
    doomed = backups[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


def _engine(database: dict) -> str:
    engine = database["ENGINE"]
    if engine not in SUFFIXES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}")
    return engine


def _check_sqlite(path: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a usable SQLite database: {exc}") from exc
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's check: {result}")


def _run(command: list[str], database: dict) -> None:
    """pg_dump / pg_restore against `database`; the password travels in the environment."""
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    environment = {**os.environ, "PGDATABASE": database["NAME"]}
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if database.get(key):
            environment[variable] = str(database[key])
    sslmode = database.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = sslmode
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
