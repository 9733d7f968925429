"""The wells' API: boreholes (GeoJSON, clusters, full record)."""

from __future__ import annotations

from core.api.routers import AppRouter
from wells.api.views import BoreholeViewSet

router = AppRouter()
router.register("boreholes", BoreholeViewSet, basename="borehole")

urlpatterns = router.urls
