"""Seed the thermal properties of each lithology class.

λ range and design value, and volumetric heat capacity, for water-saturated ground unless the
name says otherwise, after VDI 4640 Blatt 1 (2010), Table B1 (literature: not verified against
a stored copy of the standard; check before citing). VDI 4640 Blatt 2 (2001) gives the
matching classes (λ < 1.5, 1.5–3.0, > 3.0 W/(m·K)). Classes the table does not
name (fill, topsoil, pumice, weathered rock, unclassified) carry inferred values, said so.
Admins edit these rows; every change should keep a source.
"""

from django.db import migrations

VDI = "VDI 4640-1:2010 Table B1 (literature; check before citing)"
INFERRED = "inferred from VDI 4640-1 classes; replace with measured values"
MJ = 1e6  # J per MJ

# lithology, λ min, λ design, λ max [W/(m·K)], volumetric heat capacity [J/(m³·K)], source
PROPERTIES = [
    ("clay", 1.1, 1.8, 3.1, 2.4 * MJ, VDI + ": clay/silt, water-saturated"),
    ("silt", 1.1, 1.8, 3.1, 2.4 * MJ, VDI + ": clay/silt, water-saturated"),
    ("loam", 0.9, 1.5, 2.3, 2.2 * MJ, INFERRED + " (clay/silt, moist)"),
    ("loess", 0.4, 1.0, 1.9, 1.8 * MJ, INFERRED + " (clay/silt between dry and moist)"),
    ("peat", 0.2, 0.4, 0.7, 2.2 * MJ, VDI + ": peat"),
    ("sand", 1.5, 2.4, 4.0, 2.5 * MJ, VDI + ": sand, water-saturated"),
    ("gravel", 1.6, 1.8, 2.5, 2.4 * MJ, VDI + ": gravel and stones, water-saturated"),
    ("sandy_gravel", 1.6, 2.0, 3.0, 2.4 * MJ, INFERRED + " (between sand and gravel, saturated)"),
    ("cobbles", 1.6, 1.8, 2.5, 2.4 * MJ, VDI + ": gravel and stones, water-saturated"),
    ("fill", 0.4, 1.0, 2.0, 1.8 * MJ, INFERRED + " (mixed made ground, partly dry)"),
    ("topsoil", 0.4, 0.8, 1.5, 1.8 * MJ, INFERRED + " (organic, partly dry)"),
    ("pumice", 0.3, 0.8, 1.5, 1.6 * MJ, INFERRED + " (porous volcanic ejecta)"),
    ("mudstone", 1.1, 2.2, 3.5, 2.3 * MJ, VDI + ": claystone/siltstone"),
    ("sandstone", 1.3, 2.3, 5.1, 2.2 * MJ, VDI + ": sandstone"),
    ("conglomerate", 1.3, 2.3, 5.1, 2.2 * MJ, VDI + ": conglomerate/breccia"),
    ("limestone", 2.0, 2.7, 3.9, 2.3 * MJ, VDI + ": limestone (massive)"),
    ("tuff", 1.1, 1.1, 1.5, 1.6 * MJ, VDI + ": tuff"),
    ("andesite", 1.3, 1.7, 2.3, 2.4 * MJ, INFERRED + " (as basalt)"),
    ("basalt", 1.3, 1.7, 2.3, 2.4 * MJ, VDI + ": basalt"),
    ("granite", 2.1, 3.2, 4.1, 2.4 * MJ, VDI + ": granite"),
    ("schist", 1.5, 2.0, 3.1, 2.3 * MJ, VDI + ": mica schist"),
    ("gneiss", 1.9, 2.9, 4.0, 2.1 * MJ, VDI + ": gneiss"),
    ("weathered_rock", 1.0, 1.6, 2.5, 2.2 * MJ, INFERRED + " (between soil and fresh rock)"),
    ("unclassified", 0.5, 1.5, 3.0, 2.2 * MJ, INFERRED + " (the normal VDI 4640-2 class)"),
]


def seed(apps, schema_editor):
    Property = apps.get_model("geology", "LithologyThermalProperty")
    for lithology, low, typical, high, heat_capacity, source in PROPERTIES:
        Property.objects.update_or_create(
            lithology=lithology,
            defaults={
                "conductivity_min_w_per_m_k": low,
                "conductivity_typical_w_per_m_k": typical,
                "conductivity_max_w_per_m_k": high,
                "volumetric_heat_capacity_j_per_m3_k": heat_capacity,
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("geology", "0002_lithology_more")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
