from django.contrib.gis import admin

from monitoring.models import (
    Alert,
    AlertRule,
    GroundSourceSystem,
    MonitoringPeriod,
    Sensor,
    SystemWell,
)


class SensorInline(admin.TabularInline):
    model = Sensor
    extra = 0


class WellInline(admin.TabularInline):
    model = SystemWell
    extra = 0
    raw_id_fields = ["borehole"]


class PeriodInline(admin.TabularInline):
    model = MonitoringPeriod
    extra = 0


@admin.register(GroundSourceSystem)
class GroundSourceSystemAdmin(admin.GISModelAdmin):
    list_display = ["code", "name", "region", "loop", "published"]
    list_filter = ["region", "loop", "published"]
    inlines = [WellInline, SensorInline, PeriodInline]


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "severity", "system", "region", "loop", "enabled"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["system", "rule", "severity", "started_at", "ended_at", "notified_at"]
    readonly_fields = ["first_seen_at", "last_seen_at"]
