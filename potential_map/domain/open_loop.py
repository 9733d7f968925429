"""Open-loop (groundwater) heat pump potential. Pure numpy: no Django, SI units.

The doublet pieces follow the structure of TAP, the legally and technically achievable flow
and then its thermal power (Böttcher F. et al. 2019, TAP: thermal aquifer potential,
*Renewable Energy* 142:85–95), with the steady drawdown of Thiem G. (1906) *Hydrologische
Methoden*, Leipzig: Gebhardt. Transmissivity from pumping tests is field_tests.domain.pumping.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

# 1000 kg/m³ × 4186 J/(kg·K). The same value gives the Japanese kcal convention
# 1 kW = 860 kcal/h used by YOSHIOKA-2014 and ETV-052-2101.
WATER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K = 4.186e6


def heat_rate_w(
    flow_m3_per_s: ArrayLike,
    delta_t_k: ArrayLike,
    volumetric_heat_capacity_j_per_m3_k: float = WATER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
) -> NDArray[np.float64]:
    """Heat rate taken from (or given to) pumped groundwater, W: P = ρc · Q · ΔT.

    (BOETTCHER-2019; the kcal form L/min × 60 × ΔT / 860 in YOSHIOKA-2014 §5-1 gives the same.)
    NaN flow (no aquifer) stays NaN: no value, not zero.
    """
    flow = np.asarray(flow_m3_per_s, dtype=np.float64)
    if np.any(flow < 0):
        raise ValueError("flow_m3_per_s must not be negative")
    return volumetric_heat_capacity_j_per_m3_k * flow * np.asarray(delta_t_k, dtype=np.float64)


def required_flow_m3_per_s(
    heat_rate_w: ArrayLike,
    delta_t_k: ArrayLike,
    volumetric_heat_capacity_j_per_m3_k: float = WATER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
) -> NDArray[np.float64]:
    """Flow a demand needs: Q = P / (ρc ΔT), m³/s (the Flanders KWO tool's form)."""
    return np.asarray(heat_rate_w, dtype=np.float64) / (
        volumetric_heat_capacity_j_per_m3_k * np.asarray(delta_t_k, dtype=np.float64)
    )


def thiem_drawdown_m(
    flow_m3_per_s: ArrayLike, transmissivity_m2_per_s: ArrayLike, spacing_m: float, radius_m: float
) -> NDArray[np.float64]:
    """Drawdown at the extraction well of a doublet: s = Q/(2πT) · ln(d/r_w), m (THIEM-1906)."""
    return (
        np.asarray(flow_m3_per_s, dtype=np.float64)
        / (2 * np.pi * np.asarray(transmissivity_m2_per_s, dtype=np.float64))
        * float(np.log(spacing_m / radius_m))
    )


def hydraulic_flow_m3_per_s(
    allowed_drawdown_m: ArrayLike,
    transmissivity_m2_per_s: ArrayLike,
    spacing_m: float,
    radius_m: float,
) -> NDArray[np.float64]:
    """Largest flow within the allowed drawdown: Q = 2πT s_max / ln(d/r_w), m³/s."""
    return (
        2
        * np.pi
        * np.asarray(transmissivity_m2_per_s, dtype=np.float64)
        * np.asarray(allowed_drawdown_m, dtype=np.float64)
        / float(np.log(spacing_m / radius_m))
    )


def critical_flow_m3_per_s(
    thickness_m: ArrayLike, darcy_flux_m_per_s: ArrayLike, spacing_m: float
) -> NDArray[np.float64]:
    """Flow below which a doublet along the regional flow has no hydraulic short circuit:
    Q_crit = (π/2) · b · q · d, m³/s."""
    return (
        np.pi
        / 2
        * np.asarray(thickness_m, dtype=np.float64)
        * np.asarray(darcy_flux_m_per_s, dtype=np.float64)
        * spacing_m
    )


def limiting_flow(
    hydraulic_m3_per_s: float, critical_m3_per_s: float, licence_m3_per_s: float | None
) -> tuple[float, Literal["hydraulic", "critical", "licence"]]:
    """Q_max = min(Q_hyd, Q_crit, Q_licence), and which of them limits."""
    candidates = {"hydraulic": hydraulic_m3_per_s, "critical": critical_m3_per_s}
    if licence_m3_per_s is not None:
        candidates["licence"] = licence_m3_per_s
    name = min(candidates, key=candidates.__getitem__)
    return candidates[name], name  # type: ignore[return-value]


def building_side_w(
    ground_w: ArrayLike, efficiency: ArrayLike, mode: Literal["heating", "cooling"]
) -> NDArray[np.float64]:
    """Heat at the building from heat at the ground: heating P·COP/(COP−1); cooling
    P·EER/(EER+1) (the compressor's work is added in heating, rejected in cooling)."""
    ground = np.asarray(ground_w, dtype=np.float64)
    e = np.asarray(efficiency, dtype=np.float64)
    if mode == "heating":
        return ground * e / (e - 1)
    return ground * e / (e + 1)


AQUIFER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K = 2.8e6  # saturated sand and gravel (literature)


def breakthrough_spacing_m(
    flow_m3_per_s: ArrayLike,
    thickness_m: ArrayLike,
    duration_s: float,
    aquifer_heat_capacity_j_per_m3_k: float = AQUIFER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
    water_heat_capacity_j_per_m3_k: float = WATER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
) -> NDArray[np.float64]:
    """Doublet spacing whose thermal breakthrough takes `duration_s`, m.

    Breakthrough time of a doublet without regional flow, t_b = π ρa ca b d² / (3 ρw cw Q)
    (Gringarten & Sauty 1975; literature, check before citing), solved for d.
    """
    flow = np.asarray(flow_m3_per_s, dtype=np.float64)
    thickness = np.asarray(thickness_m, dtype=np.float64)
    return np.sqrt(
        3
        * water_heat_capacity_j_per_m3_k
        * flow
        * duration_s
        / (np.pi * aquifer_heat_capacity_j_per_m3_k * thickness)
    )


def sustainable_doublet(
    transmissivity_m2_per_s: ArrayLike,
    thickness_m: ArrayLike,
    allowed_drawdown_m: float,
    well_radius_m: float,
    season_s: float,
    first_spacing_m: float = 100.0,
    iterations: int = 3,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(flow per well m³/s, doublet spacing m): the largest Thiem flow within the allowed
    drawdown at the spacing that keeps thermal breakthrough beyond one season.

    The flow depends on the spacing (ln d) and the spacing on the flow (√Q): a few fixed-point
    steps settle both. NaN transmissivity (no aquifer) stays NaN.
    """
    transmissivity = np.asarray(transmissivity_m2_per_s, dtype=np.float64)
    spacing = np.full(transmissivity.shape, first_spacing_m)
    flow = np.full(transmissivity.shape, np.nan)
    for _ in range(iterations):
        # Thiem's doublet flow, Q = 2πT s_max / ln(d/r_w), with each cell's own spacing
        flow = 2 * np.pi * transmissivity * allowed_drawdown_m / np.log(spacing / well_radius_m)
        spacing = np.maximum(
            breakthrough_spacing_m(flow, thickness_m, season_s), 10 * well_radius_m
        )
    return flow, spacing


# One-sided standard normal quantile of 0.9: P10/P90 = P50 · 10^(∓1.2816 σ) for a log-normal.
Z_P90 = 1.2815515655446004


def log_normal_bands(
    p50: ArrayLike, log10_sigma: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(P50, P10, P90) of a log-normally distributed quantity such as transmissivity, whose
    log10 has standard deviation `log10_sigma` (hydraulic properties are log-normal: Freeze
    1975; literature, check before citing). NaN stays NaN."""
    median = np.asarray(p50, dtype=np.float64)
    factor = 10.0 ** (Z_P90 * np.asarray(log10_sigma, dtype=np.float64))
    return median, median / factor, median * factor
