from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Region
from ingest.models import ImportBatch
from monitoring import services
from monitoring.models import GroundSourceSystem, Loop, Measures, Mode, MonitoringPeriod, Sensor
from tests.factories import RegionFactory, square

# The ETV-052-2101 sensors (tbl 7-3 rows ③ ⑤–⑨ ⑮ ⑯), as a logger names its columns.
ETV_SENSORS = {
    "q_hp": Measures.HP_HEAT,
    "w_hp": Measures.HP_ELECTRICITY,
    "w_primary": Measures.PRIMARY_PUMP_ELECTRICITY,
    "w_well": Measures.WELL_PUMP_ELECTRICITY,
    "w_indoor": Measures.INDOOR_ELECTRICITY,
    "hp_run": Measures.HP_RUN_TIME,
    "well_run": Measures.WELL_PUMP_RUN_TIME,
    "q_1": Measures.PRIMARY_HEAT,
    "drain": Measures.FORCED_DRAINAGE,
}


@pytest.fixture
def mie(db: None) -> Region:
    """A region around the ETV site (Yokkaichi, roughly 34.97 N 136.62 E, inferred)."""
    return RegionFactory(
        code="mie",
        name_en="Mie",
        boundary=square(136.62, 34.97, 0.2),
        time_zone="Asia/Tokyo",
        published=True,
    )


@pytest.fixture
def etv_system(mie: Region) -> GroundSourceSystem:
    """The ETV open-loop system: 28.0 kW cooling / 31.5 kW heating (tbl 3-3), daily sensors."""
    system = GroundSourceSystem.objects.create(
        region=mie,
        code="etv-052-2101",
        name="ETV 052-2101 (synthetic series)",
        loop=Loop.OPEN,
        location=Point(136.62, 34.97, srid=4326),
        rated_cooling_capacity_w=28.0e3,
        rated_heating_capacity_w=31.5e3,
        is_synthetic=True,
        published=True,
    )
    for code, measures in ETV_SENSORS.items():
        Sensor.objects.create(system=system, code=code, measures=measures, interval_s=86400)
    MonitoringPeriod.objects.create(
        system=system,
        name="cooling",
        mode=Mode.COOLING,
        start_date=dt.date(2021, 7, 9),
        end_date=dt.date(2021, 9, 30),
        criterion_scop=3.3,
    )
    return system


ImportSeries = Callable[..., ImportBatch]


@pytest.fixture
def import_series() -> ImportSeries:
    """Import a series file as a steward would, through the service the Celery task runs."""

    def run(system: GroundSourceSystem, name: str, data: bytes) -> ImportBatch:
        batch, job = services.create_series_batch(system, SimpleUploadedFile(name, data), None)
        services.import_series_job(job)
        batch.refresh_from_db()
        return batch

    return run


def wide_csv(header: list[str], units: list[str], rows: list[list[object]]) -> bytes:
    lines = [",".join(header), ",".join(units)]
    lines += [
        "" if all(v is None for v in row) else ",".join("" if v is None else str(v) for v in row)
        for row in rows
    ]
    return ("\n".join(lines) + "\n").encode()
