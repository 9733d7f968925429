"""The map's API: layers (legend, COG) and the point and parcel queries."""

from __future__ import annotations

from django.urls import path

from core.api.routers import AppRouter
from potential_map.api.views import MapLayerViewSet, parcel, point

router = AppRouter()
router.register("layers", MapLayerViewSet, basename="maplayer")

urlpatterns = [
    path("point", point, name="point"),
    path("parcel", parcel, name="parcel"),
    *router.urls,
]
