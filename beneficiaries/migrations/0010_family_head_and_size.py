from django.db import migrations, models


def fill_head_and_size(apps, schema_editor):
    # The app's function with the two columns added here (see 0007).
    from beneficiaries import search as family_search

    Family = apps.get_model("beneficiaries", "Family")
    using = schema_editor.connection.alias
    ids = Family.objects.using(using).values_list("pk", flat=True)
    family_search.refresh(list(ids), using=using, columns=["head_name", "member_count"])


def refresh_statistics(apps, schema_editor):
    # SQLite rebuilt the table to add the columns and lost its planner statistics: without
    # them a caseworker's own fifty families were found by reading the branch's 45,000
    # (85 ms at 100,000 families until the nightly job's ANALYZE, instead of under 1 ms).
    connection = schema_editor.connection
    table = apps.get_model("beneficiaries", "Family")._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute(f"ANALYZE {table}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0009_merge_search_text_report_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="family",
            name="head_name",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=200,
                verbose_name="head of household",
            ),
        ),
        migrations.AddField(
            model_name="family",
            name="member_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="members"),
        ),
        # Filled before the indexes are built: 100,000 updates do not each update them.
        migrations.RunPython(fill_head_and_size, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="family",
            index=models.Index(fields=["branch", "head_name", "id"], name="family_branch_head_idx"),
        ),
        migrations.AddIndex(
            model_name="family",
            index=models.Index(fields=["head_name", "id"], name="family_head_idx"),
        ),
        migrations.AddIndex(
            model_name="family",
            index=models.Index(
                fields=["branch", "member_count", "id"], name="family_branch_size_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="family",
            index=models.Index(fields=["member_count", "id"], name="family_size_idx"),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
