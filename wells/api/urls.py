"""The wells' API: boreholes (GeoJSON, clusters, full record) and import batches."""

from __future__ import annotations

from core.api.routers import AppRouter
from wells.api.views import BoreholeViewSet, ImportBatchViewSet

router = AppRouter()
router.register("boreholes", BoreholeViewSet, basename="borehole")
router.register("import-batches", ImportBatchViewSet, basename="importbatch")

urlpatterns = router.urls
