from __future__ import annotations

from django.contrib import admin

from reference.models import ClimateNormal, GroundwaterRule, ReferenceValue


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
