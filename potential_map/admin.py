from __future__ import annotations

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from potential_map.models import ClimateStation


@admin.register(ClimateStation)
class ClimateStationAdmin(LeafletGeoAdmin):
    list_display = (
        "code",
        "name",
        "region",
        "elevation_m",
        "annual_mean_air_temperature_k",
        "temperature_provenance",
        "published",
    )
    list_filter = ("region", "temperature_provenance", "published")
