from __future__ import annotations

from django.urls import path

from wells import views

app_name = "wells"

urlpatterns = [
    path("boreholes/<slug:region_code>/<str:code>/", views.borehole_page, name="borehole"),
]
