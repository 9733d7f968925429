"""A closed-loop estimate for a house in Dushanbe: heating against the coal stove, the summer
load against a split air conditioner (a region without a cooling baseline refused every
estimate with a summer load)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point

from core.models import Region
from estimates import services
from estimates.models import Estimate
from reference.models import Baseline
from tests.regions import region_with_maps

DUSHANBE = Point(68.78, 38.56, srid=4326)


@pytest.fixture
def tajikistan(transactional_db: None) -> Region:
    return region_with_maps("tajikistan", 10_000.0)


@pytest.mark.slow
def test_a_dushanbe_house_gets_a_closed_loop_compared_with_coal_and_split_units(
    tajikistan,
) -> None:
    inputs = {
        "loads": "use",
        "building_use": "detached_house",
        "floor_area_m2": 150,
        "system": "closed_loop",
    }
    estimate = services.request_estimate(DUSHANBE, None, inputs, AnonymousUser(), background=False)
    assert estimate.state == Estimate.State.DONE, estimate.message
    # The ground under Dushanbe is its station's 14.7 °C air + 1.5 K (ETV-052-2101) = 289.35 K,
    # not one value for the country; on the 10 km grid the cell's centre is ≤ 7.1 km from the
    # station, where the field changes by ≤ 0.035 K/km (Dushanbe → Garm: 4.9 K over 140 km).
    ground = estimate.result["ground"]
    assert ground["ground_temperature_k"] == pytest.approx(289.35, abs=0.3)
    bands = ground["ground_temperature_bands_k"]
    assert bands["p10"] < bands["p50"] == ground["ground_temperature_k"] < bands["p90"]
    money = estimate.result["economics"]
    assert money["baselines"]["heating"]["code"] == "coal-stove"
    cooling = money["baselines"]["cooling"]
    assert cooling["code"] == "split-air-conditioner"
    assert cooling["provenance"] == "inferred"  # labelled: check before citing
    # coal at efficiency 0.5 against a heat pump: the ground saves CO2
    assert money["co2_saved_kg"] > 0
    assert Baseline.objects.filter(region=tajikistan, mode="cooling").count() == 1
