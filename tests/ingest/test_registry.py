"""Survey kinds are registered, not listed: a kind that no app of the project declares, registered
here by the test as a test app would from its ready(), is offered, templated, detected, imported
and rolled back by the generic upload page like the wells' own kinds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_noop as N_

from core.jobs import run_job
from core.models import District, Job
from geology.models import GeologicalUnit
from ingest import registry, service
from ingest.columns import NUMBER, TEXT, Column, Parsed
from ingest.kinds import clean_rows
from ingest.models import ImportBatch
from ingest.registry import Context, Outcome, Record, SurveyKind
from planning.models import BuildingStock
from tests.factories import UserFactory
from tests.wells import files
from wells.models import Borehole, GeologicalLayer, GroundwaterLevel

pytestmark = pytest.mark.django_db

# A field crew's sheet of drilled points: its own column names, depths in centimetres.
POINT_COLUMNS = (
    Column("point_id", TEXT, max_length=40, example="P-1"),
    Column("easting_deg", NUMBER, "angle_deg", example="139.01"),
    Column("northing_deg", NUMBER, "angle_deg", example="36.45"),
    Column("drilled", NUMBER, "length_m", example="100"),
)


def build_points(parsed: Parsed, ctx: Context) -> Outcome:
    cells = parsed.cells
    records = [
        Record(
            Borehole,
            {"region": ctx.region, "code": cells[i]["point_id"]},
            {
                "location": Point(cells[i]["easting_deg"], cells[i]["northing_deg"], srid=4326),
                "depth_m": cells[i]["drilled"],
                "purpose": "exploration",
                "source": "field crew sheet",
            },
            parsed.row_numbers[i],
        )
        for i in clean_rows(parsed, [])
    ]
    return Outcome(records, [], [])


POINTS = SurveyKind("crew_points", N_("Drilled points"), (Borehole,), POINT_COLUMNS, build_points)


@pytest.fixture
def crew_points() -> Iterator[SurveyKind]:
    registry.register(POINTS)
    yield POINTS
    registry.unregister(POINTS.code)


@pytest.fixture
def steward(gunma):  # type: ignore[no-untyped-def]
    user = UserFactory(username="gina")
    user.groups.add(gunma.steward_group)
    return user


def crew_sheet() -> bytes:
    # 10 000 cm = 100 m; 5 050 cm = 50.5 m
    return files.table_csv(
        [
            ["point_id", "easting_deg", "northing_deg", "drilled"],
            ["", "°", "°", "cm"],
            ["P-1", files.YOSHIOKA_LON, files.YOSHIOKA_LAT, 10000],
            ["P-2", 139.02, 36.45, 5050],
        ]
    )


def test_a_kind_registered_by_another_app_is_imported_through_the_upload_page(
    client, steward, crew_points
) -> None:
    client.force_login(steward)
    page = client.get(reverse("ingest:upload", args=["gunma"])).content.decode()
    assert '<option value="crew_points">Drilled points</option>' in page
    template = reverse("ingest:template", args=["crew_points", "csv"])
    assert template in page
    header, units = client.get(template).content.decode("utf-8-sig").splitlines()[:2]
    assert (header, units) == ("point_id,easting_deg,northing_deg,drilled", ",°,°,m")

    response = client.post(
        reverse("ingest:upload", args=["gunma"]),
        {"kind": "crew_points", "file": _upload("crew.csv", crew_sheet())},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 202, response.content
    # The suite's worker process has no test kinds: the queued job runs here, as it would there.
    run_job(response.json()["job"], service.import_job)
    batch = ImportBatch.objects.get(pk=response.json()["batch"])
    assert (batch.state, batch.kind, batch.created_count) == ("imported", "crew_points", 2)
    assert Job.objects.get(pk=response.json()["job"]).state == Job.State.SUCCEEDED
    depths = dict(Borehole.objects.values_list("code", "depth_m"))
    assert depths == pytest.approx({"P-1": 100.0, "P-2": 50.5}, abs=1e-9)

    html = client.get(reverse("ingest:batch", args=[batch.pk])).content.decode()
    assert "<td>borehole</td><td>2</td><td>0</td><td>0</td>" in html
    assert client.post(reverse("ingest:batch-rollback", args=[batch.pk])).status_code == 302
    assert not Borehole.objects.exists()


def test_a_registered_kind_is_detected_from_its_columns(import_file, crew_points) -> None:
    batch = import_file("crew.csv", crew_sheet())
    assert (batch.state, batch.kind) == ("imported", "crew_points")


def test_once_unregistered_a_kind_is_neither_offered_nor_imported(
    client, steward, import_file
) -> None:
    client.force_login(steward)
    assert (
        "crew_points" not in client.get(reverse("ingest:upload", args=["gunma"])).content.decode()
    )
    assert client.get(reverse("ingest:template", args=["crew_points", "csv"])).status_code == 404
    batch = import_file("crew.csv", crew_sheet())
    assert batch.state == "rejected"
    assert batch.errors[0]["message"] == "The columns match no survey kind; start from a template."


def test_kinds_of_another_page_are_not_offered_on_the_upload_page(client, steward) -> None:
    client.force_login(steward)
    page = client.get(reverse("ingest:upload", args=["gunma"])).content.decode()
    for code in ("building_stock", "districts", "monitoring_series"):
        assert registry.get(code) is not None
        assert f'value="{code}"' not in page
    response = client.post(
        reverse("ingest:upload", args=["gunma"]),
        {"kind": "building_stock", "file": _upload("s.csv", b"district_code\n")},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


def test_a_code_is_registered_once() -> None:
    registry.register(registry.get("boreholes"))  # ready() again: the same kind, accepted
    other = SurveyKind("boreholes", N_("Boreholes"), (Borehole,), POINT_COLUMNS, build_points)
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register(other)


def test_the_rollback_deletes_children_before_the_parents_they_point_at() -> None:
    order = registry.deletion_order()
    for child, parent in (
        (GeologicalLayer, Borehole),
        (GeologicalLayer, GeologicalUnit),
        (GroundwaterLevel, Borehole),
        (BuildingStock, District),
    ):
        assert order.index(child) < order.index(parent), (child, parent)


def _upload(name: str, data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
