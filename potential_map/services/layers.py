"""Layer building of a recompute: the kriged bands of each window, then every layer (λ, ground
temperature, groundwater depth, G.POT, VDI 4640, open loop, constraints) from them, with the
definition that says what its numbers mean. Numbers come from potential_map.domain; the rows
come from potential_map.services.inputs; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext_noop as N_

from core.lib import physical_defaults
from core.models import Job, Region
from potential_map import rasters
from potential_map.choices import LayerKind
from potential_map.domain import closed_loop, open_loop, vdi4640
from potential_map.domain.layers import Bands, kriged_with_fallback
from potential_map.services import inputs
from potential_map.services.inputs import (
    DEFAULT_AQUIFER_THICKNESS_M,
    TESTED_LOG10_SIGMA_T,
    TESTED_WELL_RADIUS_M,
    UNIT_LOG10_SIGMA_T,
    KrigingSpec,
    Prepared,
)

# The reference BHE of the G.POT layers (GRASS r.green.gshp defaults, GRASS-RGREEN). R_b is
# 0.1 m·K/W until issue 20 computes it from the geometry (core.lib.physical_defaults).
BOREHOLE_RADIUS_M = physical_defaults.BOREHOLE_RADIUS_M
BOREHOLE_RESISTANCE_M_K_PER_W = physical_defaults.BOREHOLE_RESISTANCE_M_K_PER_W
LIFETIME_S = physical_defaults.GPOT_LIFETIME_YEARS * closed_loop.SECONDS_PER_YEAR
DEFAULT_HEAT_CAPACITY_J_PER_M3_K = physical_defaults.GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K


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
    batches: set[int] = field(default_factory=set)  # of the rows it was made from


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


def build(job: Job, prepared: Prepared, bands: dict[str, Bands]) -> list[BuiltLayer]:
    """Every layer from the kriged bands (none written yet)."""
    region = Region.objects.get(pk=prepared.region_id)
    grid, cells, units, params = prepared.grid, prepared.cells, prepared.units, prepared.params
    length_m = prepared.length_m
    conductivity, trt_overrides = _with_trt_overrides(
        inputs.trt_overrides(region), region.raster_crs_epsg, cells, bands["conductivity"]
    )
    conductivity_inputs = prepared.conductivity_inputs
    read = prepared.batches
    trt_batches = {b for o in trt_overrides for b in o.pop("batches")}
    conductivity_batches = read["units"] | read["conductivity"] | trt_batches
    ground_batches = read["ground"]
    ground_k, ground_p10, ground_p90 = prepared.ground
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
            batches=conductivity_batches,
        )
    )

    built.append(
        BuiltLayer(
            LayerKind.GROUND_TEMPERATURE,
            "K",
            ground_definition["method"],
            ground_definition,
            [grid.full(ground_k), grid.full(ground_p10), grid.full(ground_p90)],
            colormap="inferno",
            batches=ground_batches,
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
                batches=read["groundwater"],
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
                batches=conductivity_batches | ground_batches,
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
                    "validity": "small systems ≤ 30 kW, BHE 40–100 m (VDI 4640 Blatt 2, 2001)",
                    "method_id": "vdi4640-2",
                },
                [grid.full(vdi4640.class_w_per_m(conductivity.p50, hours))],
                band_names=("p50",),
                batches=conductivity_batches,
            )
        )

    job.set_progress(0.68, N_("Computing the open-loop potential"))
    built.extend(_open_loop(params, grid, inputs.transmissivity(region, grid, cells)))

    job.set_progress(0.7, N_("Applying the groundwater rules"))
    built.append(_open_loop_constraints(inputs.rules_with_districts(region), grid))

    return built


TRT_RADIUS_M = 1000.0  # cells this close to a TRT borehole take its λ (a setting)
TRT_RELATIVE_BAND = 0.1  # a TRT's λ as P50, ±10 % as P10/P90 (typical TRT uncertainty;
# Witte 2013, literature, check before citing)


def _with_trt_overrides(
    overrides: list[dict[str, Any]], crs_epsg: int, cells: np.ndarray, conductivity: Bands
) -> tuple[Bands, list[dict[str, Any]]]:
    """λ near a borehole with a thermal response test is the test's λ (its current analysis,
    the fit window stored with it), not the kriged one (issue 6's hook, filled by issue 10)."""
    if not overrides:
        return conductivity, []
    p50, p10, p90 = conductivity.p50.copy(), conductivity.p10.copy(), conductivity.p90.copy()
    for override in overrides:
        here = rasters.points_to_metric(
            np.array([override["lon"]]), np.array([override["lat"]]), crs_epsg
        )[0]
        near = np.hypot(*(cells - here).T) <= TRT_RADIUS_M
        value = override["conductivity_w_per_m_k"]
        p50[near] = value
        p10[near] = value * (1 - TRT_RELATIVE_BAND)
        p90[near] = value * (1 + TRT_RELATIVE_BAND)
        override["cells"] = int(near.sum())
    return Bands(p50, p10, p90, conductivity.variogram), overrides


DEFAULT_ALLOWED_DRAWDOWN_M = physical_defaults.ALLOWED_DRAWDOWN_M  # a map parameter replaces it
WELL_RADIUS_M = physical_defaults.WELL_RADIUS_M


def _open_loop(
    params: dict[str, Any], grid: rasters.Grid, read: inputs.Transmissivity
) -> list[BuiltLayer]:
    """Sustainable flow per well, doublet power and spacing from the transmissivity read near
    pumping tests and from the units' lithology; no aquifer, no value."""
    transmissivity, log10_sigma = read.transmissivity_m2_per_s, read.log10_sigma
    thickness, tests_used = read.thickness_m, read.tests
    batches = read.batches
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
            batches=batches,
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
            batches=batches,
        ),
        BuiltLayer(
            LayerKind.OPEN_LOOP_SPACING,
            "m",
            "doublet spacing for thermal breakthrough after one season "
            "(Gringarten & Sauty 1975; literature)",
            {**common, "quantity": "well spacing", "season_s": season_s},
            [grid.full(spacing) for spacing in spacings],
            colormap="magma",
            batches=batches,
        ),
    ]


# Traffic-light classes of the constraint layer, by what a rule asks of an open loop.
GREEN, YELLOW, RED = 0.0, 1.0, 2.0
CLASS_OF_METHOD = {"prohibition": RED, "application": YELLOW, "notification": YELLOW}


def _open_loop_constraints(rules: list[tuple[Any, list[bytes]]], grid: rasters.Grid) -> BuiltLayer:
    """Band 1: green 0 / yellow 1 / red 2 per cell; band 2: the index of the deciding rule in
    definition["rules"] (−1: none). Rules are data (reference.GroundwaterRule)."""
    classes = np.full(int(grid.inside.sum()), GREEN)
    deciding = np.full(int(grid.inside.sum()), -1.0)
    described = []
    for index, (rule, outlines) in enumerate(rules):
        level = CLASS_OF_METHOD.get(rule.method, GREEN)
        shapes = [(outline, 1.0) for outline in outlines]
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
