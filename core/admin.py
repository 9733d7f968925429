from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from leaflet.admin import LeafletGeoAdmin

from core import roles
from core.models import AuditEntry, Job, Region


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


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read-only, and seen by admins only (not by stewards with staff access)."""

    list_display = ("created_at", "username", "action", "region_code", "object_repr", "remote_addr")
    list_filter = ("action", "region_code")
    search_fields = ("username", "object_repr", "region_code")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return roles.is_site_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return roles.is_site_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
