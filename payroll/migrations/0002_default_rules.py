from django.db import migrations


def load(apps, schema_editor):
    from payroll.rules_defaults import load_default_rules

    load_default_rules(apps.get_model("payroll", "StatutoryRule"))


def unload(apps, schema_editor):
    apps.get_model("payroll", "StatutoryRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
