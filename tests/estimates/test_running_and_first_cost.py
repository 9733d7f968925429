"""The running energy and first cost of a system, as estimates.services.economics computes them
(pure arithmetic in estimates.domain.economics). Numbers by hand beside each test."""

from __future__ import annotations

import pytest

from estimates.domain import economics

GJ = 1e9


def test_the_heat_pump_uses_heat_over_cop_plus_cold_over_eer() -> None:
    # 40 GJ of heat at COP 4 = 10 GJ; 30 GJ of cold at EER 5 = 6 GJ; 16 GJ in all.
    assert economics.heat_pump_electricity_j(40 * GJ, 30 * GJ, 4.0, 5.0) == pytest.approx(16 * GJ)


def test_a_closed_loop_pump_takes_its_share_of_the_heat_delivered() -> None:
    # 3 % of (40 + 30) GJ = 2.1 GJ
    assert economics.circulation_pump_j(40 * GJ, 30 * GJ, 0.03) == pytest.approx(2.1 * GJ)


def test_well_pumps_run_for_the_full_load_time() -> None:
    # 70 GJ at a 20 kW ground-side peak is 3.5e6 s of full load; a 1.5 kW pump: 5.25 GJ.
    assert economics.well_pump_j(40 * GJ, 30 * GJ, 20e3, 1.5e3) == pytest.approx(5.25 * GJ)
    # No peak is 1 W (no division by zero): 70e9 s × 10 W = 7e11 J.
    assert economics.well_pump_j(40 * GJ, 30 * GJ, 0.0, 10.0) == pytest.approx(7e11)


def test_a_carrier_is_priced_per_its_own_unit_when_it_has_one() -> None:
    # 36.7 GJ of kerosene at 36.7 MJ/L is 1000 L; at 100 per L: 100 000; CO2 at 0.0678 kg/MJ:
    # 36 700 MJ × 0.0678 = 2488.26 kg.
    kerosene = economics.carrier_cost_and_co2(36.7 * GJ, 100.0, 0.0678e-6, 36.7e6)
    assert kerosene["j"] == 36.7 * GJ
    assert kerosene["cost"] == pytest.approx(100_000.0)
    assert kerosene["co2_kg"] == pytest.approx(2488.26)
    # Electricity priced per J: 3.6e9 J (1 MWh) at 30 per kWh = 30 / 3.6e6 per J → 30 000.
    electricity = economics.carrier_cost_and_co2(3.6e9, 30 / 3.6e6, 0.0)
    assert electricity["cost"] == pytest.approx(30_000.0)


def test_first_costs_add_wells_exchanger_heat_pump_and_fixed_costs() -> None:
    # Closed loop: 6 × 100 m at 10 000 per m + 2 000 000 heat pump + 500 000 fixed = 8 500 000.
    assert economics.closed_loop_capex(600.0, 10_000.0, 2e6, 5e5) == pytest.approx(8.5e6)
    # Open loop (YOSHIOKA-2014 Table 11 depths): 1 pumping well of 70 m at 50 000 per m
    # = 3 500 000; 2 reinjection wells of 30 m at 40 000 per m = 2 400 000; exchanger 800 000,
    # heat pump 2 000 000, fixed 500 000: 9 200 000.
    capex = economics.open_loop_capex(1, 70.0, 50_000.0, 2, 30.0, 40_000.0, 8e5, 2e6, 5e5)
    assert capex == pytest.approx(9.2e6)


def test_the_seasonal_cop_is_a_ratio_of_sums_and_none_without_electricity() -> None:
    # (40 + 30) GJ delivered for 16 + 2.1 GJ of electricity: 70 / 18.1 = 3.8674
    assert economics.seasonal_cop(70 * GJ, 18.1 * GJ) == pytest.approx(3.86740, rel=1e-5)
    assert economics.seasonal_cop(70 * GJ, 0.0) is None
