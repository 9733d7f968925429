"""G.POT's P10/P50/P90 from λ's and T0's bands, and the defaults it runs with (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from core.lib.physical_defaults import (
    GRASS_REFERENCE_BOREHOLE,
    GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
)
from potential_map.domain.closed_loop import (
    SECONDS_PER_DAY,
    SECONDS_PER_YEAR,
    gpot_bands_w,
    gpot_heat_rate_w,
    resolve_borehole_resistance,
)
from potential_map.domain.interpolation import Z90

LIMIT_K = 271.15  # GRASS fluid_limit_temperature default −2 °C (methods.md §3.2)
COOLING_LIMIT_K = 308.15
GEOMETRY = GRASS_REFERENCE_BOREHOLE
SEASON_S = 180 * SECONDS_PER_DAY
LIFETIME_S = 50 * SECONDS_PER_YEAR
R_B, _LABEL = resolve_borehole_resistance(None)


def bands(lam: tuple, t0: tuple, mode: str = "heating", correlation: str = "independent"):
    return gpot_bands_w(
        lam,
        t0,
        GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
        LIMIT_K if mode == "heating" else COOLING_LIMIT_K,
        GEOMETRY.length_m,
        GEOMETRY.radius_m,
        R_B,
        SEASON_S,
        LIFETIME_S,
        mode=mode,
        correlation=correlation,
    )


def gpot(lam, t0, mode: str = "heating"):
    return gpot_heat_rate_w(
        lam,
        GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K,
        t0,
        LIMIT_K if mode == "heating" else COOLING_LIMIT_K,
        GEOMETRY.length_m,
        GEOMETRY.radius_m,
        R_B,
        SEASON_S,
        LIFETIME_S,
        mode=mode,
    )


def gaussian(p50: np.ndarray, sigma: np.ndarray) -> tuple:
    return p50 - Z90 * sigma, p50, p50 + Z90 * sigma


# -- defaults with their source ---------------------------------------------------------------


def test_r_b_is_shonder_and_beck_from_grass_defaults_not_0_1() -> None:
    # By hand: ln(0.075 / (√4 × 0.016)) / (2π × 2) = ln(2.34375) / 12.566 = 0.85175 / 12.566
    # = 0.06778 m·K/W (methods.md §3.1–3.2).
    value, label = resolve_borehole_resistance(None)
    assert value == pytest.approx(0.0678, abs=5e-5)
    assert value == pytest.approx(np.log(0.075 / (2 * 0.016)) / (4 * np.pi))
    assert label.startswith("Shonder & Beck (2000)")
    assert resolve_borehole_resistance(0.12) == (0.12, "given")
    with pytest.raises(ValueError, match="positive"):
        resolve_borehole_resistance(-0.1)


def test_one_ground_heat_capacity_is_grass_default() -> None:
    assert GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K == 2.5e6  # GRASS, methods.md §3.2


# -- bands ------------------------------------------------------------------------------------


def test_p50_is_g_pot_at_the_medians_and_the_bands_are_ordered() -> None:
    rng = np.random.default_rng(7)
    lam50 = rng.uniform(1.0, 3.5, 500)
    t50 = rng.uniform(280.0, 292.0, 500)
    lam = gaussian(lam50, rng.uniform(0.05, 0.5, 500))
    t0 = gaussian(t50, rng.uniform(0.2, 2.0, 500))
    p10, p50, p90 = bands(lam, t0)
    assert p50 == pytest.approx(gpot(lam50, t50), rel=1e-12)
    finite = np.isfinite(p10)
    assert finite.mean() > 0.9
    assert np.all(p10[finite] <= p50[finite])
    assert np.all(p50 <= p90)


def test_with_a_known_t0_the_band_is_g_pot_at_the_lambda_quantiles() -> None:
    # G.POT is monotonic in λ: with T0 known, its P10/P90 are G.POT at λ's P10/P90 exactly.
    lam = (np.array([1.6]), np.array([2.0]), np.array([2.4]))
    t0 = (np.array([285.0]),) * 3
    p10, _p50, p90 = bands(lam, t0)
    assert p10[0] == pytest.approx(gpot(1.6, 285.0))
    assert p90[0] == pytest.approx(gpot(2.4, 285.0))


def test_the_band_widens_with_t0s_uncertainty() -> None:
    lam = gaussian(np.array([2.0]), np.array([0.2]))
    widths = []
    for sigma in (0.0, 0.3, 1.0, 2.0):
        p10, _p50, p90 = bands(lam, gaussian(np.array([285.0]), np.array([sigma])))
        widths.append(float(p90[0] - p10[0]))
    assert widths == sorted(widths)
    assert len(set(widths)) == 4
    # With λ known, G.POT is linear in T0: the band is exactly K(λ) × T0's band.
    known = (np.array([2.0]),) * 3
    p10, p50, p90 = bands(known, gaussian(np.array([285.0]), np.array([1.0])))
    per_kelvin = p50[0] / (285.0 - LIMIT_K)
    assert p90[0] - p10[0] == pytest.approx(2 * Z90 * 1.0 * per_kelvin)


def test_independent_quadrature_agrees_with_a_monte_carlo() -> None:
    # 20 000 draws of independent Gaussian λ and T0 through the full G.POT formula.
    rng = np.random.default_rng(11)
    for lam_mean, lam_sigma, t_mean, t_sigma in ((2.0, 0.3, 285.0, 1.0), (1.4, 0.25, 280.0, 2.0)):
        lam = rng.normal(lam_mean, lam_sigma, 20_000)
        t0 = rng.normal(t_mean, t_sigma, 20_000)
        sampled = np.nanpercentile(gpot(np.clip(lam, 0.05, None), t0), [10, 50, 90])
        p10, p50, p90 = bands(
            gaussian(np.array([lam_mean]), np.array([lam_sigma])),
            gaussian(np.array([t_mean]), np.array([t_sigma])),
        )
        # Within 3 %: G.POT bends in λ, so the quadrature (exact for a linear response) and
        # the medians' G.POT are first-order; the sampling error itself is below 1 %.
        assert p10[0] == pytest.approx(sampled[0], rel=0.03)
        assert p50[0] == pytest.approx(sampled[1], rel=0.03)
        assert p90[0] == pytest.approx(sampled[2], rel=0.03)


def test_full_correlation_is_the_wider_worst_case() -> None:
    lam = gaussian(np.array([2.0]), np.array([0.3]))
    t0 = gaussian(np.array([285.0]), np.array([1.0]))
    independent = bands(lam, t0)
    full = bands(lam, t0, correlation="full")
    assert full[0][0] < independent[0][0]
    assert full[2][0] > independent[2][0]
    # Fully correlated = both inputs at their P10 together (G.POT is Q = ΔT · K(λ)).
    assert full[0][0] == pytest.approx(
        gpot(lam[0][0], 285.0) + gpot(2.0, t0[0][0]) - gpot(2.0, 285.0)
    )
    with pytest.raises(ValueError, match="independent or full"):
        bands(lam, t0, correlation="partial")


def test_cooling_takes_t0s_quantiles_in_reverse() -> None:
    lam = (np.array([2.0]),) * 3
    t0 = gaussian(np.array([296.0]), np.array([1.0]))
    p10, p50, p90 = bands(lam, t0, mode="cooling")
    # Warmer ground rejects less: cooling's P10 comes from T0's P90.
    assert p10 == pytest.approx(gpot(2.0, t0[2], mode="cooling"))
    assert p90 == pytest.approx(gpot(2.0, t0[0], mode="cooling"))
    assert p10 < p50 < p90


def test_a_p10_past_the_fluid_limit_is_no_value_while_p50_has_one() -> None:
    # Murghab-like ground: T0 1 °C ± 3 K, limit −2 °C: at P10 the ground is below the limit.
    lam = (np.array([2.0]),) * 3
    t0 = gaussian(np.array([274.15]), np.array([3.0]))
    p10, p50, p90 = bands(lam, t0)
    assert np.isnan(p10[0])
    assert p50[0] > 0
    assert p90[0] > p50[0]
