"""Closed-loop (borehole heat exchanger) potential: G.POT. Pure numpy: no Django, SI units.

G.POT, CASASSO-SETHI-2016 (Energy 106:765–773), as implemented in GRASS r.green.gshp
(`libgshp/gpot.py`, methods.md §3.1). The result is the **annual-mean** power one BHE can
exchange for the whole lifetime without its fluid passing the limit temperature.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

SECONDS_PER_DAY = 86400.0
SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY  # G.POT counts 365-day years (methods.md §3.1)
HOURS_PER_YEAR = 8760.0
# G.POT's fit of the finite line source (CASASSO-SETHI-2016 eq. 7 coefficients)
G_COEFFICIENTS = (-0.619, 0.532, -0.962, -0.455, -1.619)


def borehole_resistance_m_k_per_w(
    borehole_radius_m: ArrayLike,
    pipe_radius_m: ArrayLike,
    pipe_count: ArrayLike,
    grout_conductivity_w_per_m_k: ArrayLike,
) -> NDArray[np.float64]:
    """R_b = 1/(2π λ_grout) · ln(r_b / (√n · r_pipe)), m·K/W (Shonder & Beck 2000, GRASS)."""
    r_b = np.asarray(borehole_radius_m, dtype=np.float64)
    r_p = np.asarray(pipe_radius_m, dtype=np.float64)
    n = np.asarray(pipe_count, dtype=np.float64)
    lam = np.asarray(grout_conductivity_w_per_m_k, dtype=np.float64)
    return np.log(r_b / (np.sqrt(n) * r_p)) / (2 * np.pi * lam)


def g_max(season_fraction: ArrayLike, u_season: ArrayLike, u_lifetime: ArrayLike) -> NDArray:
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
    """(season mean, season peak) of an annual-mean rate (methods.md §2; literature).

    season mean = annual mean / t'c; peak ≈ (π/2) × season mean for a half-sine seasonal load.
    """
    season_mean = np.asarray(annual_mean_w_per_m, dtype=np.float64) / (
        np.asarray(season_s, dtype=np.float64) / SECONDS_PER_YEAR
    )
    return season_mean, np.pi / 2 * season_mean
