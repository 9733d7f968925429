"""An open-loop doublet within all its limits, each against a hand calculation (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from potential_map.domain.closed_loop import SECONDS_PER_YEAR
from potential_map.domain.open_loop_limits import (
    LIMIT_CRITICAL,
    LIMIT_DRAWDOWN,
    LIMIT_HEADROOM,
    LIMIT_LICENCE,
    design_life_spacing_m,
    doublet_limits,
    injection_headroom_m,
    transmissivity_near_tests,
)

WELL_RADIUS_M = 0.075
DESIGN_LIFE_S = 20 * SECONDS_PER_YEAR
# ln(100 m / 0.075 m) = ln(1333.33) = 7.19544
LN_100_M = 7.19544


def limits(**overrides):  # type: ignore[no-untyped-def]
    arguments = {
        "transmissivity_m2_per_s": np.array([1e-3]),
        "thickness_m": 20.0,
        "allowed_drawdown_m": 5.0,
        "depth_to_water_m": np.array([20.0]),
        "well_radius_m": WELL_RADIUS_M,
        "design_life_s": DESIGN_LIFE_S,
        "spacing_m": 100.0,
    }
    arguments.update(overrides)
    return doublet_limits(**arguments)


def test_the_open_loop_rate_is_limited_by_the_injection_headroom_where_the_table_is_shallow() -> (
    None
):
    # By hand, T = 1e-3 m²/s, d = 100 m, r_w = 0.075 m, margin 1 m:
    # deep table (20 m): headroom 19 m > 5 m allowed drawdown, Q = 2π·1e-3·5 / 7.19544
    #                    = 4.3661e-3 m³/s, limited by the drawdown;
    # shallow (2 m):     headroom 2 − 1 = 1 m, the mound may rise 1 m only:
    #                    Q = 2π·1e-3·1 / 7.19544 = 8.7322e-4 m³/s, limited by the headroom.
    deep = limits()
    shallow = limits(depth_to_water_m=np.array([2.0]))
    assert deep.flow_m3_per_s[0] == pytest.approx(2 * np.pi * 1e-3 * 5 / LN_100_M, rel=1e-5)
    assert deep.flow_m3_per_s[0] == pytest.approx(4.3661e-3, rel=1e-4)
    assert deep.limiting[0] == LIMIT_DRAWDOWN
    assert shallow.flow_m3_per_s[0] == pytest.approx(8.7322e-4, rel=1e-4)
    assert shallow.limiting[0] == LIMIT_HEADROOM
    assert shallow.allowed_head_change_m[0] == 1.0


def test_a_water_table_within_the_margin_allows_no_injection() -> None:
    assert injection_headroom_m([0.8, 1.0, 3.5, np.nan], 1.0) == pytest.approx(
        [0.0, 0.0, 2.5, np.nan], nan_ok=True
    )
    result = limits(depth_to_water_m=np.array([0.8]))
    assert result.flow_m3_per_s[0] == 0.0
    assert result.limiting[0] == LIMIT_HEADROOM


def test_an_unknown_water_table_does_not_limit() -> None:
    result = limits(depth_to_water_m=np.array([np.nan]))
    assert result.flow_m3_per_s[0] == pytest.approx(4.3661e-3, rel=1e-4)
    assert result.limiting[0] == LIMIT_DRAWDOWN


def test_the_critical_rate_limits_a_doublet_in_slow_regional_flow() -> None:
    # By hand: Q_crit = (π/2) b q d = 1.5708 × 20 m × 1e-7 m/s × 100 m = 3.1416e-4 m³/s,
    # below the hydraulic 4.3661e-3.
    result = limits(darcy_flux_m_per_s=1e-7)
    assert result.critical_m3_per_s[0] == pytest.approx(3.1416e-4, rel=1e-4)
    assert result.flow_m3_per_s[0] == pytest.approx(3.1416e-4, rel=1e-4)
    assert result.limiting[0] == LIMIT_CRITICAL
    # Faster flow (1e-5 m/s): Q_crit = 3.1416e-2, the drawdown limits again.
    assert limits(darcy_flux_m_per_s=1e-5).limiting[0] == LIMIT_DRAWDOWN


def test_the_licence_limits_when_it_is_the_smallest() -> None:
    result = limits(licence_m3_per_s=1e-4, darcy_flux_m_per_s=1e-7)
    assert result.flow_m3_per_s[0] == 1e-4
    assert result.limiting[0] == LIMIT_LICENCE


def test_the_spacing_protects_the_design_life_not_one_season() -> None:
    # By hand (Gringarten & Sauty): d = √(3 ρw cw Q t / (π ρa ca b)), Q = 1e-3 m³/s, b = 10 m,
    # ρw cw = 4.186e6, ρa ca = 2.8e6 J/(m³·K):
    # 20 years, t = 6.3072e8 s: d² = 3·4.186e6·1e-3·6.3072e8 / (π·2.8e6·10) = 7.9206e12 / 8.7965e7
    #                            = 9.0043e4 → d = 300.07 m;
    # 180 days, t = 1.5552e7 s: d² = 2220.2 → d = 47.12 m.
    life = design_life_spacing_m(1e-3, 10.0, 20 * SECONDS_PER_YEAR)
    season = design_life_spacing_m(1e-3, 10.0, 180 * 86400.0)
    assert life == pytest.approx(300.07, abs=0.01)
    assert season == pytest.approx(47.12, abs=0.01)
    # Half the time pumping moves the front half as far: d shrinks by √2.
    assert design_life_spacing_m(1e-3, 10.0, DESIGN_LIFE_S, 0.5) == pytest.approx(life / np.sqrt(2))
    with pytest.raises(ValueError, match="operating_fraction"):
        design_life_spacing_m(1e-3, 10.0, DESIGN_LIFE_S, 0.0)


def test_a_designed_doublet_is_self_consistent() -> None:
    transmissivity = np.array([1e-4, 1e-3, 1e-2, np.nan])
    result = doublet_limits(
        transmissivity, 20.0, 5.0, np.array([20.0, 20.0, 3.0, 20.0]), WELL_RADIUS_M, DESIGN_LIFE_S
    )
    ok = np.isfinite(transmissivity)
    # Its spacing is the design-life spacing of its own rate, and its rate Thiem's at it.
    assert result.spacing_m[ok] == pytest.approx(
        np.maximum(design_life_spacing_m(result.flow_m3_per_s[ok], 20.0, DESIGN_LIFE_S), 0.75),
        rel=1e-3,
    )
    head = np.array([5.0, 5.0, 2.0])
    assert result.flow_m3_per_s[ok] == pytest.approx(
        2 * np.pi * transmissivity[ok] * head / np.log(result.spacing_m[ok] / WELL_RADIUS_M),
        rel=1e-3,
    )
    assert list(result.limiting) == [LIMIT_DRAWDOWN, LIMIT_DRAWDOWN, LIMIT_HEADROOM, -1]
    # No aquifer is no value, not zero.
    assert np.isnan(result.flow_m3_per_s[3])
    assert np.isnan(result.spacing_m[3])
    # Twenty years of one-way operation need a wider doublet than one season would.
    one_season = doublet_limits(transmissivity, 20.0, 5.0, 20.0, WELL_RADIUS_M, 180 * 86400.0)
    assert np.all(result.spacing_m[ok] > 2 * one_season.spacing_m[ok])


def test_a_pumping_test_applies_only_inside_its_aquifer() -> None:
    cells = np.array([[0.0, 0.0], [500.0, 0.0], [1500.0, 0.0], [3000.0, 0.0], [600.0, 0.0]])
    base = np.array([1e-4, np.nan, 2e-4, 3e-4, 1e-4])  # cell 1: clay, no aquifer
    aquifer = np.isfinite(base)
    unit = np.array([1, 2, 1, 1, 3])  # cell 4: another aquifer unit than the tested well's
    value, taken = transmissivity_near_tests(
        base, cells, aquifer, np.array([[0.0, 0.0]]), [3.05e-4], 2000.0, unit, [1]
    )
    assert list(taken) == [True, False, True, False, False]
    assert value == pytest.approx([3.05e-4, np.nan, 3.05e-4, 3e-4, 1e-4], nan_ok=True)
    # Without unit ids, only the aquifer mask applies.
    _value, taken = transmissivity_near_tests(
        base, cells, aquifer, np.array([[0.0, 0.0]]), [3.05e-4], 2000.0
    )
    assert list(taken) == [True, False, True, False, True]
