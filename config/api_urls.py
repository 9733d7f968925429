"""The API under /api/ (namespace "api"): each app's own api/urls.py, and one API root.

Project-level glue: core names no app, so the apps' routes are gathered here, not there.
"""

from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import DefaultRouter
from rest_framework.urlpatterns import format_suffix_patterns

from core.api import urls as core_api
from estimates.api import urls as estimates_api
from field_tests.api import urls as field_tests_api
from ingest.api import urls as ingest_api
from monitoring.api import urls as monitoring_api
from potential_map.api import urls as potential_map_api
from search.api import urls as search_api
from wells.api import urls as wells_api

# The browsable root (GET /api/) lists every app's viewsets, as one DefaultRouter's did.
root = DefaultRouter()
for app_router in (core_api.router, wells_api.router, ingest_api.router, potential_map_api.router):
    root.registry.extend(app_router.registry)

urlpatterns = [
    *(
        path("", include(app_api))
        for app_api in (
            core_api,
            wells_api,
            ingest_api,
            potential_map_api,
            field_tests_api,
            estimates_api,
            monitoring_api,
            search_api,
        )
    ),
    *format_suffix_patterns([path("", root.get_api_root_view(), name=root.root_view_name)]),
]
