"""Economics that hold (issue #21, item 1): the avoided baseline purchase, a subsidy on its
eligible costs only, kerosene by its lower heating value, energy saved as primary energy, the
demand charge, and the reference value valid on a date. Pure: no database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from estimates.domain import economics
from reference.domain.economics import CostLine, eligible_sides, subsidy_for_lines
from reference.domain.validity import valid_on, valid_table, versions
from tests.cases import case, load_cases

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
KJ_PER_KCAL = 4.18605  # 1 kW = 860 kcal/h (methods.md §13 pitfall 5)


def _reference(region: str) -> dict:
    return json.loads((FIXTURES / region / "reference.json").read_text(encoding="utf-8"))


def _value(region: str, key: str, source_starts: str = "") -> float:
    rows = [
        v
        for v in _reference(region)["values"]
        if v["key"] == key and v["source"].startswith(source_starts)
    ]
    assert len(rows) == 1, (region, key, rows)
    return float(rows[0]["value"])


# --- payback: the avoided baseline purchase (M-28, M-28b, M-28c) ----------------------------


@pytest.mark.parametrize(
    "c", load_cases("methods.csv", "economics.simple_payback"), ids=lambda c: c.id
)
def test_the_payback_credits_the_baseline_that_is_not_bought(c) -> None:
    i = c.inputs
    result = economics.simple_payback_years(
        i["capex_gshp_jpy"],
        i["subsidy_jpy"],
        i["running_baseline_jpy_per_yr"],
        i["running_gshp_jpy_per_yr"],
        baseline_capex=i["capex_baseline_jpy"],
    )
    assert c.matches("status", result["status"])
    if c.expected["payback_years"] is None:
        assert result["years"] is None
    else:
        assert c.matches("payback_years", result["years"])


def test_without_the_baseline_credit_m28_would_take_sixteen_years() -> None:
    # M-28 by hand without the ¥4 M boiler and air conditioner that are not bought:
    # (10 M − 2 M) / (1 M − 0.5 M) = 16 years, not 8; an unknown baseline price is said so.
    c = case("methods.csv", "M-28")
    i = c.inputs
    unknown = economics.simple_payback_years(
        i["capex_gshp_jpy"],
        i["subsidy_jpy"],
        i["running_baseline_jpy_per_yr"],
        i["running_gshp_jpy_per_yr"],
        baseline_capex=None,
    )
    assert unknown["years"] == pytest.approx(16.0)
    assert unknown["baseline_capex_credited"] is False
    # a caller that names no baseline price (the services today) gets the same, said so
    unstated = economics.simple_payback_years(
        i["capex_gshp_jpy"],
        i["subsidy_jpy"],
        i["running_baseline_jpy_per_yr"],
        i["running_gshp_jpy_per_yr"],
    )
    assert unstated["years"] == pytest.approx(16.0)
    assert unstated["baseline_capex_credited"] is False
    flow = economics.cumulative_cash_flow(10e6, 2e6, 0.5e6, 8, baseline_capex=4e6)
    assert flow[0] == -4e6
    assert flow[8] == pytest.approx(0.0)  # paid back in year 8


# --- a subsidy on the programme's eligible costs only -------------------------------------


# YOSHIOKA-2014 Table 13 (yoshioka-gunma.md §5.1, option ②), sides as inferred there.
TABLE_13 = [
    CostLine("pumping well Ø200 × 70 m", 2_500_000, "primary"),
    CostLine("reinjection wells Ø200 × 30 m (2)", 1_200_000, "primary"),
    CostLine("heat exchanger, open type", 9_000_000, "primary"),
    CostLine("HP chiller 100 kW", 23_000_000, "primary"),
    CostLine("HP chiller 50 kW", 16_000_000, "primary"),
    CostLine("control panel / circulation pump (2)", 1_000_000, "primary"),
    CostLine("fan-coil units (29)", 2_900_000, "secondary"),
    CostLine("outdoor piping, antifreeze", 3_000_000, "other"),
]


def test_gunmas_primary_side_subsidy_pays_half_of_the_primary_lines_only() -> None:
    programme = next(
        s for s in _reference("gunma")["subsidies"] if s["code"] == "meti-regional-heat-2013"
    )
    assert programme["eligible_costs"] == "primary side"
    # by hand: primary = 2.5 + 1.2 + 9 + 23 + 16 + 1 = ¥52.7 M; × 1/2 = ¥26.35 M (the cap,
    # ¥1 billion, does not bind) — not ½ of the ¥58.6 M subtotal (¥29.3 M)
    amount = subsidy_for_lines(
        TABLE_13, programme["rate"], programme["cap"], programme["eligible_costs"]
    )
    assert amount == pytest.approx(26_350_000)
    assert economics.total(TABLE_13) == pytest.approx(58_600_000)


def test_each_gunma_programme_names_sides_we_can_read() -> None:
    expected = {
        "meti-heat-business-2013": frozenset({"primary"}),  # "HP system primary side only"
        "meti-regional-heat-2013": frozenset({"primary"}),
        "meti-energy-rationalisation-2013": frozenset({"primary"}),
        "moe-advanced-gshp-2013": None,  # no restriction stated: the whole investment
        "gunma-model-project-2013": None,
    }
    for programme in _reference("gunma")["subsidies"]:
        assert eligible_sides(programme["eligible_costs"]) == expected[programme["code"]]
    with pytest.raises(ValueError, match="no known side"):
        eligible_sides("ground loop only")


def test_a_closed_loops_lines_are_primary_and_a_fixed_amount_is_capped() -> None:
    lines = economics.closed_loop_capex_lines(834.0, 10_000, 1_200_000, 500_000, 900_000)
    # by hand: 834 m × ¥10,000 = ¥8.34 M drilling + ¥1.2 M HP + ¥0.5 M plant = ¥10.04 M primary
    assert subsidy_for_lines(lines, 1 / 3, 1e9, "HP system primary side only") == pytest.approx(
        10_040_000 / 3
    )
    # the Gunma model project (no side, ½, cap ¥3 M): ½ × ¥10.94 M = ¥5.47 M → ¥3 M
    assert subsidy_for_lines(lines, 0.5, 3e6, "") == 3e6


# --- fuel by its lower heating value (OKINAWA-FY2017 Table 2.2.10) ---------------------------


def test_the_okinawa_boiler_burns_the_reports_kerosene() -> None:
    # okinawa.md §1.7: 138,000 L × 3.1 K × 1 kcal/(L·K) = 427,800 kcal a day; ÷ η 0.846
    # ÷ 8,329 kcal/L (LHV) = 60.71 L a day (printed, rounded to 0.1 L: 60.7 L)
    heat_j = 138_000 * 3.1 * KJ_PER_KCAL * 1e3
    kerosene = economics.Carrier(
        "kerosene",
        price_per_unit=_value("okinawa", "kerosene_price_per_m3"),
        co2_kg_per_j=_value("okinawa", "kerosene_co2_kg_per_j"),
        primary_energy_j_per_j=_value("okinawa", "kerosene_primary_energy_j_per_j"),
        heating_value_j_per_unit=_value("okinawa", "kerosene_heating_value_j_per_m3"),
        lower_heating_value_j_per_unit=_value("okinawa", "kerosene_lower_heating_value_j_per_m3"),
    )
    efficiency = _value("okinawa", "kerosene_boiler_efficiency")
    day = economics.carrier_use(kerosene, heat_j, efficiency)
    assert day.units * 1000 == pytest.approx(60.71, abs=0.01)  # litres
    # today's code divided by the higher value (36.7 MJ/L): 57.68 L, 5 % too little kerosene
    old_litres = heat_j / efficiency / 36.7e6
    assert old_litres == pytest.approx(57.68, abs=0.01)
    assert day.units * 1000 / old_litres == pytest.approx(36.7 / (8329 * KJ_PER_KCAL / 1e3), 1e-9)
    # its primary energy counts the volume at 36.7 MJ/L (60.71 L × 36.7 = 2,228 MJ), its CO2
    # the LHV energy × 71.9 t/TJ (IPCC per net calorific value): 2.1166 GJ × 71.9 = 152.2 kg
    assert day.primary_energy_j / 1e6 == pytest.approx(60.712 * 36.7, rel=1e-4)
    assert day.co2_kg == pytest.approx(heat_j / efficiency * 7.19e-8)
    assert day.cost == pytest.approx(day.units * 110_000)
    assert day.notes == ()


def test_a_fuel_with_one_heating_value_says_the_efficiency_is_taken_on_it() -> None:
    lpg = economics.Carrier("lpg", 360.0, 6.31e-8, 1.0, heating_value_j_per_unit=50.2e6)
    use = economics.carrier_use(lpg, 50.2e6 * 0.85, 0.85)
    assert use.units == pytest.approx(1.0)  # 1 kg
    assert len(use.notes) == 1
    assert "only one heating value" in use.notes[0]


# --- energy saved as primary energy (MOE-GL4-2024 figs 11–12) -------------------------------


def _electricity(factor: float, price_per_kwh: float = 0.0) -> economics.Carrier:
    return economics.Carrier("electricity", price_per_kwh / 3.6e6, 0.0, factor)


def test_fig_11s_saving_is_its_primary_energy() -> None:
    c = case("guideline.csv", "GL-T02")
    grid = _electricity(_value("gunma", "electricity_primary_energy_j_per_j", "MOE-GL4-2024"))
    before = economics.carrier_use(grid, 118.3e3 * 3.6e6)
    after = economics.carrier_use(grid, 61.0e3 * 3.6e6)
    saved = economics.energy_saved([before], [after])
    assert c.matches("savings_gj", round(saved["primary_energy_saved_j"] / 1e9))
    assert c.matches("savings_rate", saved["primary_energy_saved_rate"])


def test_fig_12s_lpg_to_electric_switch_saves_primary_energy_while_electricity_rises() -> None:
    # Fig. 12 (guideline-and-tajikistan.md §2.2): before 157.4 MWh + 47.3 t LPG, after
    # 267.0 MWh. By hand, at 9.97 GJ/MWh and 50.2 GJ/t: before 1,569.3 + 2,374.5 = 3,943.8 GJ,
    # after 2,662.0 GJ: 1,281.8 GJ (32.5 %) saved, though electricity rose by 109.6 MWh.
    grid = _electricity(9.97 / 3.6)
    lpg = economics.Carrier("lpg", 360.0, 6.31e-8, 1.0, heating_value_j_per_unit=50.2e6)
    before = [
        economics.carrier_use(grid, 157.4e3 * 3.6e6),
        economics.carrier_use(lpg, 47.3e3 * 50.2e6),  # η 1: the fuel's own energy
    ]
    after = [economics.carrier_use(grid, 267.0e3 * 3.6e6)]
    saved = economics.energy_saved(before, after)
    assert saved["primary_energy_saved_j"] / 1e9 == pytest.approx(1281.8, abs=0.1)
    assert saved["primary_energy_saved_rate"] == pytest.approx(0.3250, abs=5e-4)
    electricity = saved["per_carrier_primary_energy"]["electricity"]
    assert c_matches("GL-T06", "savings_rate", electricity["savings_rate"])
    # the running cost of fig. 12 (energy charges only): 157.4 MWh × 15 + 47.3 t × 360 yen/kg
    assert (157.4e3 * 15 + before[1].cost) == pytest.approx(19_389_000)


def c_matches(case_id: str, key: str, value: float) -> bool:
    return case("guideline.csv", case_id).matches(key, value)


def test_joules_of_kerosene_are_never_subtracted_from_joules_of_electricity() -> None:
    # A kerosene boiler (η 0.846) against a heat pump (COP 4): 10 GJ of heat. Final energy
    # would say 11.82 − 2.5 = 9.32 GJ saved; primary energy counts the kerosene at its higher
    # heating value and the electricity at 2.7694 J/J: 11.82 × 36.7/34.866 − 2.5 × 2.7694
    # = 12.44 − 6.92 = 5.52 GJ (by hand).
    kerosene = economics.Carrier(
        "kerosene", 110_000, 7.19e-8, 1.0, 36.7e9, 8329 * KJ_PER_KCAL * 1e6
    )
    boiler = economics.carrier_use(kerosene, 10e9, 0.846)
    heat_pump = economics.carrier_use(_electricity(9.97 / 3.6), 10e9, 4.0)
    saved = economics.energy_saved([boiler], [heat_pump])
    assert saved["primary_energy_saved_j"] / 1e9 == pytest.approx(5.52, abs=0.01)
    assert saved["primary_energy_saved_j"] != pytest.approx(boiler.energy_j - heat_pump.energy_j)


# --- the demand charge --------------------------------------------------------------------


def test_the_basic_charge_is_paid_on_the_contracted_power() -> None:
    # Fig. 11 note ※4 (guideline-and-tajikistan.md §2.1, inferred): 17.35 yen/kWh and
    # 1,263.6 yen/kW a month; a demand of 68.8 kW makes the printed ¥3,096 k a year before:
    # 118,300 kWh × 17.35 = ¥2,052,505 + 68.8 kW × 1,263.6 × 12 = ¥1,043,228 → ¥3,095,733.
    base = _value("gunma", "electricity_base_price_per_w_month")
    energy = economics.running_cost(
        {"electricity": 118.3e3 * 3.6e6},
        {"electricity": _value("gunma", "electricity_price_per_j")},
    )
    charge = economics.demand_charge(68.8e3, base)
    assert energy + charge == pytest.approx(3_095_733, abs=1)
    assert round((energy + charge) / 1000) == 3096


def test_the_demand_is_the_peak_electric_draw() -> None:
    # A house: 10 kW heating peak, 8 kW cooling; heat pump COP 4, EER 4.5, pumps 0.3 kW:
    # max(10/4, 8/4.5) + 0.3 = 2.8 kW. Direct electric heating and a COP-6 chiller: 10 kW.
    assert economics.electric_demand_w(10e3, 8e3, 4.0, 4.5, 300) == pytest.approx(2800)
    assert economics.electric_demand_w(10e3, 8e3, 1.0, 6.0) == pytest.approx(10e3)
    # a kerosene boiler for heating draws no electricity for it
    assert economics.electric_demand_w(10e3, 8e3, None, 6.0) == pytest.approx(8e3 / 6)


# --- the reference value valid on a date -------------------------------------------------


PRICES = [  # oldest first, as the database would give them by primary key
    {"pk": 1, "key": "electricity_price_per_j", "value": 4.82e-6, "valid_from": None,
     "valid_to": None, "region": None},
    {"pk": 2, "key": "electricity_price_per_j", "value": 8.33e-6,
     "valid_from": date(2024, 4, 1), "valid_to": None, "region": None},
    {"pk": 3, "key": "electricity_price_per_j", "value": 7.5e-6,
     "valid_from": date(2022, 4, 1), "valid_to": date(2024, 3, 31), "region": None},
]  # fmt: skip


def test_a_later_valid_from_wins_over_an_undated_price() -> None:
    assert valid_on(PRICES, date(2025, 1, 1))["pk"] == 2
    # an undated price still holds before any dated one starts
    assert valid_on(PRICES, date(2020, 1, 1))["pk"] == 1
    # the period's last day is in it; the next day the open-ended one takes over
    assert valid_on(PRICES, date(2024, 3, 31))["pk"] == 3
    assert valid_on(PRICES, date(2024, 4, 1))["pk"] == 2
    assert valid_on(PRICES[2:], date(2024, 4, 1)) is None  # nothing holds then


def test_a_regions_value_beats_its_countrys_and_equal_rows_go_to_the_later() -> None:
    rows = [
        {"pk": 4, "key": "chiller_cop", "valid_from": None, "valid_to": None, "region": None},
        {"pk": 5, "key": "chiller_cop", "valid_from": None, "valid_to": None, "region": 1},
        {"pk": 6, "key": "electricity_primary_energy_j_per_j", "valid_from": None,
         "valid_to": None, "region": None},
        {"pk": 7, "key": "electricity_primary_energy_j_per_j", "valid_from": None,
         "valid_to": None, "region": None},
    ]  # fmt: skip
    table = valid_table([*PRICES, *rows], date(2025, 1, 1), scope=lambda r: 1 if r["region"] else 0)
    assert {k: r["pk"] for k, r in table.items()} == {
        "electricity_price_per_j": 2,
        "chiller_cop": 5,
        "electricity_primary_energy_j_per_j": 7,
    }
    # an estimate's reuse key changes when a price it used changes
    assert versions(table) == [
        ("chiller_cop", 5),
        ("electricity_price_per_j", 2),
        ("electricity_primary_energy_j_per_j", 7),
    ]
    assert versions(valid_table(PRICES, date(2023, 1, 1))) == [("electricity_price_per_j", 3)]
