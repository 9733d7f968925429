"""The system page and the steward's upload and token, through HTTP; the upload's import runs
on the real Celery worker."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingest.models import ImportBatch
from monitoring.models import GroundSourceSystem
from region_fixtures import monitoring as fixtures
from region_fixtures.services import FIXTURES_DIR
from tests.factories import UserFactory
from tests.monitoring.conftest import wide_csv


@pytest.mark.django_db
def test_the_system_page_shows_the_period_table_days_and_alerts(mie, client) -> None:
    fixtures.load(mie, FIXTURES_DIR / "gunma" / "monitoring.json")
    system = GroundSourceSystem.objects.get(region=mie)
    response = client.get(reverse("monitoring:system", args=[mie.code, system.code]))
    assert response.status_code == 200
    page = response.content.decode()
    # SCOP cooling 3541 / (677 + 33.0 + 195.4) = 3.911; heating 6554 / 1651.8 = 3.968
    assert "<td>3.91</td>" in page
    assert "<td>3.97</td>" in page
    assert 'id="day-table"' in page
    assert "groundwater heat differs from the primary heat" in page  # the ETV-T34 alert
    assert 'name="file"' not in page  # the upload form is for stewards only


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_steward_uploads_a_series_and_the_worker_imports_it(
    mie, etv_system, client, celery_worker_process
) -> None:
    steward = UserFactory(username="mie-steward")
    steward.groups.add(mie.steward_group)
    client.force_login(steward)
    page = client.get(reverse("monitoring:system", args=[mie.code, etv_system.code]))
    assert b'name="file"' in page.content
    data = wide_csv(["observed_at", "q_hp"], ["", "kWh"], [["2021-08-01 10:00", "5"]])
    response = client.post(
        reverse("monitoring:upload", args=[mie.code, etv_system.code]),
        {"file": SimpleUploadedFile("s.csv", data)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 202
    batch_id = response.json()["batch"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch = ImportBatch.objects.get(pk=batch_id)
        if batch.state in (ImportBatch.State.IMPORTED, ImportBatch.State.REJECTED):
            break
        time.sleep(0.3)
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    assert batch.series.reading_count == 1
    token_page = client.post(
        reverse("monitoring:token", args=[mie.code, etv_system.code]), follow=True
    )
    assert b'id="new-token"' in token_page.content


@pytest.mark.django_db
def test_someone_who_is_not_its_steward_cannot_upload(mie, etv_system, client, personas) -> None:
    client.force_login(personas["gunma_steward"])
    data = wide_csv(["observed_at", "q_hp"], ["", "kWh"], [["2021-08-01 10:00", "5"]])
    response = client.post(
        reverse("monitoring:upload", args=[mie.code, etv_system.code]),
        {"file": SimpleUploadedFile("s.csv", data)},
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.filter(region=mie).exists()
    assert (
        client.post(reverse("monitoring:token", args=[mie.code, etv_system.code])).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_page_warns_of_close_boreholes_and_a_toxic_heat_carrier(mie, client) -> None:
    """GL-T19: 5 m between boreholes is a caution (≥ 6 m ok); GL-T27 (fig. 29): ethylene
    glycol is × for toxicity and for the environment."""
    from django.contrib.gis.geos import Point

    from monitoring.models import Loop

    system = GroundSourceSystem.objects.create(
        region=mie,
        code="bhe-field",
        name="BHE field",
        loop=Loop.CLOSED,
        location=Point(136.62, 34.97, srid=4326),
        borehole_spacing_m=5.0,
        heat_carrier="Ethylene glycol 25 %",
        published=True,
    )
    page = client.get(reverse("monitoring:system", args=[mie.code, system.code])).content.decode()
    assert "Boreholes 5.0 m apart" in page
    assert "(caution)" in page
    assert "marked × for toxicity" in page
    assert "marked × for environmental impact" in page
    assert "viscosity" not in page  # ethylene glycol is ○ there
