"""The database's own lock on approved payroll (payroll/locks.py): the override table and the
triggers, per vendor (`schema_editor.connection.vendor`: SQLite row triggers, PostgreSQL
statement triggers). SQLite drops a table's triggers when a later migration rebuilds the
table; `payroll.locks.ensure_after_migrate` puts them back after every migrate."""

from django.db import migrations


def create(apps, schema_editor):
    from payroll import locks

    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        locks.create_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from payroll import locks

    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        locks.drop_triggers(schema_editor.connection)
        schema_editor.execute(locks.DROP_OVERRIDE)


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0004_line_history"),
        ("beneficiaries", "0013_income_summary_without_members"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
