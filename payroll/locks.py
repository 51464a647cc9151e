"""An approved payroll is locked by the database itself, whoever writes.

The models, services, forms and admin refuse to change an approved run; a queryset
`update()`, a `bulk_create`, the admin's history revert or plain SQL would not ask them.
So triggers on both databases refuse, for every statement:

- a run born anything but a draft;
- any change to a locked (approved, paid or reversed) run other than the steps it may
  still take: approved → paid, approved or paid → reversed, each filling only its own
  fields (the payment once, the reversal once); never back to draft, never its figures,
  its month, its preparer or its approver (a user deleted later may leave them empty);
  and deleting it;
- inserting, changing or deleting a locked run's timesheet lines, adjustments or payslips;
- reversal lines other than new ones for the payslips of a run already marked reversed
  (the reversal service marks the run first, then writes them); none changes or goes;
- income records whose origin is a payslip or a reversal line: written once, when the run
  is approved (payslips of an approved run) or reversed (lines of a reversed run), never
  changed or deleted afterwards.

The legitimate path passes because it never rewrites anything: approval writes new income
records, a reversal writes new reversal lines and new, offsetting income records, and the
month's re-run is a new run.

A deliberate exception (the demo's reset, a test database's flush on SQLite, which empties
tables with DELETE) runs inside `overridden()`: a row in `payroll_lock_override`, inserted and
removed within one transaction, so no other connection ever sees it. It is the one way past
the lock short of dropping the triggers, and it has to be written on purpose.

On SQLite the triggers are row triggers; on PostgreSQL statement triggers over the
statement's rows (a payroll approval COPYs thousands of income records in one statement).
SQLite drops a table's triggers when a migration rebuilds the table, so they are created
again after every `migrate` (`ensure_after_migrate`), as the income summary's are.
"""

from contextlib import contextmanager

from django.db import connections, transaction

RUN = "payroll_payrollrun"
LINES = (
    "payroll_timesheetentry",
    "payroll_adjustment",
    "payroll_payslip",
    "payroll_advance",
    "payroll_payslipdeduction",
)
PAYSLIP = "payroll_payslip"
REVERSAL = "payroll_reversalline"
INCOME = "beneficiaries_incomerecord"
OVERRIDE = "payroll_lock_override"
PREFIX = "payroll_lock"
MESSAGE = (
    "payroll_locked: an approved payroll run, its timesheet, payslips, reversal lines and "
    "income records do not change"
)
LOCKED = "('approved', 'paid', 'reversed')"
# Changed by nothing once a run is approved.
FROZEN = (
    "id",
    "enterprise_id",
    "month",
    "working_days",
    "headcount",
    "gross_total",
    "income_tax_total",
    "inps_total",
    "net_total",
    "social_tax_total",
    "cost_total",
    "warnings",
    "generated_at",
    "approved_at",
)
# Who prepared and approved it: they stay, unless the user is deleted (SET NULL).
FROZEN_PEOPLE = ("generated_by_id", "approved_by_id")

CREATE_OVERRIDE = f"CREATE TABLE IF NOT EXISTS {OVERRIDE} (reason varchar(200) NOT NULL)"
DROP_OVERRIDE = f"DROP TABLE IF EXISTS {OVERRIDE}"
NOT_OVERRIDDEN = f"NOT EXISTS (SELECT 1 FROM {OVERRIDE})"


def _content_type(model: str) -> str:
    return f"(SELECT id FROM django_content_type WHERE app_label = 'payroll' AND model = '{model}')"


PAYSLIP_TYPE = _content_type("payslip")
REVERSAL_TYPE = _content_type("reversalline")


def _run_changed(o: str, n: str, differs: str) -> str:
    """SQL true when the locked run `o` (old row) may not become `n` (new row)."""
    frozen = " OR ".join(f"{n}.{c} {differs} {o}.{c}" for c in FROZEN)
    people = " OR ".join(
        f"({n}.{c} {differs} {o}.{c} AND {n}.{c} IS NOT NULL)" for c in FROZEN_PEOPLE
    )
    allowed_step = (
        f"({o}.status = 'approved' AND {n}.status IN ('paid', 'reversed')) "
        f"OR ({o}.status = 'paid' AND {n}.status = 'reversed')"
    )
    paid_again = (
        f"({o}.status IN ('paid', 'reversed') AND ({n}.paid_on {differs} {o}.paid_on "
        f"OR ({n}.paid_by_id {differs} {o}.paid_by_id AND {n}.paid_by_id IS NOT NULL)))"
    )
    reversed_again = (
        f"({o}.status = 'reversed' AND ({n}.reversed_at {differs} {o}.reversed_at "
        f"OR {n}.reversal_reason {differs} {o}.reversal_reason "
        f"OR ({n}.reversed_by_id {differs} {o}.reversed_by_id AND {n}.reversed_by_id IS NOT NULL)))"
    )
    return (
        f"{o}.status IN {LOCKED} AND ({frozen} OR {people} "
        f"OR ({n}.status {differs} {o}.status AND NOT ({allowed_step})) "
        f"OR {paid_again} OR {reversed_again})"
    )


def _run_is_locked(run_id: str) -> str:
    return f"EXISTS (SELECT 1 FROM {RUN} r WHERE r.id = {run_id} AND r.status IN {LOCKED})"


def _payslip_of_run(payslip_id: str, status: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {PAYSLIP} p JOIN {RUN} r ON r.id = p.run_id "
        f"WHERE p.id = {payslip_id} AND r.status = '{status}')"
    )


def _line_of_reversed_run(line_id: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {REVERSAL} l JOIN {PAYSLIP} p ON p.id = l.payslip_id "
        f"JOIN {RUN} r ON r.id = p.run_id WHERE l.id = {line_id} AND r.status = 'reversed')"
    )


def _income_not_written_by_its_run(row: str) -> str:
    """A payroll income record that its run's approval or reversal did not write."""
    return (
        f"({row}.origin_type_id = {PAYSLIP_TYPE} AND NOT "
        f"{_payslip_of_run(f'{row}.origin_id', 'approved')}) OR "
        f"({row}.origin_type_id = {REVERSAL_TYPE} AND NOT "
        f"{_line_of_reversed_run(f'{row}.origin_id')})"
    )


def _payroll_income(row: str) -> str:
    return f"{row}.origin_type_id IN ({PAYSLIP_TYPE}, {REVERSAL_TYPE})"


# --- SQLite: BEFORE row triggers that abort the statement ------------------------------------


def _sqlite_trigger(name: str, event: str, table: str, when: str) -> tuple[str, str]:
    return (
        f"{PREFIX}_{name}",
        f"BEFORE {event} ON {table} FOR EACH ROW WHEN {NOT_OVERRIDDEN} AND ({when}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    )


def _sqlite_triggers(lines=LINES) -> dict[str, str]:
    triggers = [
        _sqlite_trigger("run_insert", "INSERT", RUN, "NEW.status <> 'draft'"),
        _sqlite_trigger("run_update", "UPDATE", RUN, _run_changed("OLD", "NEW", "IS NOT")),
        _sqlite_trigger("run_delete", "DELETE", RUN, f"OLD.status IN {LOCKED}"),
        _sqlite_trigger(
            "reversal_insert",
            "INSERT",
            REVERSAL,
            f"NOT {_payslip_of_run('NEW.payslip_id', 'reversed')}",
        ),
        _sqlite_trigger("reversal_update", "UPDATE", REVERSAL, "1"),
        _sqlite_trigger("reversal_delete", "DELETE", REVERSAL, "1"),
        _sqlite_trigger("income_insert", "INSERT", INCOME, _income_not_written_by_its_run("NEW")),
        _sqlite_trigger(
            "income_update",
            "UPDATE",
            INCOME,
            f"{_payroll_income('OLD')} OR {_payroll_income('NEW')}",
        ),
        _sqlite_trigger("income_delete", "DELETE", INCOME, _payroll_income("OLD")),
    ]
    for table in lines:
        short = table.removeprefix("payroll_")
        triggers += [
            _sqlite_trigger(f"{short}_insert", "INSERT", table, _run_is_locked("NEW.run_id")),
            _sqlite_trigger(
                f"{short}_update",
                "UPDATE",
                table,
                f"{_run_is_locked('OLD.run_id')} OR {_run_is_locked('NEW.run_id')}",
            ),
            _sqlite_trigger(f"{short}_delete", "DELETE", table, _run_is_locked("OLD.run_id")),
        ]
    return dict(triggers)


# --- PostgreSQL: AFTER statement triggers over the statement's rows --------------------------


def _pg_function(name: str, *, on_insert: str, on_update: str, on_delete: str) -> str:
    """A trigger function raising when the statement's rows (`new_rows`, `old_rows`) hold a
    row the lock refuses: each `on_*` is a query whose rows are the refused ones."""
    return f"""
CREATE OR REPLACE FUNCTION {PREFIX}_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    refused boolean;
BEGIN
    IF EXISTS (SELECT 1 FROM {OVERRIDE}) THEN
        RETURN NULL;
    END IF;
    -- One branch a kind of statement: a query is planned when first run, and only the
    -- statement's own transition tables exist.
    IF TG_OP = 'INSERT' THEN
        refused := EXISTS ({on_insert});
    ELSIF TG_OP = 'UPDATE' THEN
        refused := EXISTS ({on_update});
    ELSE
        refused := EXISTS ({on_delete});
    END IF;
    IF refused THEN
        RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = '{MESSAGE}';
    END IF;
    RETURN NULL;
END
$$
"""


def _pg_triggers(name: str, table: str) -> list[str]:
    function = f"{PREFIX}_{name}"
    return [
        f"CREATE TRIGGER {function}_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {function}_update AFTER UPDATE ON {table} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {function}_delete AFTER DELETE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


def _pg_tables(lines=LINES) -> dict[str, str]:
    tables = {"run": RUN, "reversal": REVERSAL, "income": INCOME}
    tables.update({table.removeprefix("payroll_"): table for table in lines})
    return tables


def _pg_statements(lines=LINES) -> list[str]:
    # An id that left the old rows is a run deleted (or renumbered): the same as deleting it.
    run_update = (
        "SELECT 1 FROM old_rows o LEFT JOIN new_rows n ON n.id = o.id WHERE "
        f"(n.id IS NULL AND o.status IN {LOCKED}) OR ({_run_changed('o', 'n', 'IS DISTINCT FROM')})"
    )
    statements = [
        _pg_function(
            "run",
            on_insert="SELECT 1 FROM new_rows WHERE status <> 'draft'",
            on_update=run_update,
            on_delete=f"SELECT 1 FROM old_rows WHERE status IN {LOCKED}",
        ),
        _pg_function(
            "reversal",
            on_insert=(
                f"SELECT 1 FROM new_rows n WHERE NOT {_payslip_of_run('n.payslip_id', 'reversed')}"
            ),
            on_update="SELECT 1 FROM old_rows",
            on_delete="SELECT 1 FROM old_rows",
        ),
        _pg_function(
            "income",
            on_insert=f"SELECT 1 FROM new_rows n WHERE {_income_not_written_by_its_run('n')}",
            on_update=(
                f"SELECT 1 FROM old_rows o WHERE {_payroll_income('o')} "
                f"UNION ALL SELECT 1 FROM new_rows n WHERE {_payroll_income('n')}"
            ),
            on_delete=f"SELECT 1 FROM old_rows o WHERE {_payroll_income('o')}",
        ),
    ]
    for table in lines:
        short = table.removeprefix("payroll_")
        statements.append(
            _pg_function(
                short,
                on_insert=f"SELECT 1 FROM new_rows n WHERE {_run_is_locked('n.run_id')}",
                on_update=(
                    f"SELECT 1 FROM old_rows o WHERE {_run_is_locked('o.run_id')} "
                    f"UNION ALL SELECT 1 FROM new_rows n WHERE {_run_is_locked('n.run_id')}"
                ),
                on_delete=f"SELECT 1 FROM old_rows o WHERE {_run_is_locked('o.run_id')}",
            )
        )
    for name, table in _pg_tables(lines).items():
        statements += _pg_triggers(name, table)
    return statements


def _pg_trigger_names(lines=LINES) -> list[tuple[str, str]]:
    return [
        (f"{PREFIX}_{name}_{kind}", table)
        for name, table in _pg_tables(lines).items()
        for kind in ("insert", "update", "delete")
    ]


def create_triggers(connection) -> None:
    """(Re)create the override table and the triggers on `connection` (a migration's
    `schema_editor.connection`, or `connections[alias]`)."""
    drop_triggers(connection)
    lines = _lines_present(connection)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_OVERRIDE)
        if connection.vendor == "sqlite":
            for name, body in _sqlite_triggers(lines).items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        elif connection.vendor == "postgresql":
            for statement in _pg_statements(lines):
                cursor.execute(statement)


def _lines_present(connection) -> tuple[str, ...]:
    """The line tables that exist: an earlier migration (re)creates the triggers before a
    later one adds a table (the advances and deductions of 0009), which gets them then."""
    tables = set(connection.introspection.table_names())
    return tuple(table for table in LINES if table in tables)


def drop_triggers(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _sqlite_triggers():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for name, table in _pg_trigger_names(_lines_present(connection)):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def present(connection) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return set(_sqlite_triggers()) <= {row[0] for row in cursor.fetchall()}
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s",
                [f"{PREFIX}_%"],
            )
            return set(_pg_trigger_names()) <= set(cursor.fetchall())
    return True


def ensure_after_migrate(sender, using="default", **kwargs):
    """After every migrate: the triggers back where a table rebuild (SQLite) dropped them."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if not {RUN, INCOME, REVERSAL, *LINES} <= set(connection.introspection.table_names()):
        return
    with transaction.atomic(using=using):
        create_triggers(connection)  # again, in case this version's text differs


@contextmanager
def overridden(reason: str, using: str = "default"):
    """Lift the lock for the block, on this connection's transaction only (see the module's
    docstring): for the demo's reset and a test database's flush, never for a correction."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"INSERT INTO {OVERRIDE} (reason) VALUES (%s)", [reason[:200]])
        yield  # an error rolls the block back, the override row with it
        cursor.execute(f"DELETE FROM {OVERRIDE}")


OVERRIDE_FLUSH = (
    f"INSERT INTO {OVERRIDE} (reason) VALUES ('flush')",
    f"DELETE FROM {OVERRIDE}",
)
