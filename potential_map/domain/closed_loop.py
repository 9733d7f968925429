"""Closed-loop (borehole heat exchanger) potential: G.POT. Pure numpy: no Django, SI units.

G.POT, CASASSO-SETHI-2016 (Energy 106:765–773), as implemented in GRASS r.green.gshp
(`libgshp/gpot.py`, GRASS-RGREEN). The result is the **annual-mean** power one BHE can
exchange for the whole lifetime without its fluid passing the limit temperature.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.lib.physical_defaults import GRASS_REFERENCE_BOREHOLE, BoreholeGeometry

SECONDS_PER_DAY = 86400.0
SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY  # G.POT counts 365-day years (GRASS-RGREEN gpot.py)
HOURS_PER_YEAR = 8760.0
# G.POT's fit of the finite line source (CASASSO-SETHI-2016 eq. 7 coefficients)
G_COEFFICIENTS = (-0.619, 0.532, -0.962, -0.455, -1.619)


def borehole_resistance_m_k_per_w(
    borehole_radius_m: ArrayLike,
    pipe_radius_m: ArrayLike,
    pipe_count: ArrayLike,
    grout_conductivity_w_per_m_k: ArrayLike,
) -> NDArray[np.float64]:
    """R_b = 1/(2π λ_grout) · ln(r_b / (√n · r_pipe)), m·K/W.

    Shonder & Beck (2000), as GRASS r.green.gshp computes R_b when none is given (GRASS-RGREEN
    gpot.py); GRASS's defaults (r_b 0.075 m, r_pipe 0.016 m, n 4, λ_grout 2 W/(m·K))
    give 0.0678 m·K/W.
    """
    r_b = np.asarray(borehole_radius_m, dtype=np.float64)
    r_p = np.asarray(pipe_radius_m, dtype=np.float64)
    n = np.asarray(pipe_count, dtype=np.float64)
    lam = np.asarray(grout_conductivity_w_per_m_k, dtype=np.float64)
    return np.log(r_b / (np.sqrt(n) * r_p)) / (2 * np.pi * lam)


def resolve_borehole_resistance(
    given_m_k_per_w: float | None,
    geometry: BoreholeGeometry = GRASS_REFERENCE_BOREHOLE,
) -> tuple[float, str]:
    """(R_b in m·K/W, what it is): the given value (e.g. from a TRT) when there is one, else
    Shonder & Beck (2000) from the borehole geometry, as GRASS r.green.gshp does when its
    `borehole_resistence` is nan (GRASS-RGREEN r.green.gshp.theoretical). The label goes with
    every result using it.
    """
    if given_m_k_per_w is not None and np.isfinite(given_m_k_per_w):
        if given_m_k_per_w <= 0:
            raise ValueError("a borehole resistance must be positive")
        return float(given_m_k_per_w), "given"
    value = float(
        borehole_resistance_m_k_per_w(
            geometry.radius_m,
            geometry.pipe_radius_m,
            geometry.pipe_count,
            geometry.grout_conductivity_w_per_m_k,
        )
    )
    return value, (
        "Shonder & Beck (2000) from the borehole geometry: "
        f"r_b {geometry.radius_m:g} m, r_pipe {geometry.pipe_radius_m:g} m, "
        f"{geometry.pipe_count} pipes, λ_grout {geometry.grout_conductivity_w_per_m_k:g} W/(m·K)"
    )


def g_max(
    season_fraction: ArrayLike, u_season: ArrayLike, u_lifetime: ArrayLike
) -> NDArray[np.float64]:
    """G_max = −0.619 t'c ln u's + (0.532 t'c − 0.962) ln u'c − 0.455 t'c − 1.619 (no unit)."""
    a, b, c, d, e = G_COEFFICIENTS
    tc = np.asarray(season_fraction, dtype=np.float64)
    return a * tc * np.log(u_lifetime) + (b * tc + c) * np.log(u_season) + d * tc + e


def gpot_heat_rate_w(
    conductivity_w_per_m_k: ArrayLike,
    volumetric_heat_capacity_j_per_m3_k: ArrayLike,
    ground_temperature_k: ArrayLike,
    fluid_limit_temperature_k: ArrayLike,
    borehole_length_m: float,
    borehole_radius_m: float,
    borehole_resistance_m_k_per_w: float,
    season_s: ArrayLike,
    lifetime_s: float,
    mode: Literal["heating", "cooling"] = "heating",
) -> NDArray[np.float64]:
    """Annual-mean sustainable heat rate of one BHE, W (G.POT, CASASSO-SETHI-2016 eq. 7).

    Q = 8 ΔT λ L t'c / (G_max + 4π λ R_b), ΔT = T0 − T_lim (heating) or T_lim − T0 (cooling),
    t'c = season / year, u'c = r_b²/(4 α t_c), u's = r_b²/(4 α t_s), α = λ / ρc.
    Heating extracts heat; cooling rejects it. A result ≤ 0 (the ground already past the
    limit) is NaN, not zero, as in GRASS; NaN inputs give NaN.
    """
    lam = np.asarray(conductivity_w_per_m_k, dtype=np.float64)
    rho_c = np.asarray(volumetric_heat_capacity_j_per_m3_k, dtype=np.float64)
    t0 = np.asarray(ground_temperature_k, dtype=np.float64)
    t_lim = np.asarray(fluid_limit_temperature_k, dtype=np.float64)
    season = np.asarray(season_s, dtype=np.float64)
    # fmin ignores NaN (no value is allowed through); one pass, no temporary mask.
    if (lam.size and np.fmin.reduce(lam, axis=None) <= 0) or np.any(rho_c <= 0):
        raise ValueError("conductivity and heat capacity must be positive")
    if mode not in ("heating", "cooling"):
        raise ValueError(f"mode must be heating or cooling, not {mode!r}")
    # Reduced form (PERFORMANCE.md): ln u = ln(r_b² ρc / (4 t)) − ln λ, so
    # G_max = intercept − slope · ln λ, with intercept and slope free of λ (scalars when ρc and
    # the season are); dividing through by λ, Q = 8 ΔT L t'c / (G_max/λ + 4π R_b).
    # One log and a few in-place passes over the cells.
    a, b, c, d, e = G_COEFFICIENTS
    season_fraction = season / SECONDS_PER_YEAR
    log_r2_rho_c = np.log(borehole_radius_m**2 * rho_c / 4)
    season_coefficient = b * season_fraction + c
    intercept = (
        a * season_fraction * (log_r2_rho_c - np.log(lifetime_s))
        + season_coefficient * (log_r2_rho_c - np.log(season))
        + d * season_fraction
        + e
    )
    slope = a * season_fraction + season_coefficient
    denominator = np.log(lam)
    denominator *= -slope
    denominator += intercept
    denominator /= lam
    denominator += 4 * np.pi * borehole_resistance_m_k_per_w
    delta_t = np.subtract(t0, t_lim) if mode == "heating" else np.subtract(t_lim, t0)
    power = np.asarray(delta_t, dtype=np.float64)
    power *= 8 * borehole_length_m * season_fraction
    if power.shape == np.shape(denominator):
        power /= denominator
    else:
        power = np.asarray(power / denominator)
    # A result ≤ 0 (or NaN) is no value: `power > 0` is False for NaN too.
    no_value = np.asarray(np.greater(power, 0))
    np.logical_not(no_value, out=no_value)
    np.copyto(power, np.nan, where=no_value)
    return power


def annual_energy_j(heat_rate_w: ArrayLike) -> NDArray[np.float64]:
    """Energy over a year at the annual-mean rate, J (GRASS: MWh = 0.00876 × W)."""
    return np.asarray(heat_rate_w, dtype=np.float64) * HOURS_PER_YEAR * 3600.0


def season_rates_w_per_m(
    annual_mean_w_per_m: ArrayLike, season_s: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(season mean, season peak) of an annual-mean rate (the half-sine seasonal load of
    CASASSO-SETHI-2016; literature).

    season mean = annual mean / t'c; peak ≈ (π/2) × season mean for a half-sine seasonal load.
    """
    season_mean = np.asarray(annual_mean_w_per_m, dtype=np.float64) / (
        np.asarray(season_s, dtype=np.float64) / SECONDS_PER_YEAR
    )
    return season_mean, np.pi / 2 * season_mean


def gpot_bands_w(
    conductivity_w_per_m_k: tuple[ArrayLike, ArrayLike, ArrayLike],
    ground_temperature_k: tuple[ArrayLike, ArrayLike, ArrayLike],
    volumetric_heat_capacity_j_per_m3_k: ArrayLike,
    fluid_limit_temperature_k: float,
    borehole_length_m: float,
    borehole_radius_m: float,
    borehole_resistance_m_k_per_w: float,
    season_s: float,
    lifetime_s: float,
    mode: Literal["heating", "cooling"] = "heating",
    correlation: Literal["independent", "full"] = "independent",
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(P10, P50, P90) of G.POT's annual-mean heat rate, W, from the P10/P50/P90 of λ and T0.

    G.POT (CASASSO-SETHI-2016 eq. 7) is Q = ΔT · K(λ) with ΔT = T0 − T_lim (heating) or
    T_lim − T0 (cooling) and K(λ) = 8 L t'c / (G_max + 4π λ R_b) · λ free of T0, so K is
    evaluated once per λ quantile (the reduced form at ΔT = 1 K) and Q at any T0 is one multiply.

    Method: one-at-a-time quantiles combined in quadrature. Q is monotonic in λ and in T0, so
    Q(λ_P10, T0_P50) and Q(λ_P50, T0_P10) are the exact P10 of Q when only that input is
    uncertain; with `correlation="independent"` (the default) the two deviations from P50 are
    added in quadrature, P10 = P50 − √(Δ_λ² + Δ_T²), which is exact for a linear response to
    independent Gaussian inputs and first-order otherwise (a Monte Carlo of 20 000 draws agrees
    within a few per cent, tests/potential_map/test_gpot_bands.py). λ (from boreholes and the
    lithology table) and T0 (from climate stations) come from different data, so independent is
    the honest default; `correlation="full"` adds the deviations (P10 = P50 − Δ_λ − Δ_T), the
    same as evaluating both inputs at their P10 together: wider, for a worst case. Chosen over a
    Monte Carlo per cell because it costs 3 G.POT passes instead of hundreds and gives the same
    bands to a few per cent.

    A band ≤ 0 (the ground past the fluid limit at that quantile) is NaN, as GRASS makes any
    G.POT result ≤ 0 (GRASS-RGREEN gpot.py: `if(power<0, null(), power)`), so a freezing P10
    shows as "no potential" there.
    """
    if correlation not in ("independent", "full"):
        raise ValueError(f"correlation must be independent or full, not {correlation!r}")
    sign = 1.0 if mode == "heating" else -1.0
    unit_delta = fluid_limit_temperature_k + sign  # ΔT = 1 K in this mode
    k10, k50, k90 = (
        gpot_heat_rate_w(
            lam,
            volumetric_heat_capacity_j_per_m3_k,
            unit_delta,
            fluid_limit_temperature_k,
            borehole_length_m,
            borehole_radius_m,
            borehole_resistance_m_k_per_w,
            season_s,
            lifetime_s,
            mode=mode,
        )
        for lam in conductivity_w_per_m_k
    )
    t10, t50, t90 = (np.asarray(t, dtype=np.float64) for t in ground_temperature_k)
    # ΔT's quantiles: heating takes T0's in order, cooling in reverse (warmer ground, less ΔT).
    limit = fluid_limit_temperature_k
    if mode == "heating":
        dt10, dt50, dt90 = t10 - limit, t50 - limit, t90 - limit
    else:
        dt10, dt50, dt90 = limit - t90, limit - t50, limit - t10
    q50 = dt50 * k50
    by_conductivity = (dt50 * k10, dt50 * k90)
    by_temperature = (dt10 * k50, dt90 * k50)
    low_c = q50 - np.fmin(*by_conductivity)
    high_c = np.fmax(*by_conductivity) - q50
    low_t = q50 - np.fmin(*by_temperature)
    high_t = np.fmax(*by_temperature) - q50
    if correlation == "independent":
        p10 = q50 - np.hypot(low_c, low_t)
        p90 = q50 + np.hypot(high_c, high_t)
    else:
        p10 = q50 - (low_c + low_t)
        p90 = q50 + (high_c + high_t)
    bands = []
    for band in (p10, q50, p90):
        band = np.array(band, dtype=np.float64)
        band[~(band > 0)] = np.nan
        bands.append(band)
    return bands[0], bands[1], bands[2]
