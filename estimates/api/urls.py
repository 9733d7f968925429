"""The design estimates' API: ask for one, read one by its token."""

from __future__ import annotations

from django.urls import path

from estimates.api import views

urlpatterns = [
    path("estimates", views.create, name="estimate-create"),
    path("estimates/<uuid:token>", views.detail, name="estimate-detail"),
]
