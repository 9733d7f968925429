"""A template imports as it is downloaded (issue 22 item 8): each offered kind's template,
fetched from its download URL and uploaded unchanged, imports without an error or a warning
(boreholes first, so the other kinds find the example borehole YOS-1); its unit row names the
units its example values are in, and an XLSX template holds its numbers as numbers."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingest import registry, service
from wells.models import ThermalResponseTest, WaterChemistrySample

pytestmark = pytest.mark.django_db


def _imported(region, client, kind: str, extension: str):  # type: ignore[no-untyped-def]
    response = client.get(reverse("ingest:template", args=[kind, extension]))
    assert response.status_code == 200, kind
    upload = SimpleUploadedFile(f"{kind}.{extension}", response.content)
    batch, _job = service.create_batch(region, "auto", upload, None)
    return service.run_import(batch)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_every_downloaded_template_imports_unchanged(client, gunma, extension) -> None:
    problems = {}
    for kind in registry.kinds(offered=True):
        batch = _imported(gunma, client, kind.code, extension)
        if batch.state != "imported" or batch.kind != kind.code or batch.warnings:
            problems[kind.code] = (batch.state, batch.kind, batch.errors, batch.warnings)
    assert problems == {}
    # The example values mean what the unit row says: °C, kW and mS/m, not K, W and S/m.
    trt = ThermalResponseTest.objects.get()
    assert trt.time_s == [60.0, 120.0, 180.0]
    assert trt.inlet_temperature_k == pytest.approx([295.15, 295.55, 295.85])  # 22.0 °C + 273.15
    assert trt.heating_power_w == pytest.approx([1050.0] * 3)  # 1.05 kW
    sample = WaterChemistrySample.objects.get()
    assert sample.water_temperature_k == pytest.approx(289.35)  # 16.2 °C
    assert sample.electrical_conductivity_s_per_m == pytest.approx(0.0386)  # 38.6 mS/m × 1e-3


def test_the_xlsx_template_stores_numbers_as_numbers(client) -> None:
    from openpyxl import load_workbook

    response = client.get(reverse("ingest:template", args=["thermal_response_tests", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header, units, first = rows[0], rows[1], rows[2]
    assert len(rows) == 5  # header, units, three readings
    assert units[header.index("inlet_temperature")] == "°C"
    assert units[header.index("heating_power")] == "kW"
    assert first[header.index("time")] == 60
    assert isinstance(first[header.index("time")], int | float)  # a number cell, not text
    assert first[header.index("heating_power")] == pytest.approx(1.05)
    assert first[header.index("borehole_code")] == "YOS-1"  # text stays text
    assert first[header.index("started_at")] == "2011-01-01 10:00"
