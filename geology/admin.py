from __future__ import annotations

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from geology.models import GeologicalUnit, LithologyThermalProperty


@admin.register(GeologicalUnit)
class GeologicalUnitAdmin(LeafletGeoAdmin):
    list_display = ("code", "name_en", "name_ja", "region", "is_schematic", "published")
    list_filter = ("region", "is_schematic", "published")


@admin.register(LithologyThermalProperty)
class LithologyThermalPropertyAdmin(admin.ModelAdmin):
    list_display = (
        "lithology",
        "conductivity_min_w_per_m_k",
        "conductivity_typical_w_per_m_k",
        "conductivity_max_w_per_m_k",
        "volumetric_heat_capacity_j_per_m3_k",
        "source",
    )
