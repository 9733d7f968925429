"""The default alert rules, as data (stewards and admins edit or add rules in the admin)."""

from django.db import migrations

RULES = [
    # GL-T20: a sustained period at or below 0 °C; the window is each system's setting
    ("Freeze risk (GL-T20)", "freeze", "critical", "closed", {"threshold_k": 273.15, "window_s": 86400.0}),
    # ETV-052-2101 §3.3(4): a backwash at most every 72 h of running
    ("Backwash overdue (ETV-052-2101)", "backwash_overdue", "warning", "open", {"max_s": 259200.0, "min_excess_s": 1800.0}),
    # ETV-052-2101 §7.5: forced drainage is the clogging sign
    ("Forced drainage (clogging)", "forced_drainage", "warning", "open", {"min_m3": 0.0}),
    # ETV-052-2101 §7.5(2): a sudden rise of the reinjection level (threshold inferred)
    ("Reinjection level rising (clogging)", "clogging", "warning", "open", {"rise_m": 0.5, "baseline_days": 7}),
    # inferred from ETV-052-2101 Table 7-3 (⑯ against ⑰): meters that do not balance
    ("Heat balance does not close", "energy_balance", "info", "", {"tolerance": 0.02}),
    # inferred: three days below the commercial air-conditioning heating baseline (ETV tbl 5-2)
    ("Low daily COP", "cop_below", "warning", "", {"value": 2.2, "days": 3}),
]


def add(apps, schema_editor):
    AlertRule = apps.get_model("monitoring", "AlertRule")
    for name, kind, severity, loop, parameters in RULES:
        AlertRule.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "severity": severity, "loop": loop, "parameters": parameters},
        )


def remove(apps, schema_editor):
    AlertRule = apps.get_model("monitoring", "AlertRule")
    AlertRule.objects.filter(name__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_reading_table")]

    operations = [migrations.RunPython(add, remove)]
