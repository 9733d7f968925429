"""ingest's API: the import batches (mounted under /api/ by config/api_urls.py)."""

from __future__ import annotations

from core.api.routers import AppRouter
from ingest.api.views import ImportBatchViewSet

router = AppRouter()
router.register("import-batches", ImportBatchViewSet, basename="importbatch")

urlpatterns = router.urls
