"""How reference rows are chosen (reference.services): the region's before its country's, the
default baseline, and what a missing row says. The values are synthetic."""

from __future__ import annotations

import pytest

from reference import services
from reference.models import Baseline, ReferenceValue

pytestmark = pytest.mark.django_db


def _value(key: str, value: float, region=None, source: str = "synthetic") -> ReferenceValue:
    return ReferenceValue.objects.create(
        key=key,
        region=region,
        country="JP",
        value=value,
        unit="JPY/J",
        provenance="inferred",
        source=source,
    )


def test_a_regions_own_value_beats_its_countrys(gunma, okinawa) -> None:
    _value("electricity_price_per_j", 8.0e-6)
    _value("electricity_price_per_j", 9.0e-6, region=gunma, source="Gunma tariff")
    assert services.reference_value(gunma, "electricity_price_per_j")["value"] == 9.0e-6
    # Okinawa has no value of its own: Japan's answers.
    national = services.reference_value(okinawa, "electricity_price_per_j")
    assert national == {
        "value": 8.0e-6,
        "unit": "JPY/J",
        "provenance": "inferred",
        "source": "synthetic",
    }
    assert services.reference_value(okinawa, "no_such_key") is None


def test_read_once_answers_from_one_read(gunma, django_assert_num_queries) -> None:
    _value("electricity_price_per_j", 8.0e-6)
    _value("grid_co2_kg_per_j", 1.2e-7)
    with services.read_once(gunma), django_assert_num_queries(0):
        price = services.reference_value(gunma, "electricity_price_per_j")
        co2 = services.reference_value(gunma, "grid_co2_kg_per_j")
    assert (price["value"], co2["value"]) == (8.0e-6, 1.2e-7)


def test_a_required_value_is_noted_and_a_missing_one_is_named(gunma) -> None:
    _value("system_fixed_cost", 500_000.0)
    used: dict = {}
    assert services.required_value(gunma, "system_fixed_cost", used) == 500_000.0
    assert used["system_fixed_cost"]["source"] == "synthetic"
    with pytest.raises(services.MissingReference, match="gunma has no reference value 'x_key'"):
        services.required_value(gunma, "x_key", used)
    assert "x_key" not in used


def test_a_region_without_climate_normals_is_told_so(gunma) -> None:
    with pytest.raises(services.MissingReference, match="gunma has no monthly climate normals"):
        services.monthly_temperatures(gunma)


def _baseline(region, code: str, mode: str = "heating", is_default: bool = False) -> Baseline:
    return Baseline.objects.create(
        region=region,
        code=code,
        name_en=code,
        mode=mode,
        carrier="kerosene",
        efficiency=0.86,
        is_default=is_default,
        provenance="inferred",
        source="synthetic",
    )


def test_the_baseline_is_the_named_one_else_the_default_else_any(gunma) -> None:
    _baseline(gunma, "a-boiler")
    assert services.default_baseline(gunma, "heating") is None
    assert services.baseline(gunma, "heating", None).code == "a-boiler"  # no default: any one
    _baseline(gunma, "b-boiler", is_default=True)
    assert services.default_baseline(gunma, "heating").code == "b-boiler"
    assert services.baseline(gunma, "heating", None).code == "b-boiler"
    assert services.baseline(gunma, "heating", "a-boiler").code == "a-boiler"
    assert services.baseline(gunma, "heating", "no-such") is None
    assert services.baseline(gunma, "cooling", None) is None
