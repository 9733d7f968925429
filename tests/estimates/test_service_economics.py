"""The economics of a stored estimate, wired to the reference data (issue 21 item 1): fuel by
its lower heating value, carriers added as primary energy, the demand charge, capex lines with
their side and the subsidy on its programme's eligible sides, the baseline purchase credited
only when the reference data prices it. An open loop at Yoshioka with a monthly table, so every
number is by hand from fixtures/gunma/reference.json (values written beside each step)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from estimates import services
from estimates.models import Estimate
from reference.models import ReferenceValue
from tests.estimates.test_service import YOSHIOKA, gunma  # noqa: F401 - the computed fixture

GJ = 1e9
# A monthly table: 3 GJ of heating and 1 GJ of cooling each month (36 and 12 GJ a year), peaks
# 20 kW heating and 10 kW cooling (synthetic inputs).
TABLE = {
    "loads": "table",
    "monthly_heating_j": [3 * GJ] * 12,
    "monthly_cooling_j": [1 * GJ] * 12,
    "monthly_heating_peak_w": [20e3] * 12,
    "monthly_cooling_peak_w": [10e3] * 12,
    "system": "open_loop",
}
# fixtures/gunma/reference.json (JP values)
KEROSENE_PRICE_PER_M3 = 110_000.0
KEROSENE_HHV_J_PER_M3 = 36.7e9  # OKINAWA-FY2017 36.7 MJ/L
KEROSENE_LHV_J_PER_M3 = 34_865_610_450.0  # 8,329 kcal/L
KEROSENE_CO2_KG_PER_J = 7.19e-8
ELECTRICITY_PRICE_PER_J = 4.819444444444445e-06  # 17.35 yen/kWh
ELECTRICITY_PRIMARY = 9.76 / 3.6  # both JP factors are undated: the one given last (OKINAWA-FY2017)
GRID_CO2_KG_PER_J = 1.343611111111111e-07
DEMAND_PRICE_PER_W_MONTH = 1.2636  # 1,263.6 yen/kW and month (MOE-GL4-2024 fig. 11 ※4)
COP, EER = 4.038461538461538, 4.59016393442623  # ETV-052-2101 rating
BOILER_ETA = 0.846  # the default heating baseline, Gunma: kerosene boiler
AIR_CONDITIONER_EER = 3.02  # the default cooling baseline: air-source air conditioner


def _estimate(inputs: dict) -> dict:
    estimate = services.request_estimate(YOSHIOKA, None, inputs, AnonymousUser(), background=False)
    assert estimate.state == Estimate.State.DONE, estimate.message
    return estimate.result


def test_the_open_loop_economics_follow_the_reference_data_by_hand(gunma) -> None:  # noqa: F811
    result = _estimate({**TABLE, "subsidy": "meti-regional-heat-2013"})
    money, design = result["economics"], result["design"]

    # Heating baseline: kerosene bought = 36 GJ ÷ 0.846 ÷ LHV (not ÷ the higher value)
    kerosene_m3 = 36 * GJ / BOILER_ETA / KEROSENE_LHV_J_PER_M3  # = 1.2205 m³
    heating = money["baselines"]["heating"]
    assert heating["code"] == "kerosene-boiler"
    assert heating["units"] == pytest.approx(kerosene_m3, rel=1e-9)
    assert heating["cost"] == pytest.approx(kerosene_m3 * KEROSENE_PRICE_PER_M3, rel=1e-9)
    assert heating["primary_energy_j"] == pytest.approx(kerosene_m3 * KEROSENE_HHV_J_PER_M3)
    assert heating["co2_kg"] == pytest.approx(
        kerosene_m3 * KEROSENE_LHV_J_PER_M3 * KEROSENE_CO2_KG_PER_J
    )
    # Cooling baseline: 12 GJ ÷ EER 3.02 of electricity
    cooling = money["baselines"]["cooling"]
    cooling_j = 12 * GJ / AIR_CONDITIONER_EER
    assert cooling["units"] == pytest.approx(cooling_j)
    assert cooling["primary_energy_j"] == pytest.approx(cooling_j * ELECTRICITY_PRIMARY)

    # The system: heat pump 36/COP + 12/EER GJ, plus the well pumps over the full-load time
    pumps_j = design["pump_power_w"] * 48 * GJ / design["ground_peak_w"]
    system_j = 36 * GJ / COP + 12 * GJ / EER + pumps_j
    system = money["system"]
    assert system["electricity_j"] == pytest.approx(system_j)
    # contracted power: max(20 kW ÷ COP, 10 kW ÷ EER) + the well pumps' rated power
    system_demand_w = max(20e3 / COP, 10e3 / EER) + design["pump_power_w"]
    assert system["demand_w"] == pytest.approx(system_demand_w)
    assert system["demand_charge"] == pytest.approx(system_demand_w * DEMAND_PRICE_PER_W_MONTH * 12)
    system_cost = system_j * ELECTRICITY_PRICE_PER_J + system_demand_w * 1.2636 * 12
    assert system["cost"] == pytest.approx(system_cost)
    # the baseline's contracted power: only the air conditioner draws (the boiler burns fuel)
    baseline_demand_w = 10e3 / AIR_CONDITIONER_EER
    baseline_cost = (
        kerosene_m3 * KEROSENE_PRICE_PER_M3
        + cooling_j * ELECTRICITY_PRICE_PER_J
        + baseline_demand_w * DEMAND_PRICE_PER_W_MONTH * 12
    )
    assert money["baseline_cost"] == pytest.approx(baseline_cost)
    assert money["annual_saving"] == pytest.approx(baseline_cost - system_cost)

    # Primary energy, never J of kerosene minus J of electricity
    baseline_primary = kerosene_m3 * KEROSENE_HHV_J_PER_M3 + cooling_j * ELECTRICITY_PRIMARY
    energy = money["energy"]
    assert energy["baseline_primary_energy_j"] == pytest.approx(baseline_primary)
    assert energy["system_primary_energy_j"] == pytest.approx(system_j * ELECTRICITY_PRIMARY)
    assert energy["primary_energy_saved_j"] == pytest.approx(
        baseline_primary - system_j * ELECTRICITY_PRIMARY
    )
    co2 = (
        kerosene_m3 * KEROSENE_LHV_J_PER_M3 * KEROSENE_CO2_KG_PER_J
        + (cooling_j - system_j) * GRID_CO2_KG_PER_J
    )
    assert money["co2_saved_kg"] == pytest.approx(co2)

    # Capex as lines, all on the primary side (YOSHIOKA-2014 Table 13); the programme covers
    # the primary side: half of it (rate 1/2, cap ¥1 bn)
    p50 = money["bands"]["p50"]
    wells = design["bands"]["p50"]["pumping_wells"]
    lines = {line["item"]: line for line in p50["capex_lines"]}
    assert {line["side"] for line in lines.values()} == {"primary"}
    assert lines["pumping wells"]["amount"] == pytest.approx(wells * 70 * 35714.28571428572)
    assert lines["reinjection wells"]["amount"] == pytest.approx(wells * 2 * 30 * 20_000)
    assert lines["ground-source heat pump"]["amount"] == pytest.approx(20e3 * 100)  # ¥100/W
    assert lines["control panel and pumps"]["amount"] == pytest.approx(500_000)
    exchanger = 20e3 * 60 if design["heat_exchanger"] else 0.0  # ¥60/W
    assert lines["heat exchanger"]["amount"] == pytest.approx(exchanger)
    capex = wells * 70 * 35714.28571428572 + wells * 60 * 20_000 + 2e6 + 500_000 + exchanger
    assert p50["capex"] == pytest.approx(capex)
    assert p50["eligible_cost"] == pytest.approx(capex)
    assert p50["subsidy"] == pytest.approx(capex / 2)

    # No purchase price of a kerosene boiler or an air conditioner in the reference data: the
    # avoided purchase is not credited, and the result says so (case M-28c's rule)
    assert money["baseline_capex"] is None
    assert money["baseline_capex_credited"] is False
    payback = p50["payback"]
    assert payback["baseline_capex_credited"] is False
    assert payback["status"] == "ok"  # the same saving as the next test's, positive
    assert payback["years"] == pytest.approx((capex - capex / 2) / (baseline_cost - system_cost))


def test_a_priced_baseline_purchase_is_credited_in_the_payback(gunma) -> None:  # noqa: F811
    # Synthetic prices (test inputs, not data): a kerosene boiler ¥20/W, an air conditioner ¥30/W
    for code, price in (("kerosene_boiler", 20.0), ("air_source_cooling", 30.0)):
        ReferenceValue.objects.create(
            key=f"baseline_{code}_cost_per_w",
            region=gunma,
            country="JP",
            value=price,
            unit="JPY/W",
            provenance="inferred",
            source="synthetic test input",
        )
    money = _estimate(TABLE)["economics"]
    # avoided: 20 kW × ¥20 + 10 kW × ¥30 = ¥700,000 (M-28: capex − baseline capex − subsidy)
    assert money["baseline_capex"] == pytest.approx(20e3 * 20 + 10e3 * 30)
    assert money["baseline_capex_credited"] is True
    p50 = money["bands"]["p50"]
    assert p50["subsidy"] == 0.0
    saving = money["annual_saving"]
    assert saving > 0  # kerosene at ¥110/L against a COP-4 heat pump
    assert p50["payback"]["status"] == "ok"
    assert p50["payback"]["years"] == pytest.approx((p50["capex"] - 700_000) / saving)
    assert money["cash_flow"][0] == pytest.approx(-(p50["capex"] - 700_000))


def test_a_newer_dated_price_makes_a_new_estimate_and_the_stored_one_keeps_its_own(
    gunma,  # noqa: F811
) -> None:
    first = services.request_estimate(YOSHIOKA, None, TABLE, AnonymousUser(), background=False)
    assert first.state == Estimate.State.DONE, first.message
    kerosene_m3 = 36 * GJ / BOILER_ETA / KEROSENE_LHV_J_PER_M3  # = 1.2205 m³, as above
    # ¥110,000/m³ (undated, fixtures) → ¥134,255 a year of kerosene
    assert first.result["economics"]["baselines"]["heating"]["cost"] == pytest.approx(
        kerosene_m3 * 110_000
    )
    # A new national price from yesterday (synthetic: ¥130/L): it holds today and wins over the
    # undated one (reference.domain.validity), so the same request is a new estimate
    newer = ReferenceValue.objects.create(
        key="kerosene_price_per_m3",
        country="JP",
        value=130_000.0,
        unit="JPY/m³",
        valid_from=timezone.localdate() - timedelta(days=1),
        provenance="inferred",
        source="synthetic test input",
    )
    second = services.request_estimate(YOSHIOKA, None, TABLE, AnonymousUser(), background=False)
    assert second.pk != first.pk
    assert second.state == Estimate.State.DONE, second.message
    heating = second.result["economics"]["baselines"]["heating"]
    assert heating["cost"] == pytest.approx(kerosene_m3 * 130_000)  # ¥158,665
    used = second.result["provenance"]["reference_values"]["kerosene_price_per_m3"]
    assert used["pk"] == newer.pk
    # the stored estimate keeps the price it used
    first.refresh_from_db()
    assert first.result["economics"]["baselines"]["heating"]["cost"] == pytest.approx(
        kerosene_m3 * 110_000
    )
    assert first.result["provenance"]["reference_values"]["kerosene_price_per_m3"]["pk"] != (
        newer.pk
    )
    # and asking again now reuses the new one
    third = services.request_estimate(YOSHIOKA, None, TABLE, AnonymousUser(), background=False)
    assert third.pk == second.pk
