"""VDI 4640 classes and the open-loop doublet pieces against the case files (pure)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.lib.units import l_per_min_to_m3_per_s
from potential_map.domain import open_loop, vdi4640
from tests.cases import case, load_cases


@pytest.mark.parametrize(
    "c", load_cases("methods.csv", "vdi4640.lookup_w_per_m"), ids=lambda c: c.id
)
def test_vdi_general_classes(c) -> None:
    values = vdi4640.class_w_per_m(c.inputs["lambda_w_per_mk"], c.inputs["full_load_hours"])
    assert c.matches("w_per_m", values.tolist())


def test_vdi_ranges_by_ground() -> None:
    c = case("methods.csv", "M-09c")
    names = {
        "clay_loam_moist": "clay_loam_moist",
        "sandstone": "sandstone",
        "gneiss": "gneiss",
        "gravel_sand_dry": "gravel_sand_dry",
    }
    ranges = [
        list(vdi4640.ground_range_w_per_m(names[r], c.inputs["full_load_hours"]))
        for r in c.inputs["rock"]
    ]
    assert ranges == c.expected["w_per_m_range"]


def test_vdi_annual_energy() -> None:
    c = case("methods.csv", "M-10")
    kwh = float(vdi4640.annual_energy_j_per_m(c.inputs["w_per_m"], c.inputs["full_load_hours"]))
    assert c.matches("kwh_per_m_per_yr", kwh / 3.6e6)


def test_the_yoshioka_well_gives_the_sources_heat_rate() -> None:
    c = case("methods.csv", "M-03")  # 100 L/min, 7 K → 48.84 kW (YOSHIOKA-2014 §5-1)
    flow = l_per_min_to_m3_per_s(c.inputs["flow_l_per_min"])
    watts = float(open_loop.heat_rate_w(flow, c.inputs["delta_t_k"], c.inputs["rho_c_j_per_m3k"]))
    assert c.matches("heat_rate_w", watts)
    kcal_route = c.inputs["flow_l_per_min"] * 60 * c.inputs["delta_t_k"] / 860 * 1000
    assert c.matches("kcal_route_w", kcal_route)
    assert watts == pytest.approx(kcal_route, rel=1e-4)


@pytest.mark.parametrize(
    "c", load_cases("yoshioka.csv", "openloop.heat_rate_kcal"), ids=lambda c: c.id
)
def test_the_yoshioka_plans_heat_rates(c) -> None:
    flow = l_per_min_to_m3_per_s(c.inputs["flow_l_per_min"])
    kw = float(open_loop.heat_rate_w(flow, c.inputs["delta_t_k"])) / 1000
    # The case uses the 860 kcal/h convention; ρc = 4.186 MJ/(m³·K) agrees to 1e-5.
    assert kw == pytest.approx(c.expected["heat_kw"], rel=2e-5)


def test_required_flow_for_a_demand() -> None:
    c = case("methods.csv", "M-32")
    q = float(
        open_loop.required_flow_m3_per_s(
            c.inputs["power_w"], c.inputs["delta_t_k"], c.inputs["rho_c_j_per_m3k"]
        )
    )
    assert c.matches("q_m3_per_s", q)
    assert c.matches("q_l_per_min", q * 60000)


def test_thiem_drawdown_and_its_inverse() -> None:
    down = case("methods.csv", "M-04")
    s = float(
        open_loop.thiem_drawdown_m(
            down.inputs["q_m3_per_s"],
            down.inputs["t_m2_per_s"],
            down.inputs["d_m"],
            down.inputs["r_w_m"],
        )
    )
    assert down.matches("drawdown_m", s)
    back = case("methods.csv", "M-05")
    q = float(
        open_loop.hydraulic_flow_m3_per_s(
            back.inputs["s_max_m"],
            back.inputs["t_m2_per_s"],
            back.inputs["d_m"],
            back.inputs["r_w_m"],
        )
    )
    assert back.matches("q_m3_per_s", q)


def test_critical_and_limiting_flow() -> None:
    crit = case("methods.csv", "M-06")
    q = float(
        open_loop.critical_flow_m3_per_s(
            crit.inputs["b_m"], crit.inputs["darcy_flux_m_per_s"], crit.inputs["d_m"]
        )
    )
    assert crit.matches("q_m3_per_s", q)
    limit = case("methods.csv", "M-07")
    q_max, name = open_loop.limiting_flow(
        limit.inputs["q_hyd"], limit.inputs["q_crit"], limit.inputs["q_licence"]
    )
    assert limit.matches("q_max", q_max)
    assert name == limit.expected["limiting"]


@pytest.mark.parametrize(
    "c", load_cases("methods.csv", "heatpump.building_side_kw"), ids=lambda c: c.id
)
def test_building_side_heat(c) -> None:
    efficiency = c.inputs.get("cop", c.inputs.get("eer"))
    kw = float(open_loop.building_side_w(c.inputs["ground_kw"], efficiency, c.inputs["mode"]))
    assert c.matches("building_kw", kw)


@given(flow=st.floats(0, 0.1), delta_t=st.floats(-15, 15))
def test_heat_rate_is_proportional_to_flow(flow: float, delta_t: float) -> None:
    double = open_loop.heat_rate_w(2 * flow, delta_t)
    assert double == pytest.approx(2 * open_loop.heat_rate_w(flow, delta_t))


def test_no_aquifer_is_no_value_not_zero() -> None:
    assert np.isnan(open_loop.heat_rate_w(np.array([np.nan]), 7.0)).all()


def test_the_breakthrough_spacing_inverts_the_breakthrough_time() -> None:
    # t_b = π ρa ca b d² / (3 ρw cw Q): with Q = 1e-3 m³/s, b = 10 m, 180 days, ρa ca 2.8e6
    q, b, t = 1e-3, 10.0, 180 * 86400.0
    d = float(open_loop.breakthrough_spacing_m(q, b, t))
    t_b = np.pi * 2.8e6 * b * d**2 / (3 * open_loop.WATER_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K * q)
    assert t_b == pytest.approx(t)
    assert 40 < d < 60  # ≈ 48 m by hand: √(3·4.186e6·1e-3·1.5552e7 / (π·2.8e6·10))


def test_the_sustainable_doublet_honours_its_drawdown_and_spacing() -> None:
    flow, spacing = open_loop.sustainable_doublet(
        np.array([3e-4, np.nan]), np.array([11.85, 11.85]), 5.0, 0.05, 180 * 86400.0
    )
    assert np.isnan(flow[1])  # no aquifer: no value
    drawdown = float(open_loop.thiem_drawdown_m(flow[0], 3e-4, float(spacing[0]), 0.05))
    assert drawdown == pytest.approx(5.0, rel=0.02)  # settles on the allowed drawdown
    assert float(open_loop.breakthrough_spacing_m(flow[0], 11.85, 180 * 86400.0)) == pytest.approx(
        float(spacing[0]), rel=0.05
    )


def test_log_normal_bands_of_transmissivity() -> None:
    # by hand: σ = 0.5 decades, z(0.9) = 1.2816 → factor 10^0.6408 = 4.374
    p50, p10, p90 = open_loop.log_normal_bands(np.array([1e-3, np.nan]), 0.5)
    assert p10[0] == pytest.approx(1e-3 / 4.374, rel=1e-3)
    assert p90[0] == pytest.approx(1e-3 * 4.374, rel=1e-3)
    assert p50[0] == 1e-3
    assert np.isnan([p10[1], p50[1], p90[1]]).all()  # no aquifer stays no value
