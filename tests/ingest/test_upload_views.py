"""The steward's upload pages: who may use them, the job through the worker, errors, rollback."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Job
from ingest import service
from ingest.models import ImportBatch
from tests.factories import UserFactory
from tests.wells import files
from wells.models import Borehole


@pytest.fixture
def stewards(gunma, okinawa):
    gunma_steward = UserFactory(username="gina")
    gunma_steward.groups.add(gunma.steward_group)
    okinawa_steward = UserFactory(username="olly")
    okinawa_steward.groups.add(okinawa.steward_group)
    return {"gunma": gunma_steward, "okinawa": okinawa_steward, "planner": UserFactory()}


@pytest.fixture
def okinawa(db):
    from tests.factories import RegionFactory

    return RegionFactory(code="okinawa")


def _upload(client, region_code: str, name: str, data: bytes, kind: str = "auto"):
    return client.post(
        reverse("ingest:upload", args=[region_code]),
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
        headers={"accept": "application/json"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"), [("planner", 403), ("okinawa", 403), ("gunma", 200)]
)
def test_only_the_regions_stewards_see_the_upload_page(client, stewards, persona, expected):
    client.force_login(stewards[persona])
    assert client.get(reverse("ingest:upload", args=["gunma"])).status_code == expected


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page(client, gunma):
    response = client.get(reverse("ingest:upload", args=["gunma"]))
    assert response.status_code == 302
    assert (
        response["Location"] == "/en/accounts/sign-in/?next=/en/imports/gunma/"
    )  # not the admin's
    upload = _upload(client, "gunma", "b.csv", b"x")
    assert upload.status_code == 302
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_another_regions_steward_cannot_upload(client, stewards):
    client.force_login(stewards["okinawa"])
    response = _upload(client, "gunma", "b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_another_regions_batch_is_404_and_cannot_be_rolled_back(client, stewards, import_file):
    batch = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    client.force_login(stewards["okinawa"])
    for name in ("ingest:batch", "ingest:batch-status", "ingest:batch-errors"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404, name
    assert client.post(reverse("ingest:batch-rollback", args=[batch.pk])).status_code == 404
    assert Borehole.objects.count() == 1


@pytest.mark.django_db
def test_an_empty_file_is_refused_at_once_with_its_reason(client, stewards):
    client.force_login(stewards["gunma"])
    response = _upload(client, "gunma", "b.csv", b"")
    assert response.status_code == 400
    assert response.json()["error"] == "The file is empty."


@pytest.mark.django_db
def test_the_error_csv_lists_every_problem_with_file_row_field(client, stewards, import_file):
    rows = [*files.YOSHIOKA_BOREHOLE, ["YOS-2", "", 139.0, 36.4, -1, "", "", "exploration", "", ""]]
    rows.append(["YOS-3", "", 139.0, 36.4, 10, "", "", "well", "", ""])
    batch = import_file("b.csv", files.table_csv(rows))
    client.force_login(stewards["gunma"])
    response = client.get(reverse("ingest:batch-errors", args=[batch.pk]))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines == [
        ["severity", "file", "row", "field", "value", "message"],
        ["error", "b.csv", "4", "depth", "-1.0", "This value must be more than 0."],
        ["error", "b.csv", "5", "purpose", "well", "This value is not one of the allowed values."],
    ]


@pytest.mark.django_db
def test_errors_are_shown_in_the_stewards_language(client, stewards, import_file):
    rows = [
        *files.YOSHIOKA_BOREHOLE[:2],
        ["YOS-2", "", 139.0, 36.4, -1, "", "", "exploration", "", ""],
    ]
    batch = import_file("b.csv", files.table_csv(rows))
    client.force_login(stewards["gunma"])
    html = client.get(f"/ja{reverse('ingest:batch', args=[batch.pk])[3:]}").content.decode()
    assert "0より大きい値にしてください。" in html


@pytest.mark.django_db
def test_a_steward_rolls_a_batch_back_from_the_history(client, stewards, import_file):
    batch = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    client.force_login(stewards["gunma"])
    page = client.get(reverse("ingest:upload", args=["gunma"])).content.decode()
    assert reverse("ingest:batch-rollback", args=[batch.pk]) in page
    response = client.post(reverse("ingest:batch-rollback", args=[batch.pk]))
    assert response.status_code == 302
    assert not Borehole.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_every_template_downloads_and_imports_its_own_example(client, gunma, extension):
    """A template's example row is a valid row (boreholes first, so the others find YOS-1)."""
    from ingest import registry
    from ingest.templates_files import template_rows

    kinds = [kind.code for kind in registry.kinds(offered=True)]
    assert kinds == [
        "boreholes",
        "well_intervals",
        "geological_layers",
        "groundwater_levels",
        "temperature_logs",
        "water_chemistry",
        "thermal_response_tests",
        "pumping_tests",
        "flow_readings",
        "geological_units",
        "climate_stations",
    ]
    for kind in kinds:
        response = client.get(reverse("ingest:template", args=[kind, extension]))
        assert response.status_code == 200, kind
        assert response["Content-Disposition"].endswith(f'{kind}-template.{extension}"')
    rows = template_rows("boreholes")
    rows[2][rows[0].index("lon")], rows[2][rows[0].index("lat")] = 139.01028, 36.4475
    rows[2][rows[0].index("code")] = "YOS-1"
    data = files.table_csv(rows)
    batch, _job = service.create_batch(gunma, "boreholes", SimpleUploadedFile("t.csv", data), None)
    assert service.run_import(batch).state == "imported", batch.errors


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_upload_is_imported_by_the_worker_and_the_page_follows_it(
    client, celery_worker_process, stewards
):
    client.force_login(stewards["gunma"])
    response = _upload(client, "gunma", "boreholes.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    assert response.status_code == 202
    status_url = response.json()["status_url"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(status_url).json()
        if status["state"] in ("imported", "rejected"):
            break
        time.sleep(0.1)
    assert status["state"] == "imported", status
    assert (status["row_count"], status["created"], status["progress"]) == (1, 1, 1.0)
    assert Borehole.objects.get().code == "YOS-1"
    job = Job.objects.get(pk=response.json()["job"])
    assert job.state == Job.State.SUCCEEDED
    assert job.progress_steps()[0] == 0.0
    assert job.progress_steps()[-1] == 1.0


@pytest.mark.django_db
def test_publishing_a_batch_shows_its_rows_to_the_public(client, stewards, import_file):
    import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    batch = import_file("t.las", files.yoshioka_las())
    url = reverse("wells:borehole", args=["gunma", "YOS-1"])
    assert "temperature-profile" not in client.get(url).content.decode()
    client.force_login(stewards["gunma"])
    assert client.post(reverse("ingest:batch-publish", args=[batch.pk])).status_code == 302
    client.logout()
    html = client.get(url).content.decode()
    assert "temperature-profile" in html
    assert "15.7–18.0 °C" in html  # YOSHIOKA-2014 §2.6: 15.7 °C at 51 m, 18.0 °C at 8.5 m


@pytest.mark.django_db
def test_the_batch_page_says_what_changed_and_links_the_boreholes(client, stewards, import_file):
    import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    batch = import_file("column.csv", files.table_csv(files.YOSHIOKA_COLUMN))
    client.force_login(stewards["gunma"])
    html = client.get(reverse("ingest:batch", args=[batch.pk])).content.decode()
    assert "<td>geological layer</td><td>7</td><td>0</td><td>0</td>" in html
    assert reverse("wells:borehole", args=["gunma", "YOS-1"]) in html
