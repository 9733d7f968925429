"""A fixture region loaded through the importer with its maps computed in this process (the
pages and services are under test there, not the worker)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
from django.apps import apps
from django.test import override_settings

from core.jobs import run_job
from core.models import Job, Region
from potential_map import rasters
from potential_map import tasks as map_tasks
from potential_map.models import MapLayer
from region_fixtures.services import load_region_fixture


def region_with_maps(code: str, resolution_m: float) -> Region:
    # Transactional tests flush the seeded lithology table: seed it as the migration does.
    importlib.import_module("geology.migrations.0003_seed_lithology_thermal_properties").seed(
        apps, None
    )
    load_region_fixture(code)
    Region.objects.filter(code=code).update(raster_resolution_m=resolution_m)
    region = Region.objects.get(code=code)
    with override_settings(RECOMPUTE_WINDOW_CELLS=10**9):  # one task, in this process
        # through run_job, so the job ends succeeded rather than queued for ever
        run_job(Job.objects.create(kind="recompute", region=region).pk, map_tasks.recompute)
    return region


def constant_layer(
    region: Region,
    path: Path,
    bands: dict[str, float] | None = None,
    resolution_m: float = 2000.0,
    **fields: Any,
) -> MapLayer:
    """A conductivity layer of `region` (W/(m·K), range 1–3) whose every cell holds a constant
    per band (default P50 2.0), written as a real COG at `path`. `fields` override the row."""
    bands = bands or {"p50": 2.0}
    grid = rasters.region_grid(bytes(region.boundary.wkb), 32652, resolution_m)
    count = int(grid.inside.sum())
    data = [grid.full(np.full(count, value)) for value in bands.values()]
    rasters.write_cog(path, data, grid, tuple(bands))
    row = {
        "region": region,
        "kind": "conductivity",
        "version": 1,
        "is_current": True,
        "published": True,
        "units": "W/(m·K)",
        "method": "test",
        "bands": list(bands),
        "cog_path": str(path),
        "value_min": 1.0,
        "value_max": 3.0,
        "crs_epsg": 32652,
        "resolution_m": resolution_m,
        "width": grid.width,
        "height": grid.height,
    }
    return MapLayer.objects.create(**(row | fields))
