"""Publishing a recompute: write each new layer as a COG, then switch every layer of the region
to its new version in one short transaction. A failure leaves the current layers as they were
and deletes the files it wrote (no file without a row).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_noop as N_

from core.models import Job, Region
from potential_map import rasters, tiles
from potential_map.domain.layers import Bands
from potential_map.models import MapLayer
from potential_map.services import layers
from potential_map.services.inputs import Prepared

METHOD_VERSION = "2026.11-1"


def publish(job: Job, prepared: Prepared, bands: dict[str, Bands]) -> list[MapLayer]:
    """Every layer from the kriged bands, written and switched in together."""
    built = layers.build(job, prepared, bands)
    job.set_progress(0.75, N_("Writing the maps"))
    region = Region.objects.get(pk=prepared.region_id)
    return write_and_switch(region, job, prepared.grid, built)


def write_and_switch(
    region: Region, job: Job, grid: rasters.Grid, built: list[layers.BuiltLayer]
) -> list[MapLayer]:
    root = Path(settings.LAYER_ROOT)
    written: list[Path] = []
    try:
        paths = []
        for number, layer in enumerate(built, start=1):
            path = rasters.new_layer_path(root, region.code, layer.kind)
            rasters.write_cog(path, layer.bands, grid, layer.band_names)
            written.append(path)
            paths.append(path)
            job.set_progress(0.75 + 0.2 * number / len(built), N_("Writing the maps"))
        superseded: list[MapLayer] = []
        with transaction.atomic():
            # Lock the region: two recomputes of one region queue here instead of racing.
            Region.objects.select_for_update().get(pk=region.pk)
            created = []
            for layer, path in zip(built, paths, strict=True):
                current = MapLayer.objects.filter(region=region, kind=layer.kind, is_current=True)
                previous = current.first()
                if previous is not None:
                    superseded.append(previous)
                latest = MapLayer.objects.filter(region=region, kind=layer.kind).aggregate(
                    v=Max("version")
                )["v"]
                current.update(is_current=False)
                values = np.concatenate([b[np.isfinite(b)] for b in layer.bands])
                row = MapLayer.objects.create(
                    region=region,
                    kind=layer.kind,
                    version=(latest or 0) + 1,
                    is_current=True,
                    published=previous.published if previous else region.published,
                    units=layer.units,
                    method=layer.method,
                    definition={**layer.definition, "method_version": METHOD_VERSION},
                    bands=list(layer.band_names),
                    cog_path=str(path),
                    value_min=float(values.min()) if values.size else None,
                    value_max=float(values.max()) if values.size else None,
                    colormap=layer.colormap,
                    crs_epsg=grid.crs_epsg,
                    resolution_m=grid.resolution_m,
                    width=grid.width,
                    height=grid.height,
                    extent=GEOSGeometry(grid.extent_wkt_4326(), srid=4326),
                    inputs=layer.inputs,
                    job=job,
                )
                row.input_batches.set(layer.batches)
                created.append(row)
            # A superseded version is no longer public: its rendered tiles leave the cache.
            transaction.on_commit(lambda: tiles.purge(superseded))
        return created
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)  # no file without a row
        raise
