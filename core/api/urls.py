"""Core's API: regions, districts and jobs (mounted under /api/ by config/api_urls.py)."""

from __future__ import annotations

from core.api.routers import AppRouter
from core.api.views import DistrictViewSet, JobViewSet, RegionViewSet

router = AppRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("jobs", JobViewSet, basename="job")
router.register("districts", DistrictViewSet, basename="district")

urlpatterns = router.urls
