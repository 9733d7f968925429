"""A fixture region loaded through the importer with its maps computed in this process (the
pages and services are under test there, not the worker)."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.test import override_settings

from core.models import Job, Region
from core.regions import load_region_fixture
from potential_map import services as map_services


def region_with_maps(code: str, resolution_m: float) -> Region:
    # Transactional tests flush the seeded lithology table: seed it as the migration does.
    importlib.import_module("geology.migrations.0003_seed_lithology_thermal_properties").seed(
        apps, None
    )
    load_region_fixture(code)
    Region.objects.filter(code=code).update(raster_resolution_m=resolution_m)
    region = Region.objects.get(code=code)
    with override_settings(RECOMPUTE_WINDOW_CELLS=10**9):  # one task, in this process
        map_services.recompute_region(Job.objects.create(kind="recompute", region=region))
    return region
