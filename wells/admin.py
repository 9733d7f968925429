from __future__ import annotations

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from wells.models import (
    Borehole,
    GeologicalLayer,
    GroundwaterLevel,
    PumpingTest,
    TemperatureLog,
    ThermalResponseTest,
    WaterChemistrySample,
    WellInterval,
)


class LayerInline(admin.TabularInline):
    model = GeologicalLayer
    extra = 0
    fields = ("top_m", "bottom_m", "lithology", "lithology_text", "hydro_role", "published")


class IntervalInline(admin.TabularInline):
    model = WellInterval
    extra = 0
    fields = ("kind", "top_m", "bottom_m", "description", "published")


@admin.register(Borehole)
class BoreholeAdmin(LeafletGeoAdmin):
    list_display = ("code", "region", "purpose", "depth_m", "published", "is_synthetic", "batch")
    list_filter = ("region", "purpose", "published", "is_synthetic")
    search_fields = ("code", "name")
    readonly_fields = ("batch", "created_at", "updated_at")
    inlines = (LayerInline, IntervalInline)


@admin.register(GroundwaterLevel)
class GroundwaterLevelAdmin(admin.ModelAdmin):
    list_display = ("borehole", "measured_at", "depth_to_water_m", "aquifer", "published")
    list_filter = ("region", "published")
    search_fields = ("borehole__code",)
    readonly_fields = ("batch",)


for model in (TemperatureLog, WaterChemistrySample, ThermalResponseTest, PumpingTest):
    admin.site.register(
        model,
        list_display=("borehole", "region", "published", "batch"),
        list_filter=("region", "published"),
        search_fields=("borehole__code",),
        readonly_fields=("batch",),
    )
