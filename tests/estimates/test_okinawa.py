"""The Okinawa model facility (OKINAWA-FY2017 §2.1): a 5 kW cooling-led GSHP on 6 × 20 m
coaxial BHEs at 1.8 m spacing, 120 m in all. The estimate at the facility, with the same
load, field depth and spacing, must land in the same order as what was built, and warn
about the spacing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point

from core.models import Region
from estimates import services
from estimates.models import Estimate
from tests.regions import region_with_maps

FACILITY = Point(127.800589, 26.361585, srid=4326)  # facilities.csv EC-BHE-1


@pytest.fixture
def okinawa(transactional_db: None) -> Region:
    return region_with_maps("okinawa", 2000.0)


@pytest.mark.slow
def test_the_model_facility_is_sized_in_the_order_of_what_was_built(okinawa) -> None:
    inputs = {
        "loads": "peaks",
        "heating_peak_w": 1000,
        "cooling_peak_w": 5000,
        "system": "closed_loop",
        "spacing_m": 1.8,
        "max_length_m": 20,
    }
    estimate = services.request_estimate(FACILITY, None, inputs, AnonymousUser(), background=False)
    assert estimate.state == Estimate.State.DONE, estimate.message
    result = estimate.result
    # Okinawa is cooling-led (Naha normals): more cooling than heating in the yearly loads
    assert result["loads"]["annual_cooling_j"] > result["loads"]["annual_heating_j"]
    design = result["design"]
    assert design["length_m"] <= 20.0
    # Built: 120 m. The report sizes nothing and leaves out the yearly cooling energy and the
    # run hours (the GSHP alternated daily or weekly with the air-source unit), so it cannot
    # be reproduced exactly. What can be checked: a 25-year design that keeps the mean fluid
    # at or below the region's 30 °C limit at every monthly peak needs at least the
    # demonstration's field, and stays within the same order: ≤ 6× built (720 m) when the map
    # gave the report's 23 °C lower bound everywhere (7 K below the limit; 30 × 20 m = 600 m).
    # The map's ground is now kriged from the stations (issue 20): air ≈ 23.1 °C between Naha
    # (23.3 °C, ≈ 20 km) and Nago (22.8 °C, ≈ 30 km), + 1.5 K (ETV-052-2101) = 24.6 °C, nearer
    # the ≈ 25 °C the report measured there (reference.json). A cooling field's length goes as
    # 1 / (T_lim − T0) to first order, so the same bound is 720 m × 7 K / (30 − 24.6) K.
    upper_m = 720.0 * 7.0 / (30.0 - 24.6)  # = 933 m
    assert 120 <= design["total_length_m"] <= upper_m, design
    assert design["spacing_check"] == "warning"  # 1.8 m < 4 m (MOE-GL4-2024 §3.2(4))
    assert design["antifreeze"] is None  # the fluid limit stays above 0 °C: water, as built
    assert result["economics"]["baselines"]["cooling"]["code"] == "air-cooled-chiller"
