"""The field tests' API: test sites with their current results."""

from __future__ import annotations

from django.urls import path

from field_tests.api import views

urlpatterns = [
    path("field-test-sites", views.sites, name="field-test-sites"),
]
