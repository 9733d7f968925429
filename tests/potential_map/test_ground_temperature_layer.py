"""The ground-temperature layer of a loaded region comes from its climate stations (issue 20:
one ground temperature per region was wrong): Tajikistan through the real loader and recompute.

Numbers by hand from fixtures/tajikistan/climate-stations.csv and the ETV ground offset
(ETV-052-2101 appendix 1: ground 1–2 K above the annual mean air temperature, 1.5 ± 0.289 K):
  Murghab   3,576 m, −1.1 °C → T0 = −1.1 + 1.5 =  0.4 °C = 273.55 K
  Dushanbe    800 m, 14.7 °C → T0 = 14.7 + 1.5 = 16.2 °C = 289.35 K   (15.8 K warmer)
  Panj        363 m, 17.0 °C and Fedchenko 4,169 m, −7.0 °C: 24 K apart.
Tajikistan has no temperature log, so nothing overrides the stations.
"""

from __future__ import annotations

import numpy as np
import pytest
from django.test import override_settings

from core.jobs import run_job
from core.lib.units import ZERO_CELSIUS_K
from core.models import Job, Region
from potential_map import rasters
from potential_map import tasks as map_tasks
from potential_map.choices import LayerKind
from potential_map.domain.ground_temperature import GROUND_OFFSET_K
from potential_map.models import ClimateStation, MapLayer
from tests.regions import region_with_maps

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RESOLUTION_M = 5000.0  # a station lies at most 5 km / √2 = 3.54 km from its cell's centre
MURGHAB = (73.97, 38.17)
DUSHANBE = (68.78, 38.56)
MURGHAB_T0_K = ZERO_CELSIUS_K - 1.1 + GROUND_OFFSET_K  # 273.55 K
DUSHANBE_T0_K = ZERO_CELSIUS_K + 14.7 + GROUND_OFFSET_K  # 289.35 K


@pytest.fixture
def tajikistan() -> Region:
    return region_with_maps("tajikistan", RESOLUTION_M)


def ground_layer(region: Region) -> MapLayer:
    return MapLayer.objects.get(region=region, kind=LayerKind.GROUND_TEMPERATURE, is_current=True)


def at(layer: MapLayer, lon: float, lat: float) -> list[float]:
    """P50, P10, P90 of the cell holding (lon, lat), K."""
    x, y = rasters.points_to_metric(np.array([lon]), np.array([lat]), layer.crs_epsg)[0]
    return rasters.sample(layer.cog_path, x, y)


def recompute_in_process(region: Region) -> None:
    with override_settings(RECOMPUTE_WINDOW_CELLS=10**9):
        run_job(Job.objects.create(kind="recompute", region=region).pk, map_tasks.recompute)


def test_tajikistan_ground_temperature_follows_its_climate_stations(tajikistan) -> None:
    layer = ground_layer(tajikistan)
    assert layer.bands == ["p50", "p10", "p90"]
    assert layer.definition["method"] == "ordinary kriging of the stations"
    assert layer.definition["ground_offset_k"] == GROUND_OFFSET_K
    assert len(layer.definition["climate_stations"]) == 9  # every row of the CSV
    assert "is_fallback" not in layer.definition
    station_batches = set(
        ClimateStation.objects.filter(region=tajikistan).values_list("batch", flat=True)
    )
    assert station_batches
    assert station_batches <= set(layer.input_batches.values_list("pk", flat=True))
    p50, p10, p90 = (rasters.read_band(layer.cog_path, band) for band in (1, 2, 3))
    inside = np.isfinite(p50)
    # Not one value any more: the cells near Panj and near Fedchenko are 24 K apart, less what
    # the field can change over the ≤ 3.54 km between a station and its cell's centre.
    assert np.nanmax(p50) - np.nanmin(p50) > 20.0
    # A band everywhere: σ ≥ the offset's 0.289 K, so P10 < P50 < P90 strictly.
    assert (p10[inside] < p50[inside]).all()
    assert (p50[inside] < p90[inside]).all()

    murghab, dushanbe = at(layer, *MURGHAB), at(layer, *DUSHANBE)
    assert dushanbe[0] - murghab[0] > 10.0  # 15.8 K by hand
    # At the station's cell, P50 is the station's air temperature + 1.5 K. The cell's centre is
    # ≤ 3.54 km away; the field's slope there is about the gradient to the nearest stations
    # (Murghab → Khorog: 9.8 K over ≈ 220 km = 0.045 K/km), so ≤ 0.16 K off: within 0.2 K.
    assert murghab[0] == pytest.approx(MURGHAB_T0_K, abs=0.2)
    assert dushanbe[0] == pytest.approx(DUSHANBE_T0_K, abs=0.2)
    assert murghab[1] < murghab[0] < murghab[2]
    # σ at a station is the offset's 0.289 K (P90 − P50 = 1.2816 × 0.289 = 0.37 K) and grows
    # away from it: at the cell's centre the band is at least that wide.
    assert murghab[2] - murghab[0] >= 0.37 - 1e-3


def test_an_unpublished_station_does_not_feed_the_public_layer(tajikistan) -> None:
    ClimateStation.objects.filter(region=tajikistan, code="murghab").update(published=False)
    recompute_in_process(tajikistan)
    layer = MapLayer.objects.public().get(
        region=tajikistan, kind=LayerKind.GROUND_TEMPERATURE, is_current=True
    )
    assert layer.version == 2
    assert "murghab" not in layer.definition["climate_stations"]
    assert layer.definition["stations"] == 8
    # Without Murghab's −1.1 °C its cell is kriged from Khorog (8.7 °C, 220 km away) and
    # Fedchenko (−7.0 °C, 180 km) among the others: no longer Murghab's own 0.4 °C.
    assert abs(at(layer, *MURGHAB)[0] - MURGHAB_T0_K) > 1.0
