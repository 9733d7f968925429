from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from core.api.views import DistrictViewSet, JobViewSet, RegionViewSet
from estimates import api as estimates_api
from field_tests.api import sites as field_test_sites
from monitoring import api as monitoring_api
from potential_map.api.views import MapLayerViewSet, parcel, point
from wells.api.views import BoreholeViewSet, ImportBatchViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("jobs", JobViewSet, basename="job")
router.register("districts", DistrictViewSet, basename="district")
router.register("boreholes", BoreholeViewSet, basename="borehole")
router.register("import-batches", ImportBatchViewSet, basename="importbatch")
router.register("layers", MapLayerViewSet, basename="maplayer")

urlpatterns = [
    path("point", point, name="point"),
    path("parcel", parcel, name="parcel"),
    path("field-test-sites", field_test_sites, name="field-test-sites"),
    path("estimates", estimates_api.create, name="estimate-create"),
    path("estimates/<uuid:token>", estimates_api.detail, name="estimate-detail"),
    path("monitoring/systems/", monitoring_api.systems, name="monitoring-systems"),
    path(
        "monitoring/systems/<int:system_id>/series",
        monitoring_api.sensor_series,
        name="monitoring-series",
    ),
    path(
        "monitoring/systems/<int:system_id>/performance",
        monitoring_api.performance,
        name="monitoring-performance",
    ),
    path(
        "monitoring/systems/<int:system_id>/readings",
        monitoring_api.append_readings,
        name="monitoring-readings",
    ),
    *router.urls,
]
