from __future__ import annotations

from django.contrib import admin

from ingest.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "region", "kind", "file_name", "state", "row_count", "uploaded_by")
    list_filter = ("region", "state", "kind")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # batches come from the upload page, through the importer
