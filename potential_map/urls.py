from __future__ import annotations

from django.urls import path

from potential_map import views

app_name = "potential_map"

urlpatterns = [
    # Beside the upload page whose button posts here.
    path("imports/<slug:region_code>/recompute/", views.recompute, name="recompute"),
]
