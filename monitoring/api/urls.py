"""The monitoring API: systems, series, performance, and the loggers' append of readings."""

from __future__ import annotations

from django.urls import path

from monitoring.api import views

urlpatterns = [
    path("monitoring/systems/", views.systems, name="monitoring-systems"),
    path(
        "monitoring/systems/<int:system_id>/series", views.sensor_series, name="monitoring-series"
    ),
    path(
        "monitoring/systems/<int:system_id>/performance",
        views.performance,
        name="monitoring-performance",
    ),
    path(
        "monitoring/systems/<int:system_id>/readings",
        views.append_readings,
        name="monitoring-readings",
    ),
]
