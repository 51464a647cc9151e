"""The programme's three social centres ship as data."""

from django.db import migrations

BRANCHES = [
    ("Tashkent", "TAS", "Tashkent"),
    ("Urgench", "URG", "Urgench"),
    ("Samarkand", "SAM", "Samarkand"),
]


def add_branches(apps, schema_editor):
    Branch = apps.get_model("beneficiaries", "Branch")
    for name, code, city in BRANCHES:
        Branch.objects.get_or_create(code=code, defaults={"name": name, "city": city})


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial")]

    operations = [migrations.RunPython(add_branches, migrations.RunPython.noop)]
