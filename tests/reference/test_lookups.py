"""How reference rows are chosen (reference.services): the region's before its country's, the
default baseline, and what a missing row says. The values are synthetic."""

from __future__ import annotations

from datetime import date

import pytest

from reference import services
from reference.models import Baseline, ReferenceValue

pytestmark = pytest.mark.django_db


def _value(
    key: str,
    value: float,
    region=None,
    source: str = "synthetic",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> ReferenceValue:
    return ReferenceValue.objects.create(
        key=key,
        region=region,
        country="JP",
        value=value,
        unit="JPY/J",
        provenance="inferred",
        source=source,
        valid_from=valid_from,
        valid_to=valid_to,
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
        "pk": ReferenceValue.objects.get(region=None, key="electricity_price_per_j").pk,
        "valid_from": None,
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


def test_a_later_dated_price_wins_over_an_undated_one_from_its_date(gunma) -> None:
    """Issue 21: ORDER BY valid_from DESC put the undated row first, so a new dated price never
    won. reference.domain.validity: an undated row is the earliest; a row holds from its
    valid_from to its valid_to, both included."""
    _value("electricity_price_per_j", 8.0e-6)
    dated = _value(
        "electricity_price_per_j", 9.0e-6, source="2026 tariff", valid_from=date(2026, 4, 1)
    )
    _value(
        "electricity_price_per_j",
        7.0e-6,
        source="spring offer",
        valid_from=date(2025, 3, 1),
        valid_to=date(2025, 5, 31),
    )

    def price(on: date) -> float:
        return services.reference_values(gunma, "electricity_price_per_j", on=on)[
            "electricity_price_per_j"
        ]["value"]

    assert price(date(2026, 4, 1)) == 9.0e-6  # from its first day
    assert (
        services.reference_values(gunma, on=date(2026, 6, 1))["electricity_price_per_j"]["pk"]
        == dated.pk
    )
    assert price(date(2026, 3, 31)) == 8.0e-6  # the day before: the undated one
    assert price(date(2025, 5, 31)) == 7.0e-6  # within the offer, its last day included
    assert price(date(2025, 6, 1)) == 8.0e-6
    # a region's own undated value still beats the country's dated one (scope first)
    _value("electricity_price_per_j", 9.5e-6, region=gunma, source="Gunma tariff")
    assert price(date(2026, 6, 1)) == 9.5e-6


def test_the_reference_versions_name_each_value_that_holds(gunma) -> None:
    old = _value("system_fixed_cost", 500_000.0)
    co2 = _value("grid_co2_kg_per_j", 1.2e-7)
    on = date(2026, 6, 1)
    assert services.reference_versions(gunma, on) == [
        ("grid_co2_kg_per_j", co2.pk),
        ("system_fixed_cost", old.pk),
    ]
    new = _value("system_fixed_cost", 600_000.0, source="2026 list", valid_from=date(2026, 1, 1))
    assert services.reference_versions(gunma, on) == [
        ("grid_co2_kg_per_j", co2.pk),
        ("system_fixed_cost", new.pk),
    ]
