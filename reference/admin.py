from __future__ import annotations

from django.contrib import admin

from reference.models import (
    Baseline,
    ClimateNormal,
    GroundwaterRule,
    ReferenceSystem,
    ReferenceValue,
    SubsidyProgramme,
)


@admin.register(ReferenceValue)
class ReferenceValueAdmin(admin.ModelAdmin):
    list_display = ("key", "country", "region", "value", "unit", "valid_from", "provenance")
    list_filter = ("country", "provenance", "key")
    search_fields = ("key", "source")


@admin.register(ClimateNormal)
class ClimateNormalAdmin(admin.ModelAdmin):
    list_display = ("station", "region", "period", "annual_mean_air_temperature_k", "provenance")
    list_filter = ("region",)


@admin.register(GroundwaterRule)
class GroundwaterRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "region", "jurisdiction", "method", "source")
    list_filter = ("region", "method")


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ("code", "region", "mode", "carrier", "efficiency", "is_default", "provenance")
    list_filter = ("region", "mode", "carrier")


@admin.register(SubsidyProgramme)
class SubsidyProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "region", "fiscal_year", "rate", "cap", "currency")
    list_filter = ("region", "fiscal_year")


@admin.register(ReferenceSystem)
class ReferenceSystemAdmin(admin.ModelAdmin):
    list_display = ("code", "region", "borehole_count", "borehole_length_m", "heat_rate_w")
    list_filter = ("region",)
