"""An open-loop doublet within all its limits: drawdown, injection headroom, hydraulic
breakthrough, licence, and a spacing for the system's design life. Pure numpy, SI units.

The TAP structure of BOETTCHER-2019 (legally and technically achievable flow, then thermal
power; the pieces are standard, literature, check before citing):
  Q_hyd  = 2π T s_max / ln(d / r_w)        Thiem, doublet superposition (THIEM-1906); the mound
                                            at the injection well equals the drawdown at the
                                            extraction well, so
  s_max  = min(allowed drawdown, injection headroom), headroom = depth to water − margin:
           an injection mound must not rise above (or too near) a shallow water table
  Q_crit = (π/2) b q d                      no hydraulic short circuit, doublet along the flow
  Q      = min(Q_hyd, Q_crit, Q_licence)
The spacing d keeps thermal breakthrough beyond the design life of one-way operation
(Gringarten & Sauty 1975, t_b = π ρa ca b d² / (3 ρw cw Q), solved for d; literature, check
before citing), not one season: Japanese doublets run one way for years (YOSHIOKA-2014 plans a
pumping well and shallow reinjection holes, never a role swap; ETV-052-2101 swaps roles only
to backwash). d depends on Q (√Q) and Q on d (ln d, and Q_crit ∝ d): a few fixed-point steps
settle both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from potential_map.domain.interpolation import nearest
from potential_map.domain.open_loop import (
    AQUIFER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
    WATER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
    breakthrough_spacing_m,
    critical_flow_m3_per_s,
)

# Codes of the limit that decides each cell's rate (the layer's second band).
LIMIT_DRAWDOWN, LIMIT_HEADROOM, LIMIT_CRITICAL, LIMIT_LICENCE = 0, 1, 2, 3
LIMIT_NAMES = {
    LIMIT_DRAWDOWN: "allowed drawdown (Thiem)",
    LIMIT_HEADROOM: "injection headroom (depth to water − margin)",
    LIMIT_CRITICAL: "critical rate against hydraulic breakthrough",
    LIMIT_LICENCE: "licence",
}
MIN_SPACING_WELL_RADII = 10.0  # d ≥ 10 r_w, so that ln(d / r_w) stays well above 0 (setting)


@dataclass(frozen=True)
class DoubletLimits:
    """Per cell: the rate Q (m³/s), the spacing d (m), each limit's rate at that spacing, and
    which limit decides (LIMIT_* codes; −1 where there is no value). NaN transmissivity (no
    aquifer) stays NaN everywhere: no value, not zero. A water table at or above the margin
    gives Q = 0 (no injection possible), limited by the headroom."""

    flow_m3_per_s: NDArray[np.float64]
    spacing_m: NDArray[np.float64]
    hydraulic_m3_per_s: NDArray[np.float64]
    critical_m3_per_s: NDArray[np.float64]
    licence_m3_per_s: NDArray[np.float64]
    allowed_head_change_m: NDArray[np.float64]
    limiting: NDArray[np.int8]


def injection_headroom_m(depth_to_water_m: ArrayLike, margin_m: ArrayLike) -> NDArray[np.float64]:
    """Head rise an injection well may cause: depth to water − safety margin, m, never < 0
    (BOETTCHER-2019's injection headroom). NaN depth (no groundwater-depth value) is NaN: not
    limiting."""
    headroom = np.asarray(depth_to_water_m, dtype=np.float64) - np.asarray(margin_m)
    return np.where(np.isnan(headroom), np.nan, np.clip(headroom, 0.0, None))


def design_life_spacing_m(
    flow_m3_per_s: ArrayLike,
    thickness_m: ArrayLike,
    design_life_s: float,
    operating_fraction: float = 1.0,
    aquifer_heat_capacity_j_per_m3_k: float = AQUIFER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
    water_heat_capacity_j_per_m3_k: float = WATER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
) -> NDArray[np.float64]:
    """Spacing whose thermal breakthrough takes the design life of one-way operation, m:
    d = √(3 ρw cw Q f t / (π ρa ca b)) (Gringarten & Sauty 1975, as breakthrough_spacing_m),
    with f the share of the time the doublet pumps (the front moves with the injected volume;
    f = 1, continuous, is the safe side)."""
    if not 0 < operating_fraction <= 1:
        raise ValueError("operating_fraction must be in (0, 1]")
    return breakthrough_spacing_m(
        np.asarray(flow_m3_per_s, dtype=np.float64) * operating_fraction,
        thickness_m,
        design_life_s,
        aquifer_heat_capacity_j_per_m3_k,
        water_heat_capacity_j_per_m3_k,
    )


def doublet_limits(
    transmissivity_m2_per_s: ArrayLike,
    thickness_m: ArrayLike,
    allowed_drawdown_m: ArrayLike,
    depth_to_water_m: ArrayLike,
    well_radius_m: float,
    design_life_s: float,
    *,
    headroom_margin_m: float = 1.0,
    darcy_flux_m_per_s: ArrayLike = np.nan,
    licence_m3_per_s: float | None = None,
    operating_fraction: float = 1.0,
    spacing_m: ArrayLike | None = None,
    first_spacing_m: float = 100.0,
    iterations: int = 6,
) -> DoubletLimits:
    """Q = min(Q_hyd, Q_crit, Q_licence) per cell, with the spacing for the design life.

    transmissivity_m2_per_s: T, NaN outside aquifers; thickness_m: aquifer thickness b;
    allowed_drawdown_m: the drawdown limit (e.g. a region's map parameter); depth_to_water_m:
    the groundwater-depth layer's P50 (NaN: unknown, the headroom then does not limit; pass the
    P10, the shallower side, for a cautious map); headroom_margin_m: the margin kept below the
    ground surface (a setting; 1 m by default, inferred); darcy_flux_m_per_s: q = K·i, NaN where
    no gradient is known (then no critical-rate limit: the design-life spacing still protects
    against thermal breakthrough); licence_m3_per_s: the licensed rate, None for none;
    spacing_m: a fixed spacing (e.g. a parcel's), else the design-life spacing is used.
    """
    transmissivity = np.asarray(transmissivity_m2_per_s, dtype=np.float64)
    shape = transmissivity.shape
    thickness = np.broadcast_to(np.asarray(thickness_m, dtype=np.float64), shape)
    drawdown = np.broadcast_to(np.asarray(allowed_drawdown_m, dtype=np.float64), shape)
    headroom = np.broadcast_to(injection_headroom_m(depth_to_water_m, headroom_margin_m), shape)
    flux = np.broadcast_to(np.asarray(darcy_flux_m_per_s, dtype=np.float64), shape)
    licence = np.full(shape, np.inf if licence_m3_per_s is None else float(licence_m3_per_s))
    # s_max: the tighter of the drawdown limit and the headroom (NaN headroom: not limiting).
    head_change = np.fmin(drawdown, headroom)
    by_headroom = headroom < drawdown
    minimum_spacing = MIN_SPACING_WELL_RADII * well_radius_m
    fixed = spacing_m is not None
    spacing = (
        np.broadcast_to(np.asarray(spacing_m, dtype=np.float64), shape).copy()
        if fixed
        else np.full(shape, first_spacing_m)
    )
    spacing = np.maximum(spacing, minimum_spacing)
    has_flux = np.isfinite(flux) & (flux > 0)

    def rates(
        d: NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        hydraulic = 2 * np.pi * transmissivity * head_change / np.log(d / well_radius_m)
        # No regional flow known: no critical rate (inf, never the minimum).
        critical = np.where(
            has_flux,
            # (spacing_m is typed float there; an array broadcasts the same)
            critical_flow_m3_per_s(thickness, np.where(has_flux, flux, 0.0), d),  # type: ignore[arg-type]
            np.inf,
        )
        return np.minimum(np.minimum(hydraulic, critical), licence), hydraulic, critical

    flow, hydraulic, critical = rates(spacing)
    for _ in range(0 if fixed else iterations):
        spacing = np.maximum(
            design_life_spacing_m(flow, thickness, design_life_s, operating_fraction),
            minimum_spacing,
        )
        flow, hydraulic, critical = rates(spacing)
    limiting = np.full(shape, -1, dtype=np.int8)
    valid = np.isfinite(flow)
    hydraulic_limits = valid & (flow == hydraulic)
    limiting[hydraulic_limits] = np.where(
        by_headroom[hydraulic_limits], LIMIT_HEADROOM, LIMIT_DRAWDOWN
    )
    limiting[valid & (flow == critical) & ~hydraulic_limits] = LIMIT_CRITICAL
    limiting[valid & (flow == licence) & (flow < hydraulic) & (flow < critical)] = LIMIT_LICENCE
    no_aquifer = ~np.isfinite(transmissivity)
    spacing = np.where(no_aquifer, np.nan, spacing)
    return DoubletLimits(
        flow_m3_per_s=np.where(no_aquifer, np.nan, flow),
        spacing_m=spacing,
        hydraulic_m3_per_s=np.where(no_aquifer, np.nan, hydraulic),
        critical_m3_per_s=np.where(no_aquifer | ~np.isfinite(critical), np.nan, critical),
        licence_m3_per_s=np.where(np.isfinite(licence), licence, np.nan),
        allowed_head_change_m=np.asarray(head_change, dtype=np.float64),
        limiting=limiting,
    )


def transmissivity_near_tests(
    base_m2_per_s: ArrayLike,
    cells_xy_m: NDArray[np.float64],
    aquifer_mask: ArrayLike,
    tests_xy_m: NDArray[np.float64],
    tests_m2_per_s: ArrayLike,
    radius_m: float,
    cell_unit: ArrayLike | None = None,
    test_unit: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """(T per cell, which cells took a test's T): a pumping test's T replaces the unit's within
    `radius_m` of its well, but only in aquifer cells (`aquifer_mask` True), and, when unit ids
    are given, only in cells of the unit the tested well screens: a test says nothing about a
    clay plain next to its gravel fan (issue 20). The nearest test wins where discs overlap.
    Cells outside the mask keep their base value (NaN where there is no aquifer)."""
    base = np.array(base_m2_per_s, dtype=np.float64, copy=True)
    mask = np.asarray(aquifer_mask, dtype=bool)
    values = np.asarray(tests_m2_per_s, dtype=np.float64)
    taken = np.zeros(base.shape, dtype=bool)
    if len(values) == 0:
        return base, taken
    distance, closest = nearest(tests_xy_m, cells_xy_m, distance_upper_bound=radius_m)
    near = np.isfinite(distance) & mask
    if cell_unit is not None and test_unit is not None:
        units = np.asarray(cell_unit)
        tested_units = np.asarray(test_unit)
        same = np.zeros(base.shape, dtype=bool)
        same[near] = units[near] == tested_units[closest[near]]
        near &= same
    base[near] = values[closest[near]]
    taken[near] = True
    return base, taken
