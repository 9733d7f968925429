"""Recompute a region's map layers: read the published survey data, call the domain, write
COGs, and switch every layer to its new version in one transaction.

Only published rows feed the maps, so a published map never reveals unpublished data. Slow
work runs outside any transaction (progress is visible at once); a failure leaves the current
layers as they were, deletes the files it wrote, and fails the Job with its reason.
"""

from __future__ import annotations

import logging
import pickle
import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from celery import current_task, group
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.db.models import Avg, Max
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from core.jobs import CONTINUES
from core.lib import physical_defaults
from core.models import District, Job, Region
from field_tests.domain import pumping
from geology.domain.conductivity import depth_weighted_mean
from geology.models import GeologicalUnit, LithologyThermalProperty
from ingest.models import ImportBatch
from potential_map import rasters
from potential_map.choices import LayerKind
from potential_map.domain import closed_loop, open_loop, vdi4640
from potential_map.domain.interpolation import Variogram, fit_variogram
from potential_map.domain.layers import Bands, kriged_with_fallback, log_mean_temperature_k
from potential_map.models import MapLayer
from reference.services import groundwater_rules, mean_annual_air_temperature_k
from wells.models import Borehole, GroundwaterLevel, PumpingTest, TemperatureLog

logger = logging.getLogger(__name__)

METHOD_VERSION = "2026.11-1"
RECOMPUTE_QUEUE_GRACE_S = 300.0
# The reference BHE of the G.POT layers (GRASS r.green.gshp defaults, GRASS-RGREEN). R_b is
# 0.1 m·K/W until issue 20 computes it from the geometry (core.lib.physical_defaults).
BOREHOLE_RADIUS_M = physical_defaults.BOREHOLE_RADIUS_M
BOREHOLE_RESISTANCE_M_K_PER_W = physical_defaults.BOREHOLE_RESISTANCE_M_K_PER_W
LIFETIME_S = physical_defaults.GPOT_LIFETIME_YEARS * closed_loop.SECONDS_PER_YEAR
DEFAULT_HEAT_CAPACITY_J_PER_M3_K = physical_defaults.GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K
REQUIRED_PARAMETERS = (
    "heating_season_s",
    "cooling_season_s",
    "fluid_min_temperature_k",
    "fluid_max_temperature_k",
    "reference_bhe_length_m",
)


@dataclass
class BuiltLayer:
    kind: str
    units: str
    method: str
    definition: dict[str, Any]
    bands: list[np.ndarray]
    band_names: tuple[str, ...] = rasters.BAND_NAMES
    colormap: str = "viridis"
    inputs: dict[str, Any] = field(default_factory=dict)


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
    ground_constant: np.ndarray
    groundwater_definition: dict[str, Any] | None


def recompute_region(job: Job) -> Any:
    """Compute every layer of job.region and make the new versions current together.

    A grid larger than RECOMPUTE_WINDOW_CELLS inside cells is cut into windows kriged by a
    Celery group (any worker on any machine sharing LAYER_ROOT); the last window to finish
    queues the assembly, which writes the layers and ends the job (returns CONTINUES here).
    """
    prepared = prepare(job)
    count = int(np.ceil(len(prepared.cells) / settings.RECOMPUTE_WINDOW_CELLS))
    if count <= 1:
        bands = {
            name: krige(spec, prepared.cells, 0, len(prepared.cells))
            for name, spec in prepared.specs.items()
        }
        return finish(job, prepared, bands)
    from potential_map import tasks

    folder = _work_folder(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "prepared.pickle").open("wb") as handle:
        pickle.dump(prepared, handle)  # our own data, read back by our own tasks only
    Job.objects.filter(pk=job.pk).update(parts_total=count, parts_done=0)
    job.set_progress(0.15, N_("Kriging the windows"))
    # The windows go where this task came from (the default queue, in practice).
    request = current_task.request if current_task else None
    queue = ((request.delivery_info or {}).get("routing_key") if request else None) or None
    windows = group(tasks.recompute_window.s(job.pk, index, count) for index in range(count))
    windows.apply_async(queue=queue) if queue else windows.apply_async()
    return CONTINUES


def _work_folder(job_id: int) -> Path:
    return Path(settings.LAYER_ROOT) / "work" / str(job_id)


def _window_bounds(total: int, index: int, count: int) -> tuple[int, int]:
    size = int(np.ceil(total / count))
    return index * size, min(total, (index + 1) * size)


def krige_window(job_id: int, index: int, count: int) -> None:
    """Krige one window of cells and store it; the last window queues the assembly."""
    from potential_map import tasks

    if not Job.objects.filter(pk=job_id, state=Job.State.RUNNING).exists():
        return  # the job failed or was ended: nothing to add to it
    folder = _work_folder(job_id)
    try:
        with (folder / "prepared.pickle").open("rb") as handle:
            prepared: Prepared = pickle.load(handle)  # written by recompute_region above
        lo, hi = _window_bounds(len(prepared.cells), index, count)
        arrays = {}
        for name, spec in prepared.specs.items():
            bands = krige(spec, prepared.cells, lo, hi)
            for band in ("p50", "p10", "p90"):
                arrays[f"{name}.{band}"] = getattr(bands, band)
        np.savez(folder / f"window-{index}.npz", **arrays)
    except Exception as exc:
        _fail(job_id, exc)
        raise
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.parts_done += 1
        job.save(update_fields=["parts_done", "updated_at"])
        last = job.parts_done == job.parts_total
    job.set_progress(0.15 + 0.55 * job.parts_done / job.parts_total, N_("Kriging the windows"))
    if last:
        tasks.assemble_region.delay(job_id)


def assemble(job_id: int) -> None:
    """Join the windows, write the layers, switch them in, and end the job."""
    job = Job.objects.select_related("region").filter(pk=job_id, state=Job.State.RUNNING).first()
    if job is None:
        return
    folder = _work_folder(job_id)
    try:
        with (folder / "prepared.pickle").open("rb") as handle:
            prepared: Prepared = pickle.load(handle)
        windows = [np.load(folder / f"window-{i}.npz") for i in range(job.parts_total)]
        bands = {}
        for name in prepared.specs:
            joined = {
                band: np.concatenate([w[f"{name}.{band}"] for w in windows])
                for band in ("p50", "p10", "p90")
            }
            bands[name] = Bands(
                joined["p50"],
                joined["p10"],
                joined["p90"],
                _variogram_dict(prepared.specs[name].variogram),
            )
        finish(job, prepared, bands)
    except Exception as exc:
        _fail(job_id, exc)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    job.set_progress(1.0, N_("Done"))
    Job.objects.filter(pk=job_id).update(state=Job.State.SUCCEEDED, finished_at=timezone.now())


def _fail(job_id: int, exc: BaseException) -> None:
    Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
        state=Job.State.FAILED,
        message=f"{type(exc).__name__}: {exc}"[:1000],
        finished_at=timezone.now(),
    )
    shutil.rmtree(_work_folder(job_id), ignore_errors=True)


def _variogram_dict(variogram: Variogram | None) -> dict[str, float] | None:
    return None if variogram is None else variogram.as_dict()


def krige(spec: KrigingSpec, cells: np.ndarray, lo: int, hi: int) -> Bands:
    """The kriged bands of cells[lo:hi] (the spec's fallback where no borehole is near)."""
    p50, p10, p90 = (f[lo:hi] for f in spec.fallback)
    return kriged_with_fallback(
        spec.points,
        spec.values,
        cells[lo:hi],
        p50,
        p10,
        p90,
        floor=spec.floor,
        variogram=spec.variogram,
    )


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
    boreholes = list(
        Borehole.objects.filter(region=region, published=True, location__isnull=False)
        .prefetch_related("geologicallayers")
        .order_by("pk")
    )
    specs: dict[str, KrigingSpec] = {}
    job.set_progress(0.1, N_("Interpolating thermal conductivity"))
    specs["conductivity"], conductivity_inputs = _conductivity(region, boreholes, units, length_m)
    ground, ground_constant, ground_definition = _ground_temperature(
        region, params, len(cells), length_m
    )
    if ground is not None:
        specs["ground"] = ground
    groundwater = _groundwater_depth(region, len(cells))
    groundwater_definition = None
    if groundwater is not None:
        specs["groundwater"], groundwater_definition = groundwater
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
        ground_constant,
        groundwater_definition,
    )


def finish(job: Job, prepared: Prepared, bands: dict[str, Bands]) -> list[MapLayer]:
    """Every layer from the kriged bands, written and switched in together."""
    region = Region.objects.get(pk=prepared.region_id)
    grid, cells, units, params = prepared.grid, prepared.cells, prepared.units, prepared.params
    length_m = prepared.length_m
    conductivity, trt_overrides = _with_trt_overrides(region, cells, bands["conductivity"])
    conductivity_inputs = prepared.conductivity_inputs
    ground_k = bands["ground"].p50 if "ground" in bands else prepared.ground_constant
    ground_definition = prepared.ground_definition
    built: list[BuiltLayer] = []
    built.append(
        BuiltLayer(
            LayerKind.CONDUCTIVITY,
            "W/(m·K)",
            "local ordinary kriging of depth-averaged λ, unit values elsewhere",
            {
                "quantity": "thermal conductivity, averaged over the BHE length",
                "bhe_length_m": length_m,
                "variogram": conductivity.variogram,
                "fallback": "geological unit's λ (typical, min as P10, max as P90)",
                "trt_overrides": trt_overrides,
                "trt_radius_m": TRT_RADIUS_M,
                "trt_band": f"±{TRT_RELATIVE_BAND:.0%} around the TRT λ",
            },
            [grid.full(conductivity.p50), grid.full(conductivity.p10), grid.full(conductivity.p90)],
            inputs=conductivity_inputs,
        )
    )

    built.append(
        BuiltLayer(
            LayerKind.GROUND_TEMPERATURE,
            "K",
            ground_definition["method"],
            ground_definition,
            [grid.full(ground_k)],
            band_names=("p50",),
            colormap="inferno",
        )
    )

    if "groundwater" in bands:
        groundwater_bands, definition = bands["groundwater"], prepared.groundwater_definition
        built.append(
            BuiltLayer(
                LayerKind.GROUNDWATER_DEPTH,
                "m",
                "local ordinary kriging of mean depth to water",
                definition,
                [
                    grid.full(groundwater_bands.p50),
                    grid.full(groundwater_bands.p10),
                    grid.full(groundwater_bands.p90),
                ],
                colormap="blues",
            )
        )

    job.set_progress(0.55, N_("Computing the closed-loop potential (G.POT)"))
    heat_capacity = np.where(
        np.isfinite(units["heat_capacity"]),
        units["heat_capacity"],
        DEFAULT_HEAT_CAPACITY_J_PER_M3_K,
    )
    for kind, mode, limit_key, season_key in (
        (LayerKind.CLOSED_LOOP_HEATING, "heating", "fluid_min_temperature_k", "heating_season_s"),
        (LayerKind.CLOSED_LOOP_COOLING, "cooling", "fluid_max_temperature_k", "cooling_season_s"),
    ):
        per_band = [
            closed_loop.gpot_heat_rate_w(
                np.where(np.isfinite(lam), lam, np.nan).clip(min=0.05),
                heat_capacity,
                ground_k,
                float(params[limit_key]),
                length_m,
                BOREHOLE_RADIUS_M,
                BOREHOLE_RESISTANCE_M_K_PER_W,
                float(params[season_key]),
                LIFETIME_S,
                mode=mode,
            )
            / length_m
            for lam in (conductivity.p50, conductivity.p10, conductivity.p90)
        ]
        built.append(
            BuiltLayer(
                kind,
                "W/m",
                "G.POT (CASASSO-SETHI-2016 eq. 7, GRASS r.green.gshp)",
                {
                    "statistic": "annual_mean",
                    "mode": mode,
                    "horizon_years": 50,
                    "fluid_limit_c": round(float(params[limit_key]) - 273.15, 2),
                    "season_days": round(float(params[season_key]) / 86400, 1),
                    "full_load_hours": None,
                    "bhe_length_m": length_m,
                    "borehole_radius_m": BOREHOLE_RADIUS_M,
                    "borehole_resistance_m_k_per_w": BOREHOLE_RESISTANCE_M_K_PER_W,
                    "per_borehole_w": "multiply by bhe_length_m",
                    "bands": "P10/P90 from λ's P10/P90",
                    "method_id": "gpot",
                },
                [grid.full(band) for band in per_band],
                colormap="viridis",
            )
        )

    job.set_progress(0.65, N_("Classing by VDI 4640"))
    for kind, hours in ((LayerKind.VDI4640_1800, 1800), (LayerKind.VDI4640_2400, 2400)):
        built.append(
            BuiltLayer(
                kind,
                "W/m",
                "VDI 4640 Blatt 2 (2001) general classes",
                {
                    "statistic": "peak",
                    "mode": "heating",
                    "full_load_hours": hours,
                    "bhe_length_m": length_m,
                    "rule_of_thumb": True,
                    "validity": "small systems ≤ 30 kW, BHE 40–100 m (methods.md §4)",
                    "method_id": "vdi4640-2",
                },
                [grid.full(vdi4640.class_w_per_m(conductivity.p50, hours))],
                band_names=("p50",),
            )
        )

    job.set_progress(0.68, N_("Computing the open-loop potential"))
    built.extend(_open_loop(region, params, grid, cells))

    job.set_progress(0.7, N_("Applying the groundwater rules"))
    built.append(_open_loop_constraints(region, grid))

    job.set_progress(0.75, N_("Writing the maps"))
    return _write_and_switch(region, job, grid, built)


TRT_RADIUS_M = 1000.0  # cells this close to a TRT borehole take its λ (a setting)
TRT_RELATIVE_BAND = 0.1  # a TRT's λ as P50, ±10 % as P10/P90 (typical TRT uncertainty;
# Witte 2013, literature, check before citing)


def _with_trt_overrides(
    region: Region, cells: np.ndarray, conductivity: Bands
) -> tuple[Bands, list[dict[str, Any]]]:
    """λ near a borehole with a thermal response test is the test's λ (its current analysis,
    the fit window stored with it), not the kriged one (issue 6's hook, filled by issue 10)."""
    from field_tests.services import current_trt_conductivities

    overrides = current_trt_conductivities(region)
    if not overrides:
        return conductivity, []
    p50, p10, p90 = conductivity.p50.copy(), conductivity.p10.copy(), conductivity.p90.copy()
    for override in overrides:
        here = rasters.points_to_metric(
            np.array([override["lon"]]), np.array([override["lat"]]), region.raster_crs_epsg
        )[0]
        near = np.hypot(*(cells - here).T) <= TRT_RADIUS_M
        value = override["conductivity_w_per_m_k"]
        p50[near] = value
        p10[near] = value * (1 - TRT_RELATIVE_BAND)
        p90[near] = value * (1 + TRT_RELATIVE_BAND)
        override["cells"] = int(near.sum())
    return Bands(p50, p10, p90, conductivity.variogram), overrides


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
DEFAULT_ALLOWED_DRAWDOWN_M = physical_defaults.ALLOWED_DRAWDOWN_M  # a map parameter replaces it
WELL_RADIUS_M = physical_defaults.WELL_RADIUS_M
TESTED_WELL_RADIUS_M = 2000.0  # cells this close to a pumping test take its transmissivity


def _open_loop(region, params, grid, cells):  # type: ignore[no-untyped-def]
    """Sustainable flow per well, doublet power and spacing: transmissivity from pumping tests
    near them, from the unit's lithology elsewhere; no aquifer, no value."""
    units = GeologicalUnit.objects.filter(region=region, published=True).exclude(geometry=None)
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
    for test in PumpingTest.objects.filter(
        region=region, published=True, kind="step", borehole__location__isnull=False
    ).select_related("borehole"):
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
    from field_tests.services import current_jacob_transmissivities

    for jacob in current_jacob_transmissivities(region):  # a constant-rate test beats Logan
        location = rasters.points_to_metric(
            np.array([jacob["lon"]]), np.array([jacob["lat"]]), region.raster_crs_epsg
        )[0]
        near = np.hypot(*(cells - location).T) <= TESTED_WELL_RADIUS_M
        transmissivity[near] = jacob["transmissivity_m2_per_s"]
        log10_sigma[near] = TESTED_LOG10_SIGMA_T
        thickness[near] = jacob["aquifer_thickness_m"] or DEFAULT_AQUIFER_THICKNESS_M
        tests_used = [t for t in tests_used if t["borehole"] != jacob["borehole"]]
        tests_used.append(
            {
                "test": jacob["test"],
                "borehole": jacob["borehole"],
                "transmissivity_m2_per_s": jacob["transmissivity_m2_per_s"],
                "method": "Cooper–Jacob (constant-rate test)",
                "analysis": jacob["analysis"],
            }
        )
    drawdown_m = float(params.get("allowed_drawdown_m", DEFAULT_ALLOWED_DRAWDOWN_M))
    season_s = float(params["heating_season_s"])
    delta_t = float(params.get("open_loop_delta_t_k", physical_defaults.OPEN_LOOP_DELTA_T_K))
    flows, spacings = [], []
    for band in open_loop.log_normal_bands(transmissivity, log10_sigma):
        flow, spacing = open_loop.sustainable_doublet(
            band, thickness, drawdown_m, WELL_RADIUS_M, season_s
        )
        flows.append(flow)
        spacings.append(spacing)
    powers = [open_loop.heat_rate_w(flow, delta_t) for flow in flows]
    common = {
        "transmissivity": "Cooper–Jacob T of a constant-rate test, else Logan T ≈ 1.22 Q/s "
        f"of a step test's first step, near tested wells ({TESTED_WELL_RADIUS_M:g} m); unit "
        f"K × {DEFAULT_AQUIFER_THICKNESS_M:g} m elsewhere",
        "pumping_tests": tests_used,
        "allowed_drawdown_m": drawdown_m,
        "well_radius_m": WELL_RADIUS_M,
        "no_aquifer": "no value (not zero) where the unit is not an aquifer",
        "bands": "P10/P90 from log-normal T: σ(log10 T) "
        f"{UNIT_LOG10_SIGMA_T:g} from the unit's lithology, {TESTED_LOG10_SIGMA_T:g} near a "
        "pumping test (inferred spreads)",
    }
    return [
        BuiltLayer(
            LayerKind.OPEN_LOOP_FLOW,
            "m³/s",
            "Thiem doublet within the allowed drawdown",
            {**common, "quantity": "sustainable pumping rate per well"},
            [grid.full(flow) for flow in flows],
            colormap="blues",
        ),
        BuiltLayer(
            LayerKind.OPEN_LOOP_HEAT_RATE,
            "W",
            "P = ρc · Q · ΔT (BOETTCHER-2019)",
            {
                **common,
                "quantity": "thermal power of a doublet",
                "delta_t_k": delta_t,
                "statistic": "continuous at the sustainable rate",
            },
            [grid.full(power) for power in powers],
        ),
        BuiltLayer(
            LayerKind.OPEN_LOOP_SPACING,
            "m",
            "doublet spacing for thermal breakthrough after one season "
            "(Gringarten & Sauty 1975; literature)",
            {**common, "quantity": "well spacing", "season_s": season_s},
            [grid.full(spacing) for spacing in spacings],
            colormap="magma",
        ),
    ]


# Traffic-light classes of the constraint layer, by what a rule asks of an open loop.
GREEN, YELLOW, RED = 0.0, 1.0, 2.0
CLASS_OF_METHOD = {"prohibition": RED, "application": YELLOW, "notification": YELLOW}


def _open_loop_constraints(region: Region, grid: rasters.Grid) -> BuiltLayer:
    """Band 1: green 0 / yellow 1 / red 2 per cell; band 2: the index of the deciding rule in
    definition["rules"] (−1: none). Rules are data (reference.GroundwaterRule)."""
    classes = np.full(int(grid.inside.sum()), GREEN)
    deciding = np.full(int(grid.inside.sum()), -1.0)
    rules = groundwater_rules(region)
    described = []
    for index, rule in enumerate(rules):
        level = CLASS_OF_METHOD.get(rule.method, GREEN)
        districts = District.objects.filter(region=region, code__in=rule.municipality_codes)
        shapes = [(bytes(d.geometry.wkb), 1.0) for d in districts]
        covered = np.isfinite(rasters.rasterize_values(grid, shapes))
        stronger = covered & (level > classes)
        classes[stronger] = level
        deciding[covered & (deciding < 0)] = index
        deciding[stronger] = index
        described.append(
            {
                "code": rule.code,
                "jurisdiction": rule.jurisdiction,
                "method": rule.method,
                "class": level,
                "coverage": rule.coverage,
                "not_mapped": rule.excluded_former_municipalities
                or ([f"{rule.buffer_m:g} m buffer around supply sources"] if rule.buffer_m else []),
                "source": rule.source,
            }
        )
    return BuiltLayer(
        LayerKind.CONSTRAINTS_OPEN_LOOP,
        "class",
        "groundwater rules by municipality (rules as data)",
        {
            "applies_to": "open loop",
            "classes": {
                "0": "green: no rule",
                "1": "yellow: notification or application",
                "2": "red: prohibited",
            },
            "rules": described,
            "note": "parts a rule excludes or limits (former municipalities, buffers) are not "
            "mapped: the whole municipality takes the rule's class (conservative)",
        },
        [grid.full(classes), grid.full(deciding)],
        band_names=("class", "rule"),
        colormap="traffic_light",
    )


def _unit_properties(region: Region, grid: rasters.Grid) -> dict[str, np.ndarray]:
    """λ (typical, min, max) and heat capacity of each cell's geological unit (NaN: none)."""
    properties = {p.lithology: p for p in LithologyThermalProperty.objects.all()}
    shapes: dict[str, list[tuple[bytes, float]]] = {
        "typical": [],
        "low": [],
        "high": [],
        "heat_capacity": [],
    }
    for unit in GeologicalUnit.objects.filter(region=region, published=True).exclude(geometry=None):
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
        layers = [x for x in borehole.geologicallayers.all() if x.published]
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
    batches = sorted(
        set(
            Borehole.objects.filter(pk__in=used)
            .exclude(batch=None)
            .values_list("batch_id", flat=True)
        )
    )
    return spec, {"boreholes": used, "borehole_count": len(used), "batches": batches}


def _kept_variogram(region: Region, kind: str) -> Variogram | None:
    """The variogram of the current layer, kept so that a new borehole changes only the cells
    around it; the first computation (or a steward's refit, by deleting it) fits one."""
    current = MapLayer.objects.filter(region=region, kind=kind, is_current=True).first()
    stored = (current.definition or {}).get("variogram") if current else None
    if not stored:
        return None
    return Variogram(stored["sill"], stored["range_m"], stored.get("nugget", 0.0))


def _ground_temperature(region, params, count, length_m):  # type: ignore[no-untyped-def]
    """(kriging spec or None, the regional value per cell, definition)."""
    logs = TemperatureLog.objects.filter(
        region=region, published=True, borehole__published=True, borehole__location__isnull=False
    ).select_related("borehole")
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
    fallback, fallback_source = _ground_temperature_fallback(region, params)
    constant = np.full(count, fallback)
    definition = {
        "quantity": "undisturbed ground temperature over the BHE length",
        "temperature_logs": used,
        "fallback_k": fallback,
        "fallback_source": fallback_source,
    }
    if len(means) >= 3:
        points = rasters.points_to_metric(np.array(lon), np.array(lat), region.raster_crs_epsg)
        spec = _spec(points, np.array(means), (constant, constant, constant), None)
        definition["method"] = "local ordinary kriging of log means, regional value elsewhere"
        definition["variogram"] = _variogram_dict(spec.variogram)
        return spec, constant, definition
    definition["method"] = "regional value (fewer than 3 temperature logs)"
    definition["is_fallback"] = True
    return None, constant, definition


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
    rows = list(
        GroundwaterLevel.objects.filter(
            region=region,
            published=True,
            borehole__published=True,
            borehole__location__isnull=False,
        )
        .values("borehole_id", "borehole__location")
        .annotate(mean_depth=Avg("depth_to_water_m"))
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
        "variogram": _variogram_dict(spec.variogram),
        "beyond_data": "no value (beyond one variogram range of a borehole)",
    }


def _write_and_switch(
    region: Region, job: Job, grid: rasters.Grid, built: list[BuiltLayer]
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
        batches = list(
            ImportBatch.objects.filter(region=region, state=ImportBatch.State.IMPORTED).values_list(
                "pk", flat=True
            )
        )
        with transaction.atomic():
            # Lock the region: two recomputes of one region queue here instead of racing.
            Region.objects.select_for_update().get(pk=region.pk)
            created = []
            for layer, path in zip(built, paths, strict=True):
                current = MapLayer.objects.filter(region=region, kind=layer.kind, is_current=True)
                previous = current.first()
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
                row.input_batches.set(batches)
                created.append(row)
        return created
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)  # no file without a row
        raise


def request_recompute(region: Region, user: Any = None, delay_s: float | None = None) -> Job:
    """Queue a recomputation of `region`, or return the one already waiting (imports within the
    delay share it: several uploads give one recompute)."""
    from potential_map import tasks

    delay = settings.RECOMPUTE_DELAY_S if delay_s is None else delay_s
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=region.pk)
        waiting = Job.objects.filter(kind="recompute", region=region, state=Job.State.QUEUED)
        # A queued job older than its delay plus a grace period lost its message (a broker
        # restart, a job created by hand): end it rather than wait for it for ever.
        cutoff = timezone.now() - timedelta(seconds=delay + RECOMPUTE_QUEUE_GRACE_S)
        waiting.filter(created_at__lt=cutoff).update(
            state=Job.State.FAILED,
            message=N_("Never started: its message was lost; a new recompute was queued."),
            finished_at=timezone.now(),
        )
        if waiting.exists():
            return waiting.first()
        job = Job.objects.create(kind="recompute", region=region, created_by=user)
        transaction.on_commit(
            lambda: tasks.recompute_region.apply_async((job.pk,), countdown=delay)
        )
    return job


NEAREST_BOREHOLES = 5


def point_provenance(region: Region, lon: float, lat: float, user: Any) -> dict[str, Any]:
    """Every current layer's values at a point, with what fed them: the nearest boreholes used
    (distance in m), the import batches, the method and its version. Only what `user` may see.
    """
    from django.contrib.gis.db.models.functions import Distance
    from django.contrib.gis.geos import Point

    point = Point(lon, lat, srid=4326)
    layers = MapLayer.objects.visible_to(user).filter(region=region, is_current=True)
    xy = rasters.points_to_metric(np.array([lon]), np.array([lat]), region.raster_crs_epsg)[0]
    answer: dict[str, Any] = {"region": region.code, "lon": lon, "lat": lat, "layers": {}}
    nearest_by_inputs: dict[tuple[int, ...], list[dict[str, Any]]] = {}
    layers = list(layers.order_by("kind"))
    batches: dict[int, list[int]] = {layer.pk: [] for layer in layers}
    links = MapLayer.input_batches.through.objects.filter(maplayer__in=layers)
    for layer_id, batch_id in links.values_list("maplayer_id", "importbatch_id"):
        batches[layer_id].append(batch_id)  # ids only: the batch rows carry their error lists
    for layer in layers:
        values = rasters.sample(layer.cog_path, float(xy[0]), float(xy[1]))
        used = tuple(layer.inputs.get("boreholes") or layer.definition.get("boreholes") or [])
        if used not in nearest_by_inputs:  # layers of one recompute share their boreholes
            nearest_by_inputs[used] = [
                {"code": b.code, "distance_m": round(b.distance.m, 1)}
                for b in Borehole.objects.visible_to(user)
                .filter(pk__in=used)
                .annotate(distance=Distance("location", point, spheroid=True))
                .order_by("distance")[:NEAREST_BOREHOLES]
            ]
        per_borehole = None
        if layer.units == "W/m" and layer.definition.get("bhe_length_m"):
            length = float(layer.definition["bhe_length_m"])  # W/m × the reference BHE length
            per_borehole = {
                name: (None if not np.isfinite(v) else v * length)
                for name, v in zip(layer.bands, values, strict=True)
            }
        answer["layers"][layer.kind] = {
            "label": str(layer.get_kind_display()),
            "per_borehole_w": per_borehole,
            "version": layer.version,
            "units": layer.units,
            "values": {
                name: (None if not np.isfinite(v) else v)
                for name, v in zip(layer.bands, values, strict=True)
            },
            "definition": layer.definition,
            "method": layer.method,
            "method_version": layer.definition.get("method_version"),
            "nearest_boreholes": nearest_by_inputs[used],
            "batches": sorted(batches[layer.pk]),
        }
    return answer


PARCEL_MAX_AREA_M2 = 1e7  # 10 km²: a parcel, not a district (districts have their own view)


def parcel_summary(region: Region, parcel: Any, user: Any) -> dict[str, Any]:
    """The point answer at the parcel's inside point, and for every layer the mean, minimum and
    maximum of each band over the cells the parcel touches; for the constraint layer, the
    strictest class anywhere in it. `parcel` is a GEOS polygon in WGS84."""
    inside = parcel.point_on_surface
    answer = point_provenance(region, inside.x, inside.y, user)
    answer["parcel"] = {
        "area_m2": round(
            float(rasters.to_metric(bytes(parcel.wkb), region.raster_crs_epsg).area), 1
        ),
        "inside_point": [round(inside.x, 6), round(inside.y, 6)],
    }
    layers = MapLayer.objects.visible_to(user).filter(region=region, is_current=True)
    for layer in layers:
        stats = rasters.zonal_statistics(layer.cog_path, bytes(parcel.wkb))
        entry = answer["layers"].setdefault(layer.kind, {"units": layer.units})
        entry["parcel"] = stats
        if layer.kind == LayerKind.CONSTRAINTS_OPEN_LOOP:
            worst = (stats["bands"].get("class") or {}).get("max")  # type: ignore[union-attr]
            entry["parcel"]["strictest_class"] = worst
    return answer
