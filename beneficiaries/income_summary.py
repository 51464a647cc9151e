"""Each family's first and latest month of income, kept right by the database.

The programme report needs, for every family served, its first recorded month, its latest
recorded month up to the period's end, and the household's total in each. Reading them
from the income records means walking about twenty index entries a family (two million at
100,000 families); `FamilyIncomeSummary` holds them in one row a family.

Income is written from many places: the income form, payroll approval, business
follow-ups, the family import, the admin, the demo's bulk insert and raw SQL. Rather than
trusting each of them, triggers on the income table rewrite the family's summary row after
every insert, update and delete: from the family's records, through the (family, month,
amount) index, so a row costs two index seeks and the records of two months. On SQLite they
are plain triggers; on PostgreSQL one PL/pgSQL function, which takes a per-family advisory
lock first so that two transactions adding income to the same family cannot each write a
total that misses the other's record (READ COMMITTED: the statements after the lock see
what the other committed).

SQLite drops a table's triggers whenever Django rebuilds the table in a migration, so they
are created after every `migrate` (`ensure_after_migrate`); if they were missing, or the
summary does not have one row per family with income, the summary is rebuilt in one
INSERT ... SELECT. Bulk loads that write millions of records (seed_demo) run inside
`suspended()`: no triggers while they write, one rebuild at the end.
"""

from contextlib import contextmanager

from django.db import connections, transaction

INCOME = "beneficiaries_incomerecord"
SUMMARY = "beneficiaries_familyincomesummary"
TRIGGER = "beneficiaries_income_summary"
PG_FUNCTION = "beneficiaries_income_summary_refresh"
# The first key of PostgreSQL's two-key advisory locks taken by the trigger (the second is
# the family): any constant no other lock of ours uses.
PG_LOCK_CLASS = 4_710_001


def _summarize(where: str) -> str:
    """INSERT ... SELECT of the summary rows of the families with income that `where` keeps
    (a condition on the income records, or TRUE for all of them)."""
    return (
        f"INSERT INTO {SUMMARY} (family_id, first_month, first_total, last_month, last_total) "
        "SELECT bounds.family_id, bounds.first_month, "
        f"(SELECT SUM(r.amount) FROM {INCOME} r WHERE r.family_id = bounds.family_id "
        "AND r.month = bounds.first_month), bounds.last_month, "
        f"(SELECT SUM(r.amount) FROM {INCOME} r WHERE r.family_id = bounds.family_id "
        "AND r.month = bounds.last_month) "
        "FROM (SELECT family_id, MIN(month) AS first_month, MAX(month) AS last_month "
        f"FROM {INCOME} WHERE {where} GROUP BY family_id) bounds"
    )


def _sqlite_refresh(family: str) -> str:
    return f"DELETE FROM {SUMMARY} WHERE family_id = {family}; " + _summarize(
        f"family_id = {family}"
    )


_SQLITE_TRIGGERS = {
    f"{TRIGGER}_insert": f"AFTER INSERT ON {INCOME} BEGIN {_sqlite_refresh('new.family_id')}; END",
    f"{TRIGGER}_delete": f"AFTER DELETE ON {INCOME} BEGIN {_sqlite_refresh('old.family_id')}; END",
    f"{TRIGGER}_update": (
        f"AFTER UPDATE OF family_id, month, amount ON {INCOME} BEGIN "
        f"{_sqlite_refresh('old.family_id')}; {_sqlite_refresh('new.family_id')}; END"
    ),
}

_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    families bigint[];
    family bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        families := ARRAY[NEW.family_id];
    ELSIF TG_OP = 'DELETE' OR NEW.family_id = OLD.family_id THEN
        families := ARRAY[OLD.family_id];
    ELSE
        families := ARRAY[LEAST(OLD.family_id, NEW.family_id),
                          GREATEST(OLD.family_id, NEW.family_id)];
    END IF;
    FOREACH family IN ARRAY families LOOP
        PERFORM pg_advisory_xact_lock({PG_LOCK_CLASS}, mod(family, 2147483647)::integer);
        DELETE FROM {SUMMARY} WHERE family_id = family;
        {_summarize("family_id = family")};
    END LOOP;
    RETURN NULL;
END
$$
"""
_PG_TRIGGER_SQL = (
    f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF family_id, month, amount "
    f"ON {INCOME} FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
)


def _has_triggers(cursor, vendor: str) -> bool:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [INCOME],
        )
        return set(_SQLITE_TRIGGERS) <= {row[0] for row in cursor.fetchall()}
    cursor.execute(
        "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass", [TRIGGER, INCOME]
    )
    return cursor.fetchone() is not None


def create_triggers(using: str = "default") -> None:
    """(Re)create the triggers that keep the summary right."""
    connection = connections[using]
    with connection.cursor() as cursor:
        drop_triggers(using)
        if connection.vendor == "sqlite":
            for name, body in _SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        elif connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION_SQL)
            cursor.execute(_PG_TRIGGER_SQL)


def drop_triggers(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {INCOME}")


def rebuild(using: str = "default") -> None:
    """Write the whole summary again from the income records (one statement each way)."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(_summarize("1 = 1"))


def in_step(using: str = "default") -> bool:
    """Whether the summary has one row for each family with income (a count, cheap next to
    a rebuild; the triggers keep the figures themselves right once the rows are there)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {SUMMARY}), "
            f"(SELECT COUNT(*) FROM (SELECT DISTINCT family_id FROM {INCOME}) families)"
        )
        summarized, families = cursor.fetchone()
    return summarized == families


def ensure(using: str = "default") -> bool:
    """Create the triggers where they are missing and rebuild the summary if it may have
    missed writes (the triggers were gone) or is out of step; True if it was rebuilt."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return False
    with connection.cursor() as cursor:
        present = _has_triggers(cursor, connection.vendor)
    with transaction.atomic(using=using):
        create_triggers(using)  # again, in case this version's text differs
        if present and in_step(using):
            return False
        rebuild(using)
    return True


def ensure_after_migrate(sender, using="default", plan=None, **kwargs):
    from beneficiaries.models import FamilyIncomeSummary, IncomeRecord

    tables = connections[using].introspection.table_names()
    if {FamilyIncomeSummary._meta.db_table, IncomeRecord._meta.db_table} <= set(tables):
        ensure(using)


@contextmanager
def suspended(using: str = "default"):
    """No triggers while the block writes income in bulk; then one rebuild of the summary
    and the triggers back. Use it outside a transaction, or in one that will commit: until
    the block ends, the summary does not follow the records."""
    connection = connections[using]
    drop_triggers(using)
    try:
        yield
    finally:
        if not connection.needs_rollback:
            with transaction.atomic(using=using):
                rebuild(using)
                create_triggers(using)
