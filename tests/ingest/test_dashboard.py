"""A steward's day (issue 22 item 8): the link to the uploads in the header, the region
dashboard (recent batches with state and counts, the recomputation with its progress, polled
as JSON by static/js/dashboard.js) and the confirmation after an action taken from it.

Personas (tests/conftest.py): alice stewards Okinawa, carol Gunma, bob is a planner, ivan an
installer, root an admin."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import Job
from ingest.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(personas, okinawa):  # type: ignore[no-untyped-def]
    """Two Okinawa batches (one imported, one refused) and a recomputation three quarters
    done, as potential_map's publishing step leaves it."""
    imported = ImportBatch.objects.create(
        region=okinawa, kind="boreholes", file_name="naha-boreholes.csv", sha256="1" * 64,
        size_bytes=10, state=ImportBatch.State.IMPORTED, row_count=12, created_count=9,
        updated_count=2, unchanged_count=1, uploaded_by=personas["okinawa_steward"],
    )  # fmt: skip
    refused = ImportBatch.objects.create(
        region=okinawa, kind="groundwater_levels", file_name="levels.csv", sha256="2" * 64,
        size_bytes=10, state=ImportBatch.State.REJECTED, row_count=40, error_count=3,
        errors=[{"file": "levels.csv", "row": 5, "field": "depth_to_water", "value": "x",
                 "message": "A number is required."}] * 3,
    )  # fmt: skip
    done = Job.objects.create(kind="recompute", region=okinawa, state=Job.State.SUCCEEDED)
    running = Job.objects.create(kind="recompute", region=okinawa, state=Job.State.RUNNING)
    running.set_progress(0.75, "Writing the maps")  # potential_map/services/publishing.py
    return {"imported": imported, "refused": refused, "done": done, "running": running}


def _url(name: str, code: str = "okinawa") -> str:
    return reverse(f"ingest:{name}", args=[code])


def test_a_steward_sees_the_batches_and_the_running_recompute(client, personas, day) -> None:
    client.force_login(personas["okinawa_steward"])
    response = client.get(_url("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "naha-boreholes.csv" in html
    assert "levels.csv" in html
    row = html[html.index(f'data-batch="{day["imported"].pk}"') :]
    row = row[: row.index("</tr>")]
    for cell in ("imported", ">12<", ">9<", ">2<", ">1<", ">0<"):  # rows created updated ...
        assert cell in row, cell
    refused = html[html.index(f'data-batch="{day["refused"].pk}"') :]
    assert "rejected" in refused[: refused.index("</tr>")]
    assert ">3<" in refused[: refused.index("</tr>")]  # its three problems
    assert f"Job #{day['running'].pk}" in html  # the running one, not the finished one
    assert 'id="recompute-progress" max="1" value="0.75"' in html
    assert "75 %" in html
    assert "Writing the maps" in html
    assert "running" in html
    assert reverse("potential_map:recompute", args=["okinawa"]) in html  # the button
    assert 'src="/static/js/dashboard.js"' in html
    assert "<script>" not in html  # CSP: no inline script


def test_the_status_the_page_polls_is_translated(client, personas, day) -> None:
    client.force_login(personas["okinawa_steward"])
    status = client.get(_url("dashboard-status")).json()
    assert status["active"] is True
    assert status["recompute"] == {
        "id": day["running"].pk, "state": "running", "state_label": "running", "active": True,
        "progress": 0.75, "message": "Writing the maps",
    }  # fmt: skip
    first, second = status["batches"]  # newest first
    assert first["id"] == day["refused"].pk
    assert first["errors"] == 3
    assert (second["state"], second["rows"], second["created"], second["updated"]) == (
        "imported", 12, 9, 2,
    )  # fmt: skip
    with translation.override("ja"):
        url = _url("dashboard-status")
    status = client.get(url).json()
    assert status["recompute"]["message"] == "マップを書き出しています"
    assert status["recompute"]["state_label"] == "実行中"
    day["running"].state = Job.State.SUCCEEDED
    day["running"].save()
    assert client.get(_url("dashboard-status")).json()["active"] is False  # polling slows


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("okinawa_steward", 200),
        ("admin", 200),
        ("planner", 404),
        ("installer", 404),
        ("gunma_steward", 404),  # a steward of another region
    ],
)
def test_only_the_regions_stewards_and_admins_see_it(client, personas, day, role, expected):
    client.force_login(personas[role])
    for name in ("dashboard", "dashboard-status"):
        response = client.get(_url(name))
        assert response.status_code == expected, name
        if expected == 404:
            assert b"naha-boreholes" not in response.content


def test_anonymous_users_are_sent_to_sign_in(client, day) -> None:
    for name in ("dashboard", "dashboard-status"):
        response = client.get(_url(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_action_from_the_dashboard_returns_to_it_with_a_confirmation(
    client, personas, day
) -> None:
    client.force_login(personas["okinawa_steward"])
    batch = day["imported"]
    response = client.post(
        reverse("ingest:batch-publish", args=[batch.pk]),
        {"published": "1", "back": "dashboard"},
        follow=True,
    )
    assert response.redirect_chain == [(_url("dashboard"), 302)]
    assert f"Batch #{batch.pk} is published" in response.content.decode()
    response = client.post(
        reverse("potential_map:recompute", args=["okinawa"]), {"back": "dashboard"}, follow=True
    )
    assert response.redirect_chain == [(_url("dashboard"), 302)]
    assert "The maps of Okinawa are being recomputed" in response.content.decode()
    # From the upload page (no `back`), the upload page as before.
    response = client.post(reverse("ingest:batch-publish", args=[batch.pk]), {"published": "0"})
    assert response["Location"] == _url("upload")


def test_the_header_links_stewards_and_admins_to_the_uploads(client, personas) -> None:
    link = f'href="{reverse("ingest:imports")}" id="nav-uploads"'
    for role, shown in (
        ("anonymous", False), ("planner", False), ("installer", False),
        ("okinawa_steward", True), ("gunma_steward", True), ("admin", True),
    ):  # fmt: skip
        client.logout()
        if personas[role] is not None:
            client.force_login(personas[role])
        assert (link in client.get(reverse("about")).content.decode()) is shown, role


def test_the_upload_page_links_to_the_dashboard(client, personas, okinawa) -> None:
    client.force_login(personas["okinawa_steward"])
    assert _url("dashboard") in client.get(_url("upload")).content.decode()


def test_an_admin_finds_each_regions_dashboard_from_the_uploads_link(client, personas) -> None:
    client.force_login(personas["admin"])
    page = client.get(reverse("ingest:imports")).content.decode()  # two regions: a list
    assert _url("dashboard", "okinawa") in page
    assert _url("dashboard", "gunma") in page
