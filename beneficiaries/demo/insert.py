"""Fast inserts for the demo seeders: 100,000 families are some 10 million rows.

`QuerySet.bulk_create` compiles SQL for every value of every object, which is most of the
seeding time at that size. `insert_objects` gives the unsaved objects their ids from the
table's highest one (the demo runs in one transaction), inserts them with one prepared
statement per batch, and moves the PostgreSQL sequence past them. Only dates, times,
amounts and JSON go through their field's conversion (cached per value); ids, numbers,
text and booleans go as they are. No signals are sent and no history is written, as with
bulk_create. Demo data only: nothing else may write rows behind the ORM's back.
"""

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Max

BATCH = 5000
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
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(opts.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
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
            cursor.executemany(sql, rows)
        for statement in db.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
    return objects
