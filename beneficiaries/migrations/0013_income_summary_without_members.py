# A family's member count is kept in one place, Family.member_count (written by
# beneficiaries.family_search.refresh); the income summary drops its copy.

from django.db import migrations

SUMMARY_TRIGGER = "beneficiaries_income_summary"
MEMBERS_TRIGGER = "beneficiaries_income_summary_members"
INCOME = "beneficiaries_incomerecord"
PERSON = "beneficiaries_person"
KINDS = ("insert", "update", "delete")


def drop_triggers(apps, schema_editor):
    """The triggers that write the column go before it: SQLite checks every trigger that
    names a table's column when the column is dropped. The income triggers come back
    without the column after the migrate (beneficiaries.income_summary.ensure_after_migrate,
    which then also rebuilds the summary); those on the members' table do not."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for kind in KINDS:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {MEMBERS_TRIGGER}_{kind}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {SUMMARY_TRIGGER}_{kind}")
            elif connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {MEMBERS_TRIGGER}_{kind} ON {PERSON}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {SUMMARY_TRIGGER}_{kind} ON {INCOME}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {MEMBERS_TRIGGER}()")


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0012_wellbeing_leaves_the_core"),
    ]

    # Backwards too, the triggers go before the column comes back (SQLite rebuilds the table
    # and checks the income table's triggers that name it). Going back leaves the summary
    # without triggers, as it was before `migrate` had recreated them.
    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.RemoveField(model_name="familyincomesummary", name="members"),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
