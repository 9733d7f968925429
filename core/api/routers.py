"""The router every app's `api/urls.py` registers its viewsets on."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


class AppRouter(DefaultRouter):
    """One app's viewsets, with `.json`-style format suffixes as DefaultRouter gives them.

    No API root of its own: config/api_urls.py serves the one root that lists the viewsets of
    every app (DRF's DefaultRouter root, built from all the apps' registries).
    """

    include_root_view = False
