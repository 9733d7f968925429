"""G.POT against a hand calculation, the case file, and its monotonic behaviour (pure)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from potential_map.domain.closed_loop import (
    SECONDS_PER_DAY,
    SECONDS_PER_YEAR,
    annual_energy_j,
    borehole_resistance_m_k_per_w,
    gpot_heat_rate_w,
    season_rates_w_per_m,
)
from tests.cases import case

# GRASS r.green.gshp.theoretical defaults (GRASS-RGREEN), R_b as in its doctests.
DEFAULTS = {
    "volumetric_heat_capacity_j_per_m3_k": 2.5e6,
    "borehole_length_m": 100.0,
    "borehole_radius_m": 0.075,
    "borehole_resistance_m_k_per_w": 0.1,
    "lifetime_s": 50 * SECONDS_PER_YEAR,
}


def gpot_by_hand(lam, rho_c, t0_c, t_lim_c, length, r_b, rb_thermal, season_days, years):
    """methods.md §3.1 written out with math, one scalar at a time."""
    tc = season_days / 365
    alpha = lam / rho_c
    uc = r_b**2 / (4 * alpha * season_days * 24 * 3600)
    us = r_b**2 / (4 * alpha * years * 365 * 24 * 3600)
    g = -0.619 * tc * math.log(us) + (0.532 * tc - 0.962) * math.log(uc) - 0.455 * tc - 1.619
    return 8 * (t0_c - t_lim_c) * lam * length * tc / (g + 4 * math.pi * lam * rb_thermal)


def test_gpot_equals_the_hand_calculation() -> None:
    expected = gpot_by_hand(2.0, 2.5e6, 10.0, -2.0, 100.0, 0.075, 0.1, 180, 50)
    actual = gpot_heat_rate_w(
        2.0,
        ground_temperature_k=283.15,
        fluid_limit_temperature_k=271.15,
        season_s=180 * SECONDS_PER_DAY,
        **DEFAULTS,
    )
    assert float(actual) == pytest.approx(expected, rel=1e-12)
    # STYLE.md's anchor: λ = 2 gives about 8.4 W/m as an annual mean (heating, GRASS defaults)
    assert float(actual) / 100 == pytest.approx(8.4, abs=0.5)


def test_a_ground_colder_than_the_fluid_limit_gives_no_value() -> None:
    c = case("methods.csv", "M-11")  # T0 −3 °C below T_lim −2 °C in heating → null, not zero
    result = gpot_heat_rate_w(
        c.inputs["lambda_w_per_mk"],
        ground_temperature_k=c.inputs["t0_c"] + 273.15,
        fluid_limit_temperature_k=c.inputs["t_lim_c"] + 273.15,
        season_s=c.inputs["season_days"] * SECONDS_PER_DAY,
        **DEFAULTS,
    )
    assert c.expected["q_bhe_w"] is None
    assert np.isnan(result)


def test_the_rate_is_linear_in_the_borehole_length() -> None:
    c = case("methods.csv", "M-12")
    rates = [
        float(
            gpot_heat_rate_w(
                2.0,
                2.5e6,
                283.15,
                271.15,
                length,
                0.075,
                0.1,
                180 * SECONDS_PER_DAY,
                50 * SECONDS_PER_YEAR,
            )
        )
        for length in c.inputs["length_m"]
    ]
    assert c.matches("ratio_q200_over_q100", rates[1] / rates[0])


def test_energy_per_year_is_8760_hours_of_the_annual_mean() -> None:
    c = case("methods.csv", "M-14")
    mwh = float(annual_energy_j(c.inputs["q_bhe_w"])) / 3.6e9
    assert c.matches("energy_mwh_per_yr", mwh)


def test_season_mean_and_peak_of_an_annual_mean() -> None:
    c = case("methods.csv", "M-13")
    mean, peak = season_rates_w_per_m(
        c.inputs["annual_mean_w_per_m"], c.inputs["season_days"] * SECONDS_PER_DAY
    )
    assert c.matches("season_mean_w_per_m", float(mean))
    assert c.matches("season_peak_w_per_m", float(peak))


def test_borehole_resistance_properties() -> None:
    c = case("methods.csv", "M-15")
    four, two = borehole_resistance_m_k_per_w(0.075, 0.016, c.inputs["n_pipes"], 2.0)
    assert bool(two > four) is c.expected["rb_increases_when_pipes_fewer"]
    grout_2, grout_1 = borehole_resistance_m_k_per_w(
        0.075, 0.016, 4, c.inputs["lambda_grout_w_per_mk"]
    )
    assert (
        bool(grout_2 == pytest.approx(grout_1 / 2))
        is c.expected["rb_halves_when_grout_conductivity_doubles"]
    )


def test_cooling_uses_the_upper_limit_above_the_ground() -> None:
    # Okinawa: ground 23 °C, fluid up to 30 °C (OKINAWA-FY2017 §2.7): 7 K of headroom.
    cooling = gpot_heat_rate_w(
        2.0,
        ground_temperature_k=296.15,
        fluid_limit_temperature_k=303.15,
        season_s=180 * SECONDS_PER_DAY,
        mode="cooling",
        **DEFAULTS,
    )
    heating_same_delta = gpot_heat_rate_w(
        2.0,
        ground_temperature_k=303.15,
        fluid_limit_temperature_k=296.15,
        season_s=180 * SECONDS_PER_DAY,
        **DEFAULTS,
    )
    assert float(cooling) == pytest.approx(float(heating_same_delta))


lambdas = st.floats(0.5, 4.0)


@given(lam=lambdas, extra=st.floats(0.01, 2.0))
def test_more_conductivity_gives_more_watts_per_metre(lam: float, extra: float) -> None:
    low, high = (
        gpot_heat_rate_w(
            value,
            ground_temperature_k=283.15,
            fluid_limit_temperature_k=271.15,
            season_s=180 * SECONDS_PER_DAY,
            **DEFAULTS,
        )
        for value in (lam, lam + extra)
    )
    assert high > low


@given(lam=lambdas, days=st.integers(60, 300), extra=st.integers(5, 60))
def test_a_longer_season_raises_the_annual_mean_but_lowers_the_season_mean(
    lam: float, days: int, extra: int
) -> None:
    def rates(season_days: int) -> tuple[float, float]:
        season_s = season_days * SECONDS_PER_DAY
        annual = float(
            gpot_heat_rate_w(
                lam,
                ground_temperature_k=283.15,
                fluid_limit_temperature_k=271.15,
                season_s=season_s,
                **DEFAULTS,
            )
        )
        return annual, float(season_rates_w_per_m(annual, season_s)[0])

    short, long = rates(days), rates(min(days + extra, 365))
    assert long[0] > short[0]  # annual mean
    assert long[1] < short[1]  # heating-season mean


def test_nan_conductivity_is_no_value() -> None:
    result = gpot_heat_rate_w(
        np.array([np.nan, 2.0]),
        ground_temperature_k=283.15,
        fluid_limit_temperature_k=271.15,
        season_s=180 * SECONDS_PER_DAY,
        **DEFAULTS,
    )
    assert np.isnan(result[0])
    assert result[1] > 0
