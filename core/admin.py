from __future__ import annotations

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from core.models import ImportBatch, Job, Region


@admin.register(Region)
class RegionAdmin(LeafletGeoAdmin):
    list_display = ("code", "name_en", "name_ja", "raster_crs_epsg", "currency", "published")
    list_filter = ("published",)
    search_fields = ("code", "name_en", "name_ja", "name_ru", "name_tg")
    readonly_fields = ("area_m2", "steward_group", "created_at", "updated_at")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "progress", "region", "created_by", "created_at")
    list_filter = ("state", "kind", "region")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # jobs are created by the code that queues them


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "region", "kind", "file_name", "state", "row_count", "uploaded_by")
    list_filter = ("region", "state", "kind")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # batches come from the upload page, through the importer
