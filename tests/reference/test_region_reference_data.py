"""Factors, climate normals and groundwater rules arrive with the regions, with their sources."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from reference.models import ClimateNormal, GroundwaterRule, ReferenceValue
from region_fixtures.services import FIXTURES_DIR
from tests.cases import case

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db) -> None:
    call_command("load_region", "--all")


def _value(key: str, country: str, **filters) -> float:
    return ReferenceValue.objects.get(key=key, country=country, **filters).value


def test_factors_are_stored_in_si_with_their_hand_conversion(loaded) -> None:
    # 36.7 MJ/L (OKINAWA-FY2017) = 36.7e6 J / 1e-3 m³
    assert _value("kerosene_heating_value_j_per_m3", "JP") == pytest.approx(36.7e9)
    # 483.7 g/kWh = 0.4837 kg / 3.6e6 J; 98.7 g/kWh for Tajikistan (Ember, SOURCES.md)
    assert _value("grid_co2_kg_per_j", "JP") == pytest.approx(1.3436e-7, rel=1e-4)
    assert _value("grid_co2_kg_per_j", "TJ") == pytest.approx(2.7417e-8, rel=1e-4)
    # The two Japanese primary-energy factors are both kept, each with its source (methods §10.2)
    factors = ReferenceValue.objects.filter(key="electricity_primary_energy_j_per_j", country="JP")
    assert sorted(round(f.value, 4) for f in factors) == [2.7111, 2.7694]  # 9.76/3.6, 9.97/3.6
    # Kerosene's lower heating value, which its boiler efficiency goes with (OKINAWA-FY2017
    # Table 2.2.10): 8,329 kcal/L × 4,186.05 J/kcal × 1000 L/m³ = 3.48656e10 J/m³
    assert _value("kerosene_lower_heating_value_j_per_m3", "JP") == pytest.approx(
        3.48656e10, rel=1e-5
    )
    # every carrier an estimate can burn or buy has a primary-energy factor in its country
    for country, carriers in (
        ("JP", ("electricity", "kerosene", "lpg")),
        ("TJ", ("electricity", "coal")),
    ):
        for carrier in carriers:
            assert ReferenceValue.objects.filter(
                key=f"{carrier}_primary_energy_j_per_j", country=country
            ).exists(), (country, carrier)
    assert all(f.source and f.provenance for f in ReferenceValue.objects.all())


def test_national_factors_are_shared_not_duplicated(loaded) -> None:
    call_command("load_region", "--all")
    assert ReferenceValue.objects.filter(key="kerosene_boiler_efficiency").count() == 1
    assert ReferenceValue.objects.get(key="chiller_cop").region.code == "okinawa"


def test_maebashi_climate_normal_is_the_reports(loaded) -> None:
    maebashi = ClimateNormal.objects.get(station="Maebashi", period="1981–2010")
    # YOSHIOKA-2014 Table 4: 14.6 °C annual mean, 31.3 °C Aug max, −0.8 °C Jan min
    assert maebashi.annual_mean_air_temperature_k == pytest.approx(287.75)
    assert maebashi.warmest_month_mean_daily_max_k == pytest.approx(304.45)
    assert maebashi.coldest_month_mean_daily_min_k == pytest.approx(272.35)
    # the report's 12 stations, and Maebashi's 1991–2020 monthly means for the estimates
    assert ClimateNormal.objects.filter(region__code="gunma").count() == 13
    monthly = ClimateNormal.objects.get(station="Maebashi", period="1991–2020")
    assert len(monthly.monthly_mean_air_temperature_k) == 12
    # their mean: (3.7 + 4.6 + … + 6.1) / 12 = 180.4 / 12 = 15.03 °C (by hand)
    assert sum(monthly.monthly_mean_air_temperature_k) / 12 == pytest.approx(288.18, abs=0.01)


def _codes(names: list[str]) -> list[str]:
    features = json.loads((FIXTURES_DIR / "gunma" / "municipalities.geojson").read_text())
    by_name = {f["properties"]["N03_004"]: f["properties"]["N03_007"] for f in features["features"]}
    return [by_name[name] for name in names]


def test_the_gunma_notification_area_matches_the_cases(loaded) -> None:
    rule = GroundwaterRule.objects.get(code="gunma-prefecture-notification")
    yoshioka = case("yoshioka.csv", "YOS-T32")
    assert (_codes([yoshioka.inputs["municipality"]])[0] in rule.municipality_codes) is (
        yoshioka.expected["designated"]
    )
    designated = case("yoshioka.csv", "YOS-T33")
    assert [
        code in rule.municipality_codes for code in _codes(designated.inputs["municipality"])
    ] == designated.expected["designated"]
    excluded = case("yoshioka.csv", "YOS-T34")
    for former in excluded.inputs["former_municipality"]:
        assert former in rule.excluded_former_municipalities
    # Threshold: an outlet cross-section of more than 19 cm² (Table 15; YOS-T33b: 19 is not more)
    assert rule.min_outlet_area_m2 == pytest.approx(19e-4)
    assert "agricultural wells with a strainer shallower than 50 m" in rule.exemptions


def test_naganohara_needs_an_application_within_500_m(loaded) -> None:
    rule = GroundwaterRule.objects.get(code="naganohara-supply-source")
    check = case("yoshioka.csv", "YOS-T36")
    assert rule.method == "application"
    assert rule.buffer_m == 500.0
    assert (check.inputs["distance_to_town_supply_source_m"] >= rule.buffer_m) is (
        check.expected["meets_distance_criterion"]
    )


def test_each_region_has_a_default_baseline_per_leading_mode(loaded) -> None:
    from reference.models import Baseline

    defaults = {
        (b.region.code, b.mode): (b.code, b.efficiency)
        for b in Baseline.objects.filter(is_default=True).select_related("region")
    }
    assert defaults[("okinawa", "cooling")] == ("air-cooled-chiller", 6.0)  # OKINAWA-FY2017
    assert defaults[("gunma", "heating")] == ("kerosene-boiler", 0.846)
    assert defaults[("tajikistan", "heating")][0] == "coal-stove"


def test_the_tamamura_reference_gives_the_cases_specific_rate(loaded) -> None:
    from reference.models import ReferenceSystem

    tamamura = ReferenceSystem.objects.get(code="tamamura-demo-house")
    expected = case("yoshioka.csv", "YOS-T47")  # 10 kW over 150 m → 66.67 W/m
    assert expected.matches("w_per_m", [tamamura.specific_rate_w_per_m, 50.0, 500 / 7])
    assert tamamura.conductivity_w_per_m_k == 1.41


def test_the_gunma_model_project_subsidy_follows_the_rule(loaded) -> None:
    from reference.models import SubsidyProgramme

    programme = SubsidyProgramme.objects.get(code="gunma-model-project-2013")
    expected = case("yoshioka.csv", "YOS-T45")  # min(1/2 × cost, ¥3 million)
    assert (programme.rate, programme.cap) == (expected.inputs["rate"], expected.inputs["cap_jpy"])
    amounts = [programme.amount(cost) for cost in expected.inputs["eligible_cost_jpy"]]
    assert expected.matches("subsidy_jpy", amounts)


def test_map_parameters_carry_a_value_and_a_source_each(loaded) -> None:
    from core.models import Region

    for region in Region.objects.all():
        parameters = region.map_parameters
        assert {"heating_season_s", "fluid_min_temperature_k", "open_loop_delta_t_k"} <= set(
            parameters
        )
        assert all(p["source"] and p["provenance"] for p in parameters.values())
    okinawa = Region.objects.get(code="okinawa").map_parameters
    assert okinawa["leading_mode"]["value"] == "cooling"
    # The ground temperature is no map parameter any more (one value forced on the whole
    # region): the maps krige it from the climate stations. OKINAWA-FY2017's "ground ≥ 23 °C"
    # stays a reference value, with its source.
    assert "ground_temperature_k" not in okinawa
    okinawa_ground = ReferenceValue.objects.get(key="ground_temperature_k", region__code="okinawa")
    assert okinawa_ground.value == pytest.approx(296.15)  # ≥ 23 °C
    assert okinawa_ground.source == "OKINAWA-FY2017 §2.7 (ground ≥ 23 °C)"
    # Gunma's fluid limit is GRASS r.green.gshp's default T_lim, −2 °C (methods.md §3.2)
    assert Region.objects.get(code="gunma").map_parameters["fluid_min_temperature_k"][
        "value"
    ] == pytest.approx(271.15)


def test_every_region_has_a_climate_normal(loaded) -> None:
    assert set(ClimateNormal.objects.values_list("region__code", flat=True)) == {
        "okinawa",
        "gunma",
        "tajikistan",
    }
