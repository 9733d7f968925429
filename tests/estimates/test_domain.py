"""Design-estimate domain: loads, the guideline's tables, layout, economics, sizing."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from estimates.domain import economics, layout, loads, open_loop_design, selection, sizing
from tests.cases import case, load_cases

MAEBASHI_K = np.array([3.7, 4.6, 8.1, 13.4, 18.6, 22.1, 25.8, 26.9, 22.9, 17.1, 11.1, 6.1]) + 273.15
NAHA_K = np.array([17.3, 17.5, 19.1, 21.5, 24.2, 27.2, 29.1, 29.0, 27.9, 25.5, 22.5, 19.0]) + 273.15


@pytest.mark.parametrize("c", load_cases("guideline.csv", "guideline.system_selector"), ids=str)
def test_the_system_selector_is_the_guidelines_table(c) -> None:
    result = selection.select_system(c.inputs["heat_balance"], c.inputs["groundwater_use"])
    for key in ("closed_loop", "closed_notes", "open_loop", "open_notes"):
        assert c.matches(key, result[key]), key


def test_the_advisory_note_the_table_leaves_out() -> None:
    # GL-T17: biased loads, no groundwater: the table prints no ※2; we add it as advice only.
    result = selection.select_system("biased_or_hot_water", "not_possible")
    assert result["closed_notes"] == []
    assert result["advisory_notes"] == ["※2"]
    assert result["recommended"] == "closed_loop"


@pytest.mark.parametrize("case_id", ["GL-T19", "GL-T19b"])
def test_the_spacing_check(case_id: str) -> None:
    c = case("guideline.csv", case_id)
    assert c.matches("status", [layout.spacing_status(d) for d in c.inputs["distance_m"]])


def test_a_30_m_square_parcel_fits_25_boreholes_at_6_m_with_a_3_m_setback() -> None:
    # by hand: the inner square is 24 m wide; 0, 6, 12, 18, 24 m on each axis → 5 × 5
    parcel = shapely.box(0, 0, 30, 30)
    positions = layout.grid_positions(parcel, 6.0, 3.0)
    assert len(positions) == 25
    assert layout.grid_positions(shapely.box(0, 0, 5, 5), 6.0, 3.0).shape == (0, 2)
    assert layout.field_shape(10) == (3, 4)


@pytest.mark.parametrize("case_id", ["GL-T01", "GL-T02", "GL-T03", "GL-T06", "GL-T07"])
def test_savings_per_carrier(case_id: str) -> None:
    c = case("guideline.csv", case_id)
    before_key = next(k for k in c.inputs if k.startswith("before"))
    after_key = next(k for k in c.inputs if k.startswith("after"))
    result = economics.savings(c.inputs[before_key], c.inputs[after_key])
    saved_key = next(k for k in c.expected if k.startswith("savings_") and k != "savings_rate")
    assert c.matches(saved_key, result["savings"])
    assert c.matches("savings_rate", result["savings_rate"])


def test_primary_energy_and_the_fig_12_running_cost() -> None:
    c = case("guideline.csv", "GL-T04")
    primary = economics.primary_energy_j(
        {"electricity": c.inputs["electricity_mwh"] * 3.6e9},
        {"electricity": c.inputs["factor_gj_per_mwh"] / 3.6},  # GJ/MWh → J/J
    )
    assert c.matches("primary_gj", primary / 1e9)
    # Fig. 12 before: 157.4 MWh × 15 yen + 47.3 t × 360 yen/kg = 2 361 000 + 17 028 000
    cost = economics.running_cost(
        {"electricity": 157.4e3 * 3.6e6, "lpg": 47.3e3},
        {"electricity": 15 / 3.6e6, "lpg": 360.0},
    )
    assert cost == pytest.approx(19_389_000)


def test_payback_statuses() -> None:
    c = case("yoshioka.csv", "YOS-T44")
    refused = economics.simple_payback_years(c.inputs["capex_jpy"], 0, None, 0)
    assert c.matches("status", refused["status"])
    assert economics.simple_payback_years(1e6, 0, 100.0, 150.0)["status"] == "no_payback"
    # (10.9 M − 3 M subsidy) / (1.2 M − 0.4 M a year) = 9.875 years (by hand)
    ok = economics.simple_payback_years(10.9e6, 3e6, 1.2e6, 0.4e6)
    assert ok["years"] == pytest.approx(9.875)
    flow = economics.cumulative_cash_flow(10.9e6, 3e6, 0.8e6, 10)
    assert flow[0] == -7.9e6
    assert flow[10] == pytest.approx(0.1e6)


@pytest.mark.parametrize("case_id", ["YOS-T18", "YOS-T19"])
def test_peak_loads_are_area_times_unit_load(case_id: str) -> None:
    c = case("yoshioka.csv", case_id)
    areas = np.atleast_1d(c.inputs["area_m2"])
    use = "public_hall" if c.inputs["unit_load_w_per_m2"] == 233 else None
    if use is None:  # the library's 143 W/m² is not a building use: the formula itself
        peaks = areas * c.inputs["unit_load_w_per_m2"] / 1000
    else:
        peaks = [
            loads.loads_from_use(use, a, MAEBASHI_K).heating_peak_w.max() / 1000 for a in areas
        ]
    assert c.matches("load_kw", list(peaks) if len(peaks) > 1 else float(peaks[0]))


def test_degree_days_make_gunma_heating_led_and_okinawa_cooling_led() -> None:
    gunma = loads.loads_from_use("office", 1000, MAEBASHI_K)
    okinawa = loads.loads_from_use("office", 1000, NAHA_K)
    assert gunma.annual_heating_j > gunma.annual_cooling_j
    assert okinawa.annual_cooling_j > 5 * okinawa.annual_heating_j
    # Maebashi January: (18 − 3.7) × 31 = 443.3 K·day; design ΔT = 18 − (3.7 − 6) = 20.3 K;
    # office: 114 kW × 0.4 × 443.3 × 86400 / 20.3 = 86.03 GJ (by hand)
    assert gunma.heating_j[0] == pytest.approx(86.03e9, rel=1e-3)
    assert gunma.heating_j[6] == 0  # July needs no heating


def test_open_loop_wells_for_the_yoshioka_small_well() -> None:
    # YOSHIOKA-2014 §5.2: 14 L/min at ΔT 5 K gives 5 kW (YOS-T02: 4.8837 kW)
    c = case("yoshioka.csv", "YOS-T02")
    ground_w = c.expected["heat_kw"] * 1000
    design = open_loop_design.design_wells(ground_w, 5.0, 14 / 60000, 3.0, 2.0)
    assert design["flow_m3_per_s"] * 60000 == pytest.approx(14 * 4.186e6 / (4.1868e6), rel=2e-3)
    assert design["pumping_wells"] == 1
    # ρ g Q H / η = 1000 × 9.81 × 2.333e-4 × (3 + 2 + 10) / 0.5 = 68.7 W (by hand)
    assert design["pump_power_w"] == pytest.approx(68.7, rel=0.01)
    with pytest.raises(ValueError, match="aquifer"):
        open_loop_design.design_wells(ground_w, 5.0, float("nan"), 3.0, 2.0)


@pytest.mark.slow
def test_ghetool_sizes_the_tamamura_house_near_what_was_built() -> None:
    # YOSHIOKA-2014 Table 3 / §1.2: Tamamura demo house, 10 kW, two 75 m BHEs (150 m),
    # TRT λ 1.41 W/(m·K) (reference system in the Gunma fixture), Kanto ground 16.5 °C.
    house = loads.loads_from_peaks(10_000, 8_000, None, None, MAEBASHI_K)
    result = sizing.size_field(
        house,
        1.41,
        289.65,
        2.4e6,
        0.1,
        271.15,
        308.15,
        4.04,
        4.59,
        6.0,
        10,
        start_count=2,
    )
    # the same order as the 150 m built: within a factor of two either way
    assert 75 <= result.total_length_m <= 300, result.as_dict()
    assert result.ghetool_calls >= 1
    assert min(result.fluid_min_c) >= -2.0 - 0.05  # the limit holds over the years
    more = sizing.size_field(
        house, 2.5, 289.65, 2.4e6, 0.1, 271.15, 308.15, 4.04, 4.59, 6.0, 10, start_count=2
    )
    assert more.total_length_m < result.total_length_m  # better ground, shorter field


def test_a_field_that_does_not_fit_says_how_many_it_needs() -> None:
    big = loads.loads_from_peaks(300_000, 0, None, None, MAEBASHI_K)
    with pytest.raises(sizing.SizingError) as refused:
        sizing.size_field(
            big, 1.5, 289.65, 2.4e6, 0.1, 271.15, 308.15, 4.0, 4.5, 6.0, 4, start_count=40
        )
    assert "needs about" in str(refused.value)
    assert refused.value.fits == 4
    assert math.isfinite(refused.value.needed)
