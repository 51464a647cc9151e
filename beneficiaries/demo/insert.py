"""Fast inserts for the demo seeders: 100,000 families are some 10 million rows.

`QuerySet.bulk_create` compiles SQL for every value of every object, which is most of the
seeding time at that size. `insert_objects` gives the unsaved objects their ids from the
table's highest one (the demo runs in one transaction), inserts them with one prepared
statement per batch (on PostgreSQL one COPY per batch: `write_rows`), and moves the
PostgreSQL sequence past them. Only dates, times,
amounts and JSON go through their field's conversion (cached per value); ids, numbers,
text and booleans go as they are. No signals are sent and no history is written, as with
bulk_create. Demo data only: nothing else may write rows behind the ORM's back.
"""

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Max

BATCH = 5000
# PostgreSQL loads the rows with COPY; False sends them as before, one INSERT a row
# (tests/beneficiaries/test_seed_demo.py holds the two to the same content).
USE_COPY = True
CONVERTED = (models.DateField, models.DecimalField, models.JSONField, models.UUIDField)


def insert_objects(model, objects: list, *, batch: int = BATCH) -> list:
    """Insert unsaved `model` instances; they get their primary keys. Returns `objects`."""
    if not objects:
        return objects
    db = connections[DEFAULT_DB_ALIAS]
    opts = model._meta
    pk = opts.pk
    first_id = (model.objects.aggregate(top=Max(pk.attname))["top"] or 0) + 1
    for offset, obj in enumerate(objects):
        setattr(obj, pk.attname, first_id + offset)
        obj._state.adding = False
        obj._state.db = db.alias
    fields = [field for field in opts.concrete_fields if not field.generated]
    sql = insert_sql(db, opts.db_table, [field.column for field in fields])
    auto = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    converted = [
        (index, field)
        for index, field in enumerate(fields)
        if isinstance(field, CONVERTED) and not field.is_relation
    ]
    attnames = [field.attname for field in fields]
    columns = [field.column for field in fields]
    cache: dict = {}
    with db.cursor() as cursor:
        for start in range(0, len(objects), batch):
            rows = []
            for obj in objects[start : start + batch]:
                for field in auto:
                    field.pre_save(obj, add=True)
                row = [getattr(obj, name) for name in attnames]
                for index, field in converted:
                    value = row[index]
                    if value is None:
                        continue
                    try:
                        key = (index, value)
                        if key not in cache:
                            cache[key] = field.get_db_prep_save(value, db)
                        row[index] = cache[key]
                    except TypeError:  # unhashable (JSON)
                        row[index] = field.get_db_prep_save(value, db)
                rows.append(row)
            write_rows(cursor, opts.db_table, columns, rows, sql=sql)
        for statement in db.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
    return objects


def insert_sql(db, table: str, columns: list[str]) -> str:
    """The one-row INSERT that SQLite runs once a row (a prepared statement)."""
    quote = db.ops.quote_name
    return "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )


def write_rows(cursor, table: str, columns: list[str], rows: list, *, sql: str | None = None):
    """Insert `rows` (values already prepared for the database) into `table`'s `columns`
    through a Django cursor. SQLite: one prepared statement run for every row, in process,
    which is its fastest way. PostgreSQL: one COPY of all the rows. Django's psycopg
    cursors bind on the client, so `executemany` sent one statement a row, each a round
    trip through the pipeline (a 100,000-family seed took 20 minutes, most of it there)."""
    if not rows:
        return
    db = cursor.db
    if db.vendor != "postgresql" or not USE_COPY:
        cursor.executemany(sql or insert_sql(db, table, columns), rows)
        return
    quote = db.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(table), ", ".join(quote(column) for column in columns)
    )
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
