"""Each family's first and latest month of income, kept right by the database.

The programme report needs, for every family served, its first recorded month, its latest
recorded month up to the period's end and the household's total in each. Reading them from
the income records means walking about twenty index entries a family (two million at
100,000 families); `FamilyIncomeSummary` holds them in one row a family. The members the
report divides by are `Family.member_count`, kept in one place with the family's other
derived columns (`beneficiaries.search.refresh`; docs/derived-data.md).

Income is written from many places: the income form, payroll approval, business
follow-ups, the family import, the admin, the demo's bulk insert and raw SQL. Rather than
trusting each of them, triggers on the income table rewrite the family's summary row after
every insert, update and delete: from the family's records, through the (family, month,
amount) index, so a row costs two index seeks and the records of two months. On SQLite
they are plain triggers; on PostgreSQL a PL/pgSQL function, which first locks the family's row so
that two transactions writing the same family's income cannot each write a total that
misses the other's record (READ COMMITTED: the statements after the lock see what the
other committed).

SQLite drops a table's triggers whenever Django rebuilds the table in a migration, so they
are created after every `migrate` (`ensure_after_migrate`); if they were missing, or the
summary does not have one row per family with income, the summary is rebuilt in one
INSERT ... SELECT. Bulk loads that write millions of records (seed_demo) run inside
`suspended()`: no triggers while they write, one rebuild at the end.
"""

from contextlib import contextmanager

from django.db import connections, transaction

FAMILY = "beneficiaries_family"
INCOME = "beneficiaries_incomerecord"
SUMMARY = "beneficiaries_familyincomesummary"
TRIGGER = "beneficiaries_income_summary"
# Every family's first and latest month, in one pass over the (family, month) index.
ALL_BOUNDS = (
    f"SELECT family_id, MIN(month) AS first_month, MAX(month) AS last_month FROM {INCOME} "
    "GROUP BY family_id"
)


def _bounds_of(families: str) -> str:
    """The first and latest month of each family of `families` (a FROM item with a column
    `id`), each found by a seek in the (family, month) index: a plan that stays right for
    one family or thousands."""
    return (
        "SELECT f.id AS family_id, "
        f"(SELECT MIN(r.month) FROM {INCOME} r WHERE r.family_id = f.id) AS first_month, "
        f"(SELECT MAX(r.month) FROM {INCOME} r WHERE r.family_id = f.id) AS last_month "
        f"FROM {families} WHERE EXISTS (SELECT 1 FROM {INCOME} r WHERE r.family_id = f.id)"
    )


def _summarize(bounds: str) -> str:
    """INSERT ... SELECT of the summary rows of the families of `bounds` (family_id,
    first_month, last_month; only families with income)."""
    return (
        f"INSERT INTO {SUMMARY} "
        "(family_id, first_month, first_total, last_month, last_total) "
        "SELECT bounds.family_id, bounds.first_month, "
        f"(SELECT SUM(r.amount) FROM {INCOME} r WHERE r.family_id = bounds.family_id "
        "AND r.month = bounds.first_month), bounds.last_month, "
        f"(SELECT SUM(r.amount) FROM {INCOME} r WHERE r.family_id = bounds.family_id "
        "AND r.month = bounds.last_month) "
        f"FROM ({bounds}) bounds"
    )


def _sqlite_refresh(family: str) -> str:
    return f"DELETE FROM {SUMMARY} WHERE family_id = {family}; " + _summarize(
        _bounds_of(f"(SELECT {family} AS id) f")
    )


_SQLITE_TRIGGERS = {
    f"{TRIGGER}_insert": f"AFTER INSERT ON {INCOME} BEGIN {_sqlite_refresh('new.family_id')}; END",
    f"{TRIGGER}_delete": f"AFTER DELETE ON {INCOME} BEGIN {_sqlite_refresh('old.family_id')}; END",
    f"{TRIGGER}_update": (
        f"AFTER UPDATE OF family_id, month, amount ON {INCOME} BEGIN "
        f"{_sqlite_refresh('old.family_id')}; {_sqlite_refresh('new.family_id')}; END"
    ),
}


def _pg_function(name: str, statements: str) -> str:
    """A statement-level trigger function: `statements` run once for all the families the
    statement touched (`families`, both families of a row moved from one to another),
    after locking their rows in the order of their ids. Once per statement, not per row:
    a payroll approval COPYs thousands of income records in one statement.

    The lock makes a second transaction writing the same family wait until the first has
    committed; its next statement then sees the first one's records (READ COMMITTED). A
    row lock rather than an advisory lock: a payroll approval touches thousands of
    families in one transaction, more advisory locks than PostgreSQL's shared lock table
    holds. FOR NO KEY UPDATE does not conflict with the key-share locks of foreign-key
    checks, so records and members can still be added to the family meanwhile."""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    families bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT family_id) INTO families FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT family_id) INTO families FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT family_id) INTO families FROM (
            SELECT family_id FROM old_rows UNION ALL SELECT family_id FROM new_rows
        ) moved;
    END IF;
    IF families IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM {FAMILY} WHERE id = ANY (families) ORDER BY id FOR NO KEY UPDATE;
    {statements};
    RETURN NULL;
END
$$
"""


def _pg_triggers(name: str, table: str) -> list[str]:
    """One trigger a kind of statement, each with the rows it changed."""
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


_PG_STATEMENTS = [
    _pg_function(
        TRIGGER,
        f"DELETE FROM {SUMMARY} WHERE family_id = ANY (families); "
        + _summarize(_bounds_of("unnest(families) AS f (id)")),
    ),
    *_pg_triggers(TRIGGER, INCOME),
]
_PG_TRIGGERS = {(f"{TRIGGER}_{kind}", INCOME) for kind in ("insert", "update", "delete")}


def _has_triggers(cursor, vendor: str) -> bool:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [INCOME],
        )
        return set(_SQLITE_TRIGGERS) <= {row[0] for row in cursor.fetchall()}
    cursor.execute(
        "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname = ANY (%s)",
        [[name for name, _table in _PG_TRIGGERS]],
    )
    return set(cursor.fetchall()) >= _PG_TRIGGERS


def create_triggers(using: str = "default") -> None:
    """(Re)create the triggers that keep the summary right."""
    connection = connections[using]
    with connection.cursor() as cursor:
        drop_triggers(using)
        if connection.vendor == "sqlite":
            for name, body in _SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        elif connection.vendor == "postgresql":
            for statement in _PG_STATEMENTS:
                cursor.execute(statement)


def drop_triggers(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for name, table in _PG_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def rebuild(using: str = "default") -> None:
    """Write the whole summary again from the income records (one statement each way)."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(_summarize(ALL_BOUNDS))


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
    tables = connections[using].introspection.table_names()
    if {SUMMARY, INCOME} <= set(tables):
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
