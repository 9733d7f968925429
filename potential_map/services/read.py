"""The read side of the map: every current layer's values at a point, or over a parcel, with
what fed them, as a typed answer (MapAnswer). The API serialises it (`as_dict()`, the JSON it
always sent); the design estimate reads its attributes instead of string keys.

Only what `user` may see is read (MapLayer.objects.visible_to).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point

from core.models import Region
from potential_map import rasters
from potential_map.choices import LayerKind
from potential_map.models import MapLayer
from wells.models import Borehole

NEAREST_BOREHOLES = 5
PARCEL_MAX_AREA_M2 = 1e7  # 10 km²: a parcel, not a district (districts have their own view)
BAND_NAMES = ("p50", "p10", "p90")


@dataclass(frozen=True)
class NearestBorehole:
    """A borehole whose data fed a layer, and how far it is from the point asked about."""

    code: str
    distance_m: float

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "distance_m": self.distance_m}


@dataclass(frozen=True)
class BandStatistics:
    """One band over the cells a parcel touches; None where no cell has a value."""

    mean: float | None
    min: float | None
    max: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"mean": self.mean, "min": self.min, "max": self.max}


@dataclass(frozen=True)
class ParcelCells:
    """A layer over a parcel: each band's statistics and how many cells had a value;
    `strictest_class` only for the constraint layer (the worst class anywhere in it)."""

    cells: int
    bands: Mapping[str, BandStatistics]
    strictest_class: float | None = None
    is_constraint: bool = False

    def as_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "cells": self.cells,
            "bands": {name: band.as_dict() for name, band in self.bands.items()},
        }
        if self.is_constraint:
            answer["strictest_class"] = self.strictest_class
        return answer


@dataclass(frozen=True)
class LayerAnswer:
    """One current layer at the point (and over the parcel, when one was given).

    `values` maps each band name to its value, None where the cell has none; `per_borehole_w`
    is a W/m layer's value times its reference BHE length.
    """

    kind: str
    label: str
    version: int
    units: str
    values: Mapping[str, float | None]
    per_borehole_w: Mapping[str, float | None] | None
    definition: Mapping[str, Any]
    method: str
    method_version: str | None
    nearest_boreholes: tuple[NearestBorehole, ...]
    batches: tuple[int, ...]
    parcel: ParcelCells | None = None

    def value(self, band: str = "p50") -> float | None:
        """The band's mean over the parcel where there is one, else its value at the point."""
        if self.parcel is not None:
            mean = self.parcel.bands.get(band)
            if mean is not None and mean.mean is not None:
                return float(mean.mean)
        value = self.values.get(band)
        return None if value is None else float(value)

    def as_dict(self) -> dict[str, Any]:
        answer = {
            "label": self.label,
            "per_borehole_w": None if self.per_borehole_w is None else dict(self.per_borehole_w),
            "version": self.version,
            "units": self.units,
            "values": dict(self.values),
            "definition": self.definition,
            "method": self.method,
            "method_version": self.method_version,
            "nearest_boreholes": [b.as_dict() for b in self.nearest_boreholes],
            "batches": list(self.batches),
        }
        if self.parcel is not None:
            answer["parcel"] = self.parcel.as_dict()
        return answer


@dataclass(frozen=True)
class ParcelOutline:
    """The parcel asked about: its area in the region's metric CRS and the point inside it that
    the point values are read at."""

    area_m2: float
    inside_point: tuple[float, float]

    def as_dict(self) -> dict[str, Any]:
        return {"area_m2": self.area_m2, "inside_point": list(self.inside_point)}


@dataclass(frozen=True)
class MapAnswer:
    """Every current layer the user may see at a point (and over a parcel), by layer kind."""

    region: str
    lon: float
    lat: float
    layers: Mapping[str, LayerAnswer] = field(default_factory=dict)
    parcel: ParcelOutline | None = None

    def layer(self, kind: str) -> LayerAnswer | None:
        return self.layers.get(kind)

    def value(self, kind: str, band: str = "p50") -> float | None:
        """A layer's band at the point (its mean over the parcel); None if there is no layer of
        that kind here or the cell has no value."""
        layer = self.layers.get(kind)
        return None if layer is None else layer.value(band)

    def as_dict(self) -> dict[str, Any]:
        """The JSON of /api/point and /api/parcel."""
        answer: dict[str, Any] = {
            "region": self.region,
            "lon": self.lon,
            "lat": self.lat,
            "layers": {kind: layer.as_dict() for kind, layer in self.layers.items()},
        }
        if self.parcel is not None:
            answer["parcel"] = self.parcel.as_dict()
        return answer


def _finite(value: float) -> float | None:
    return None if not np.isfinite(value) else value


def point_provenance(region: Region, lon: float, lat: float, user: Any) -> MapAnswer:
    """Every current layer's values at a point, with what fed them: the nearest boreholes used
    (distance in m), the import batches, the method and its version. Only what `user` may see.
    """
    point = Point(lon, lat, srid=4326)
    layers = MapLayer.objects.visible_to(user).filter(region=region, is_current=True)
    xy = rasters.points_to_metric(np.array([lon]), np.array([lat]), region.raster_crs_epsg)[0]
    answers: dict[str, LayerAnswer] = {}
    nearest_by_inputs: dict[tuple[int, ...], tuple[NearestBorehole, ...]] = {}
    layers = list(layers.order_by("kind"))
    batches: dict[int, list[int]] = {layer.pk: [] for layer in layers}
    links = MapLayer.input_batches.through.objects.filter(maplayer__in=layers)
    for layer_id, batch_id in links.values_list("maplayer_id", "importbatch_id"):
        batches[layer_id].append(batch_id)  # ids only: the batch rows carry their error lists
    for layer in layers:
        values = rasters.sample(layer.cog_path, float(xy[0]), float(xy[1]))
        used = tuple(layer.inputs.get("boreholes") or layer.definition.get("boreholes") or [])
        if used not in nearest_by_inputs:  # layers of one recompute share their boreholes
            nearest_by_inputs[used] = tuple(
                NearestBorehole(b.code, round(b.distance.m, 1))
                for b in Borehole.objects.visible_to(user)
                .filter(pk__in=used)
                .annotate(distance=Distance("location", point, spheroid=True))
                .order_by("distance")[:NEAREST_BOREHOLES]
            )
        per_borehole = None
        if layer.units == "W/m" and layer.definition.get("bhe_length_m"):
            length = float(layer.definition["bhe_length_m"])  # W/m × the reference BHE length
            per_borehole = {
                name: (None if not np.isfinite(v) else v * length)
                for name, v in zip(layer.bands, values, strict=True)
            }
        answers[layer.kind] = LayerAnswer(
            kind=layer.kind,
            label=str(layer.get_kind_display()),
            version=layer.version,
            units=layer.units,
            values={name: _finite(v) for name, v in zip(layer.bands, values, strict=True)},
            per_borehole_w=per_borehole,
            definition=layer.definition,
            method=layer.method,
            method_version=layer.definition.get("method_version"),
            nearest_boreholes=nearest_by_inputs[used],
            batches=tuple(sorted(batches[layer.pk])),
        )
    return MapAnswer(region=region.code, lon=lon, lat=lat, layers=answers)


def parcel_summary(region: Region, parcel: Any, user: Any) -> MapAnswer:
    """The point answer at the parcel's inside point, and for every layer the mean, minimum and
    maximum of each band over the cells the parcel touches; for the constraint layer, the
    strictest class anywhere in it. `parcel` is a GEOS polygon in WGS84."""
    inside = parcel.point_on_surface
    answer = point_provenance(region, inside.x, inside.y, user)
    outline = ParcelOutline(
        area_m2=round(float(rasters.to_metric(bytes(parcel.wkb), region.raster_crs_epsg).area), 1),
        inside_point=(round(inside.x, 6), round(inside.y, 6)),
    )
    layers = dict(answer.layers)
    for layer in MapLayer.objects.visible_to(user).filter(region=region, is_current=True):
        stats = rasters.zonal_statistics(layer.cog_path, bytes(parcel.wkb))
        bands: dict[str, dict[str, float | None]] = stats["bands"]  # type: ignore[assignment]
        is_constraint = layer.kind == LayerKind.CONSTRAINTS_OPEN_LOOP
        cells = ParcelCells(
            cells=int(stats["cells"]),  # type: ignore[call-overload]
            bands={name: BandStatistics(**band) for name, band in bands.items()},
            strictest_class=(bands.get("class") or {}).get("max") if is_constraint else None,
            is_constraint=is_constraint,
        )
        known = layers.get(layer.kind)
        if known is None:  # made current between the two reads: the parcel part only
            known = LayerAnswer(
                kind=layer.kind,
                label=str(layer.get_kind_display()),
                version=layer.version,
                units=layer.units,
                values={},
                per_borehole_w=None,
                definition=layer.definition,
                method=layer.method,
                method_version=layer.definition.get("method_version"),
                nearest_boreholes=(),
                batches=(),
            )
        layers[layer.kind] = replace(known, parcel=cells)
    return replace(answer, layers=layers, parcel=outline)
