"""Factors, climate normals and groundwater rules arrive with the regions, with their sources."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from core.regions import FIXTURES_DIR
from reference.models import ClimateNormal, GroundwaterRule, ReferenceValue
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
    factors = ReferenceValue.objects.filter(key="electricity_primary_energy_j_per_j")
    assert sorted(round(f.value, 4) for f in factors) == [2.7111, 2.7694]  # 9.76/3.6, 9.97/3.6
    assert all(f.source and f.provenance for f in ReferenceValue.objects.all())


def test_national_factors_are_shared_not_duplicated(loaded) -> None:
    call_command("load_region", "--all")
    assert ReferenceValue.objects.filter(key="kerosene_boiler_efficiency").count() == 1
    assert ReferenceValue.objects.get(key="chiller_cop").region.code == "okinawa"


def test_maebashi_climate_normal_is_the_reports(loaded) -> None:
    maebashi = ClimateNormal.objects.get(station="Maebashi")
    # YOSHIOKA-2014 Table 4: 14.6 °C annual mean, 31.3 °C Aug max, −0.8 °C Jan min
    assert maebashi.annual_mean_air_temperature_k == pytest.approx(287.75)
    assert maebashi.warmest_month_mean_daily_max_k == pytest.approx(304.45)
    assert maebashi.coldest_month_mean_daily_min_k == pytest.approx(272.35)
    assert ClimateNormal.objects.filter(region__code="gunma").count() == 12


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
