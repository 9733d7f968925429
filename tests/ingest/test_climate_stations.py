"""Climate stations are uploaded like any survey file (potential_map's kind): °C arrives as K,
and a bad row is refused with its file, row and field named in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from ingest.errors import RowError
from potential_map.models import ClimateStation
from tests.wells import files

pytestmark = pytest.mark.django_db

HEADER = [
    "code",
    "name",
    "name_local",
    "lon",
    "lat",
    "elevation",
    "annual_mean_air_temperature",
    "period",
    "temperature_provenance",
    "temperature_source",
    "location_provenance",
    "location_source",
    "published",
]
UNITS = ["", "", "", "°", "°", "m", "°C", "", "", "", "", "", ""]
# fixtures/gunma/climate-stations.csv's Maebashi row
MAEBASHI = [
    "maebashi",
    "Maebashi",
    "前橋",
    139.060,
    36.405,
    112,
    14.6,
    "1981–2010",
    "source",
    "YOSHIOKA-2014 Table 4 (JMA normals)",
    "literature",
    "JMA AMeDAS station list",
    "true",
]


def station(**changes: object) -> list[object]:
    row = list(MAEBASHI)
    for name, value in changes.items():
        row[HEADER.index(name)] = value
    return row


def test_a_station_is_stored_in_kelvin_with_where_its_numbers_come_from(import_file) -> None:
    batch = import_file("stations.csv", files.table_csv([HEADER, UNITS, MAEBASHI]))
    assert batch.state == "imported", batch.errors
    assert batch.kind == "climate_stations"  # detected from the columns
    maebashi = ClimateStation.objects.get(code="maebashi")
    assert maebashi.annual_mean_air_temperature_k == pytest.approx(287.75)  # 14.6 + 273.15
    assert maebashi.elevation_m == 112.0
    assert (maebashi.location.x, maebashi.location.y) == (139.06, 36.405)
    assert maebashi.temperature_provenance == "source"
    assert maebashi.location_source == "JMA AMeDAS station list"
    assert maebashi.published is True
    assert maebashi.batch_id == batch.pk


def test_bad_station_rows_are_named_and_nothing_is_written(import_file) -> None:
    rows = [
        HEADER,
        UNITS,
        MAEBASHI,  # row 3: good, but not written alone
        station(code="hot", annual_mean_air_temperature=80),  # row 4: 80 °C in the air
        station(code="high", elevation=12000),  # row 5: above any station
        station(code="naha", lon=127.686, lat=26.207),  # row 6: in Okinawa, not Gunma
        station(code="maebashi"),  # row 7: the code again
    ]
    batch = import_file("stations.csv", files.table_csv(rows), "climate_stations")
    assert batch.state == "rejected"
    problems = sorted((e["row"], e["field"], e["message"]) for e in batch.errors)
    assert problems == [
        (4, "annual_mean_air_temperature", "This temperature is implausible."),
        (5, "elevation", "This elevation is implausible."),
        (6, "lon", "This point is outside the region %(region)s."),
        (7, "code", "This code is repeated in another row."),
    ]
    assert all(e["file"] == "stations.csv" for e in batch.errors)
    assert not ClimateStation.objects.exists()
    high = next(e for e in batch.errors if e["row"] == 5)
    with translation.override("ja"):
        assert RowError.text(high) == "この標高はありえません。"
    with translation.override("ru"):
        assert RowError.text(high) == "Такая высота неправдоподобна."
