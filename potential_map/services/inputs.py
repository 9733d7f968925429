"""Input reading of a recompute: the region's parameters and grid, and the released survey
rows the layers are made of, read once (Prepared) with the variograms fitted, so that windows of
cells kriged by different workers agree.

Only released rows feed the maps (`Model.objects.released()`: the row, its batch and its parent
published; a withdrawn borehole takes its tests, logs and levels with it), so a published map
never reveals unpublished data. Each layer records the batches of the rows it was made from,
read with them; a layer one of whose batches is withdrawn or rolled back later is hidden from
the public until the recompute replaces it (potential_map.models.MapLayerQuerySet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Avg, Prefetch, QuerySet
from django.utils.translation import gettext_noop as N_

from core.lib import physical_defaults
from core.models import District, Job, Region
from field_tests.domain import pumping
from field_tests.services import current_jacob_transmissivities, current_trt_conductivities
from geology.domain.conductivity import depth_weighted_mean
from geology.models import GeologicalUnit, LithologyThermalProperty
from potential_map import rasters
from potential_map.choices import LayerKind
from potential_map.domain.ground_temperature import (
    GroundTemperatureField,
    ground_temperature_field,
    with_temperature_logs,
)
from potential_map.domain.interpolation import Variogram, fit_variogram
from potential_map.domain.layers import log_mean_temperature_k
from potential_map.models import ClimateStation, MapLayer
from reference.services import groundwater_rules, mean_annual_air_temperature_k
from wells.models import Borehole, GeologicalLayer, GroundwaterLevel, PumpingTest, TemperatureLog

REQUIRED_PARAMETERS = (
    "heating_season_s",
    "cooling_season_s",
    "fluid_min_temperature_k",
    "fluid_max_temperature_k",
    "reference_bhe_length_m",
)


def parameters(region: Region) -> dict[str, Any]:
    """The region's map parameters (values only); a missing one is named."""
    values = {key: item["value"] for key, item in (region.map_parameters or {}).items()}
    missing = [key for key in REQUIRED_PARAMETERS if key not in values]
    if missing:
        raise ValueError(f"region {region.code} has no map parameter {', '.join(missing)}")
    return values


@dataclass
class KrigingSpec:
    """What one kriged quantity needs, fitted once so that windows of cells agree."""

    points: np.ndarray
    values: np.ndarray
    fallback: tuple[np.ndarray, np.ndarray, np.ndarray]  # P50, P10, P90 over all cells
    floor: float | None
    variogram: Variogram | None


@dataclass
class Prepared:
    """A region's inputs, read once: the grid, unit values, parameters and kriging specs."""

    region_id: int
    grid: rasters.Grid
    cells: np.ndarray
    units: dict[str, np.ndarray]
    params: dict[str, Any]
    length_m: float
    specs: dict[str, KrigingSpec]
    conductivity_inputs: dict[str, Any]
    ground_definition: dict[str, Any]
    ground: tuple[np.ndarray, np.ndarray, np.ndarray]  # T0 P50, P10, P90 of every cell, K
    groundwater_definition: dict[str, Any] | None
    # Batches of the rows read, by input: "units", "conductivity", "ground", "groundwater".
    batches: dict[str, set[int]] = field(default_factory=dict)


def batch_ids(rows: QuerySet[Any], *lookups: str) -> set[int]:
    """The import batches of `rows` and of the rows at `lookups` ("borehole__batch"), as the
    inputs are read: what a layer made of them records (MapLayer.input_batches)."""
    found: set[int] = set()
    for lookup in ("batch", *lookups):
        found.update(rows.exclude(**{lookup: None}).values_list(lookup, flat=True).distinct())
    return found


def variogram_dict(variogram: Variogram | None) -> dict[str, float] | None:
    return None if variogram is None else variogram.as_dict()


def _spec(points, values, fallback, floor, kept=None) -> KrigingSpec:  # type: ignore[no-untyped-def]
    """A spec whose variogram is fitted now (or kept), once for every window."""
    usable = np.isfinite(values)
    variogram = kept
    if variogram is None and usable.sum() >= 3:
        variogram = fit_variogram(points[usable], values[usable])
    return KrigingSpec(points, values, fallback, floor, variogram)


def prepare(job: Job) -> Prepared:
    """Read everything a recompute needs and fit the variograms (no per-cell work yet)."""
    region = Region.objects.get(pk=job.region_id)
    params = parameters(region)
    length_m = float(params["reference_bhe_length_m"])
    job.set_progress(0.05, N_("Laying out the grid"))
    grid = rasters.region_grid(
        bytes(region.boundary.wkb), region.raster_crs_epsg, region.raster_resolution_m
    )
    cells = grid.cell_centres_m()
    units = _unit_properties(region, grid)
    batches = {"units": batch_ids(released_units(region))}
    boreholes = list(
        Borehole.objects.filter(region=region, location__isnull=False)
        .released()
        .prefetch_related(Prefetch("geologicallayers", queryset=GeologicalLayer.objects.released()))
        .order_by("pk")
    )
    specs: dict[str, KrigingSpec] = {}
    job.set_progress(0.1, N_("Interpolating thermal conductivity"))
    specs["conductivity"], conductivity_inputs = _conductivity(region, boreholes, units, length_m)
    batches["conductivity"] = set(conductivity_inputs["batches"])
    job.set_progress(0.12, N_("Interpolating the ground temperature"))
    ground, ground_definition = _ground_temperature(region, params, cells, length_m)
    batches["ground"] = set(ground_definition.pop("batches"))
    groundwater = _groundwater_depth(region, len(cells))
    groundwater_definition = None
    if groundwater is not None:
        specs["groundwater"], groundwater_definition = groundwater
        batches["groundwater"] = set(groundwater_definition.pop("batches"))
    return Prepared(
        region.pk,
        grid,
        cells,
        units,
        params,
        length_m,
        specs,
        conductivity_inputs,
        ground_definition,
        ground,
        groundwater_definition,
        batches,
    )


def released_units(region: Region) -> QuerySet[GeologicalUnit]:
    """The region's geological units the maps may use: released and drawn."""
    return GeologicalUnit.objects.filter(region=region).released().exclude(geometry=None)


def _unit_properties(region: Region, grid: rasters.Grid) -> dict[str, np.ndarray]:
    """λ (typical, min, max) and heat capacity of each cell's geological unit (NaN: none)."""
    properties = {p.lithology: p for p in LithologyThermalProperty.objects.all()}
    shapes: dict[str, list[tuple[bytes, float]]] = {
        "typical": [],
        "low": [],
        "high": [],
        "heat_capacity": [],
    }
    for unit in released_units(region):
        prop = properties.get(unit.dominant_lithology)
        if prop is None:
            continue
        geometry = bytes(unit.geometry.wkb)
        shapes["typical"].append((geometry, prop.conductivity_typical_w_per_m_k))
        shapes["low"].append((geometry, prop.conductivity_min_w_per_m_k))
        shapes["high"].append((geometry, prop.conductivity_max_w_per_m_k))
        shapes["heat_capacity"].append((geometry, prop.volumetric_heat_capacity_j_per_m3_k))
    return {name: rasters.rasterize_values(grid, items) for name, items in shapes.items()}


def _conductivity(region, boreholes, units, length_m):  # type: ignore[no-untyped-def]
    properties = {
        p.lithology: p.conductivity_typical_w_per_m_k
        for p in LithologyThermalProperty.objects.all()
    }
    used, values, lon, lat = [], [], [], []
    for borehole in boreholes:
        layers = list(borehole.geologicallayers.all())  # released ones (prepare's Prefetch)
        if not layers:
            continue
        value = depth_weighted_mean(
            [x.top_m for x in layers],
            [x.bottom_m for x in layers],
            [properties.get(x.lithology, np.nan) for x in layers],
            length_m,
        )
        if np.isfinite(value):
            used.append(borehole.pk)
            values.append(value)
            lon.append(borehole.location.x)
            lat.append(borehole.location.y)
    points = (
        rasters.points_to_metric(np.array(lon), np.array(lat), region.raster_crs_epsg)
        if used
        else np.empty((0, 2))
    )
    spec = _spec(
        points,
        np.array(values, dtype=float),
        (units["typical"], units["low"], units["high"]),
        0.1,
        kept=_kept_variogram(region, LayerKind.CONDUCTIVITY),
    )
    used_layers = GeologicalLayer.objects.released().filter(borehole__in=used)
    batches = sorted(batch_ids(Borehole.objects.filter(pk__in=used)) | batch_ids(used_layers))
    return spec, {"boreholes": used, "borehole_count": len(used), "batches": batches}


def _kept_variogram(region: Region, kind: str) -> Variogram | None:
    """The variogram of the current layer, kept so that a new borehole changes only the cells
    around it; the first computation (or a steward's refit, by deleting it) fits one."""
    current = MapLayer.objects.filter(region=region, kind=kind, is_current=True).first()
    stored = (current.definition or {}).get("variogram") if current else None
    if not stored:
        return None
    return Variogram(stored["sill"], stored["range_m"], stored.get("nugget", 0.0))


def released_stations(region: Region) -> QuerySet[ClimateStation]:
    """The region's climate stations the maps may use: released (the row and its batch)."""
    return ClimateStation.objects.filter(region=region).released().order_by("code")


def _ground_temperature(region, params, cells, length_m):  # type: ignore[no-untyped-def]
    """T0 of every cell, (P50, P10, P90) in K, and the layer's definition (with "batches").

    From the region's released climate stations (ground_temperature.ground_temperature_field:
    ordinary kriging of the stations' air temperature, no elevation raster yet, plus the ETV
    ground offset), then the released temperature logs override it near their boreholes (all of
    them). Computed for every cell here, once: ~10 stations make it cheap, and the windows of a
    large recompute take their slice of it (Prepared.ground) instead of kriging it again.
    Without a station: one regional value (the `ground_temperature_k` map parameter or the
    climate normals' mean), labelled as a fallback.
    """
    logs = (
        TemperatureLog.objects.filter(region=region, borehole__location__isnull=False)
        .released()
        .select_related("borehole")
    )
    means, lon, lat, used = [], [], [], []
    for log in logs:
        mean = log_mean_temperature_k(
            np.array(log.depths_m), np.array(log.temperatures_k), length_m
        )
        if np.isfinite(mean):
            means.append(mean)
            lon.append(log.borehole.location.x)
            lat.append(log.borehole.location.y)
            used.append(log.pk)
    log_batches = batch_ids(logs.filter(pk__in=used), "borehole__batch")
    logs_xy = (
        rasters.points_to_metric(np.array(lon), np.array(lat), region.raster_crs_epsg)
        if used
        else np.empty((0, 2))
    )
    stations = list(released_stations(region))
    if not stations:
        fallback, fallback_source = _ground_temperature_fallback(region, params)
        constant = np.full(len(cells), fallback)
        field = GroundTemperatureField(
            p10_k=constant,
            p50_k=constant,
            p90_k=constant,
            std_k=np.zeros(len(cells)),
            air_temperature_k=np.full(len(cells), np.nan),
            air_std_k=np.full(len(cells), np.nan),
            method="regional value (no climate station)",
            lapse_rate_k_per_m=None,
            lapse_rate_basis=None,
            ground_offset_k=0.0,
            ground_offset_std_k=0.0,
            variogram={},
            stations_used=0,
            cells_without_elevation=len(cells),
        )
        field = with_temperature_logs(field, cells, logs_xy, means)
        definition = {
            "quantity": "undisturbed ground temperature over the BHE length",
            "method": field.method,
            "is_fallback": True,
            "fallback_k": fallback,
            "fallback_source": fallback_source,
            "climate_stations": [],
        }
    else:
        station_xy = rasters.points_to_metric(
            np.array([s.location.x for s in stations]),
            np.array([s.location.y for s in stations]),
            region.raster_crs_epsg,
        )
        field = ground_temperature_field(
            station_xy,
            np.array([s.elevation_m for s in stations]),
            np.array([s.annual_mean_air_temperature_k for s in stations]),
            cells,
            None,  # no elevation raster yet: ordinary kriging of the stations
        )
        field = with_temperature_logs(field, cells, logs_xy, means)
        definition = {
            **field.definition(),
            "elevation_raster": None,
            "climate_stations": [s.code for s in stations],
        }
    definition["temperature_logs"] = used
    definition["batches"] = sorted(log_batches | batch_ids(released_stations(region)))
    return (field.p50_k, field.p10_k, field.p90_k), definition


def _ground_temperature_fallback(region: Region, params: dict[str, Any]) -> tuple[float, str]:
    if "ground_temperature_k" in params:
        return float(params["ground_temperature_k"]), region.map_parameters["ground_temperature_k"][
            "source"
        ]
    normal = mean_annual_air_temperature_k(region)
    if normal is None:
        raise ValueError(f"region {region.code} has no ground temperature and no climate normal")
    # Below ~10 m the ground stays near the annual mean air temperature (OKINAWA-FY2017 §1.11).
    return float(normal), "mean annual air temperature of the region's climate normals"


def _groundwater_depth(region: Region, count: int):  # type: ignore[no-untyped-def]
    levels = GroundwaterLevel.objects.filter(
        region=region, borehole__location__isnull=False
    ).released()
    rows = list(
        levels.values("borehole_id", "borehole__location").annotate(
            mean_depth=Avg("depth_to_water_m")
        )
    )
    if len(rows) < 3:
        return None
    lon = np.array([r["borehole__location"].x for r in rows])
    lat = np.array([r["borehole__location"].y for r in rows])
    values = np.array([r["mean_depth"] for r in rows])
    points = rasters.points_to_metric(lon, lat, region.raster_crs_epsg)
    nan = np.full(count, np.nan)
    spec = _spec(points, values, (nan, nan, nan), 0.0)
    return spec, {
        "quantity": "mean depth to water below ground",
        "boreholes": [r["borehole_id"] for r in rows],
        "variogram": variogram_dict(spec.variogram),
        "beyond_data": "no value (beyond one variogram range of a borehole)",
        "batches": sorted(batch_ids(levels, "borehole__batch")),
    }


def trt_overrides(region: Region) -> list[dict[str, Any]]:
    """The current TRT λ of each published TRT borehole (field_tests' analyses): the map takes
    it near the borehole instead of the kriged λ."""
    return current_trt_conductivities(region)


# Hydraulic conductivity by a unit's dominant lithology, m/s (typical values after Freeze &
# Cherry 1979; literature, check before citing). None: not an aquifer, so no open-loop value.
AQUIFER_CONDUCTIVITY_M_PER_S: dict[str, float | None] = {
    "gravel": 1e-3,
    "cobbles": 1e-3,
    "sandy_gravel": 5e-4,
    "sand": 1e-4,
    "pumice": 1e-4,
    "limestone": 1e-4,
    "conglomerate": 1e-5,
    "basalt": 1e-5,
    "sandstone": 1e-6,
}
DEFAULT_AQUIFER_THICKNESS_M = physical_defaults.AQUIFER_THICKNESS_M  # a test's own replaces it
# Spread of log10 T, for the P10/P90 bands (inferred, labelled in the layer's definition):
# a lithology class spans two orders of magnitude of K (Freeze & Cherry 1979), taken as
# ±0.64 decades between P10 and P90; a pumping test near the cell narrows it to ±0.13.
UNIT_LOG10_SIGMA_T = 0.5
TESTED_LOG10_SIGMA_T = 0.1
TESTED_WELL_RADIUS_M = 2000.0  # cells this close to a pumping test take its transmissivity


@dataclass
class Transmissivity:
    """Transmissivity per inside cell with the spread of its log10 and the aquifer thickness;
    NaN where the unit is not an aquifer. `tests` are the pumping tests that set it somewhere."""

    transmissivity_m2_per_s: np.ndarray
    log10_sigma: np.ndarray
    thickness_m: np.ndarray
    tests: list[dict[str, Any]]
    batches: set[int] = field(default_factory=set)  # of the rows read


def transmissivity(region: Region, grid: rasters.Grid, cells: np.ndarray) -> Transmissivity:
    """Transmissivity from pumping tests near them (a constant-rate test's Cooper–Jacob T beats a
    step test's Logan T), from the unit's lithology elsewhere; no aquifer, no value."""
    units = released_units(region)
    read = batch_ids(units)
    shapes = [
        (bytes(u.geometry.wkb), AQUIFER_CONDUCTIVITY_M_PER_S[u.dominant_lithology])
        for u in units
        if AQUIFER_CONDUCTIVITY_M_PER_S.get(u.dominant_lithology)
    ]
    conductivity = rasters.rasterize_values(grid, shapes)
    thickness = np.full(len(cells), DEFAULT_AQUIFER_THICKNESS_M)
    transmissivity = conductivity * thickness
    log10_sigma = np.full(len(cells), UNIT_LOG10_SIGMA_T)
    tests_used = []
    steps = PumpingTest.objects.filter(
        region=region, kind="step", borehole__location__isnull=False
    ).released()
    for test in steps.select_related("borehole"):
        if test.static_level_m is None or not test.level_m:
            continue
        drawdown = test.level_m[0] - test.static_level_m
        if drawdown <= 0 or test.rate_m3_per_s[0] <= 0:
            continue
        value = float(
            pumping.transmissivity_from_specific_capacity(test.rate_m3_per_s[0], drawdown)
        )
        location = rasters.points_to_metric(
            np.array([test.borehole.location.x]),
            np.array([test.borehole.location.y]),
            region.raster_crs_epsg,
        )[0]
        near = np.hypot(*(cells - location).T) <= TESTED_WELL_RADIUS_M
        transmissivity[near] = value
        log10_sigma[near] = TESTED_LOG10_SIGMA_T
        thickness[near] = test.aquifer_thickness_m or DEFAULT_AQUIFER_THICKNESS_M
        tests_used.append(
            {
                "test": test.pk,
                "borehole": test.borehole.code,
                "transmissivity_m2_per_s": value,
                "method": "Logan (step test, first step)",
            }
        )
        read |= {b for b in (test.batch_id, test.borehole.batch_id) if b is not None}
    for jacob in current_jacob_transmissivities(region):  # a constant-rate test beats Logan
        location = rasters.points_to_metric(
            np.array([jacob["lon"]]), np.array([jacob["lat"]]), region.raster_crs_epsg
        )[0]
        near = np.hypot(*(cells - location).T) <= TESTED_WELL_RADIUS_M
        transmissivity[near] = jacob["transmissivity_m2_per_s"]
        log10_sigma[near] = TESTED_LOG10_SIGMA_T
        thickness[near] = jacob["aquifer_thickness_m"] or DEFAULT_AQUIFER_THICKNESS_M
        tests_used = [t for t in tests_used if t["borehole"] != jacob["borehole"]]
        read |= set(jacob["batches"])
        tests_used.append(
            {
                "test": jacob["test"],
                "borehole": jacob["borehole"],
                "transmissivity_m2_per_s": jacob["transmissivity_m2_per_s"],
                "method": "Cooper–Jacob (constant-rate test)",
                "analysis": jacob["analysis"],
            }
        )
    return Transmissivity(transmissivity, log10_sigma, thickness, tests_used, read)


def rules_with_districts(region: Region) -> list[tuple[Any, list[bytes]]]:
    """The region's groundwater rules (reference data), each with the WKB outlines of the
    municipalities it applies to."""
    return [
        (
            rule,
            [
                bytes(d.geometry.wkb)
                for d in District.objects.filter(region=region, code__in=rule.municipality_codes)
            ],
        )
        for rule in groundwater_rules(region)
    ]
