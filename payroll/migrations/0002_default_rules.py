from django.db import migrations


def load(apps, schema_editor):
    from payroll.rules_defaults import DEFAULT_RULES

    StatutoryRule = apps.get_model("payroll", "StatutoryRule")
    for kind, value, start, end, source in DEFAULT_RULES:
        StatutoryRule.objects.get_or_create(
            kind=kind,
            effective_from=start,
            defaults={"value": value, "effective_to": end, "source": source},
        )


def unload(apps, schema_editor):
    apps.get_model("payroll", "StatutoryRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
