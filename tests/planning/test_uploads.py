"""A steward's building stock and district layer: all or nothing, each bad row explained."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import District, Job
from ingest.models import ImportBatch
from planning.models import BuildingStock
from tests.factories import square

pytestmark = pytest.mark.django_db


@pytest.fixture
def okinawa_district(personas) -> District:  # type: ignore[no-untyped-def]
    from core.models import Region

    region = Region.objects.get(code="okinawa")
    return District.objects.create(
        region=region, code="47201", name_en="Naha", geometry=square(127.65, 26.18, 0.05)
    )


def _post(client, kind: str, name: str, data: bytes, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("planning:upload", args=["okinawa"]),
        {"kind": kind, "file": SimpleUploadedFile(name, data), **extra},
    )


def test_a_building_stock_table_is_written_and_used(client, personas, okinawa_district) -> None:
    client.force_login(personas["okinawa_steward"])
    csv = b"district_code,use,floor_area_m2,source\n47201,office,12000,city survey 2024\n"
    response = _post(client, "building_stock", "stock.csv", csv)
    assert response.status_code == 200
    assert b'id="upload-done"' in response.content
    (row,) = BuildingStock.objects.all()
    assert (row.use, row.floor_area_m2) == ("office", 12000.0)


def test_bad_rows_are_each_explained_and_nothing_is_written(
    client, personas, okinawa_district
) -> None:
    client.force_login(personas["okinawa_steward"])
    csv = (
        b"district_code,use,floor_area_m2,source\n"
        b"47201,office,12000,ok\n"
        b"99999,office,10,x\n"  # row 3: unknown district
        b"47201,castle,10,x\n"  # row 4: unknown use
        b"47201,school,-5,\n"  # row 5: negative area, no source
    )
    response = _post(client, "building_stock", "stock.csv", csv)
    assert response.status_code == 400
    html = response.content.decode()
    for row, field in ((3, "district_code"), (4, "use"), (5, "floor_area_m2"), (5, "source")):
        assert f"<td>stock.csv</td><td>{row}</td><td>{field}</td>" in html
    assert not BuildingStock.objects.exists()  # the good row 2 was not written either


def test_a_district_layer_adds_and_reshapes_by_code(client, personas, okinawa_district) -> None:
    client.force_login(personas["okinawa_steward"])

    def feature(code: str | None, lon: float) -> dict:
        ring = [[lon, 26.2], [lon + 0.02, 26.2], [lon + 0.02, 26.22], [lon, 26.22], [lon, 26.2]]
        return {
            "type": "Feature",
            "properties": {"code": code, "name": f"d{code}"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    good = {
        "type": "FeatureCollection",
        "features": [feature("47201", 127.7), feature("X1", 127.72)],
    }
    response = _post(client, "districts", "d.geojson", json.dumps(good).encode())
    assert response.status_code == 200, response.content.decode()[:2000]
    assert set(District.objects.values_list("code", flat=True)) == {"47201", "X1"}
    bad = {"type": "FeatureCollection", "features": [feature("X2", 127.7), feature(None, 127.7)]}
    response = _post(client, "districts", "d.geojson", json.dumps(bad).encode())
    assert response.status_code == 400
    assert "<td>d.geojson</td><td>2</td><td>code</td>" in response.content.decode()
    assert not District.objects.filter(code="X2").exists()


def test_only_the_regions_stewards_may_upload(client, personas, okinawa_district) -> None:
    client.force_login(personas["planner"])
    csv = b"district_code,use,floor_area_m2,source\n47201,office,1,x\n"
    assert _post(client, "building_stock", "s.csv", csv).status_code == 403
    client.force_login(personas["gunma_steward"])
    assert _post(client, "building_stock", "s.csv", csv).status_code == 403


def test_the_comparison_page_links_its_stewards_to_the_upload(client, personas) -> None:
    upload = reverse("planning:upload", args=["okinawa"]).encode()
    page = reverse("planning:compare", args=["okinawa"])
    client.force_login(personas["planner"])
    assert upload not in client.get(page).content
    client.force_login(personas["okinawa_steward"])
    assert upload in client.get(page).content


# --- a batch like every other upload ----------------------------------------------------------


def _layer(*features: tuple[str, float]) -> bytes:
    def feature(code: str, lon: float) -> dict:
        ring = [[lon, 26.2], [lon + 0.02, 26.2], [lon + 0.02, 26.22], [lon, 26.22], [lon, 26.2]]
        return {
            "type": "Feature",
            "properties": {"code": code, "name": f"d{code}"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    collection = {"type": "FeatureCollection", "features": [feature(*f) for f in features]}
    return json.dumps(collection).encode()


def _rollback(client, batch: ImportBatch):  # type: ignore[no-untyped-def]
    return client.post(reverse("ingest:batch-rollback", args=[batch.pk]))


def test_a_building_stock_upload_is_a_batch_with_its_job_and_rolls_back(
    client, personas, okinawa_district
) -> None:
    steward = personas["okinawa_steward"]
    client.force_login(steward)
    head = b"district_code,use,floor_area_m2,source\n"
    assert (
        _post(client, "building_stock", "s1.csv", head + b"47201,office,12000,a\n").status_code
        == 200
    )
    assert (
        _post(client, "building_stock", "s2.csv", head + b"47201,office,15000,b\n").status_code
        == 200
    )
    first, second = ImportBatch.objects.order_by("pk")
    for batch in (first, second):
        assert (batch.kind, batch.state, batch.uploaded_by) == (
            "building_stock",
            "imported",
            steward,
        )
        assert batch.job.state == Job.State.SUCCEEDED
    assert (first.created_count, second.updated_count) == (1, 1)
    # The history of the upload page lists them, with a rollback and no publication (the
    # stock has no published flag: it is used as soon as imported).
    page = client.get(reverse("ingest:upload", args=["okinawa"])).content.decode()
    assert reverse("ingest:batch-rollback", args=[second.pk]) in page
    assert reverse("ingest:batch-publish", args=[second.pk]) not in page
    assert client.post(reverse("ingest:batch-publish", args=[second.pk])).status_code == 409

    assert _rollback(client, first).status_code == 409  # the second changed its row
    assert _rollback(client, second).status_code == 302
    assert BuildingStock.objects.get().floor_area_m2 == 12000.0  # the first's value, back
    assert BuildingStock.objects.get().source == "a"
    assert _rollback(client, first).status_code == 302
    assert not BuildingStock.objects.exists()


def test_a_district_layer_rolls_back_what_it_added_and_reshaped(
    client, personas, okinawa_district
) -> None:
    client.force_login(personas["okinawa_steward"])
    before = okinawa_district.geometry
    response = _post(client, "districts", "d.geojson", _layer(("47201", 127.7), ("X1", 127.72)))
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.options) == (
        "districts",
        {"code_field": "code", "name_field": "name"},
    )
    assert (batch.created_count, batch.updated_count) == (1, 1)
    assert _rollback(client, batch).status_code == 302
    assert list(District.objects.values_list("code", flat=True)) == ["47201"]
    restored = District.objects.get()
    assert restored.geometry.equals_exact(before, 1e-9)
    assert restored.name_en == "Naha"


def test_a_district_batch_is_not_rolled_back_under_the_stock_that_hangs_on_it(
    client, personas, okinawa_district
) -> None:
    client.force_login(personas["okinawa_steward"])
    assert _post(client, "districts", "d.geojson", _layer(("X1", 127.72))).status_code == 200
    stock = b"district_code,use,floor_area_m2,source\nX1,school,800,survey\n"
    assert _post(client, "building_stock", "s.csv", stock).status_code == 200
    districts, stock_batch = ImportBatch.objects.order_by("pk")
    refused = _rollback(client, districts)
    assert refused.status_code == 409
    assert f"#{stock_batch.pk}" in refused.content.decode()  # roll that one back first
    assert BuildingStock.objects.filter(district__code="X1").exists()
    assert _rollback(client, stock_batch).status_code == 302
    assert _rollback(client, districts).status_code == 302
    assert not District.objects.filter(code="X1").exists()
