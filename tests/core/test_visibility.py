"""Each role reads only what it may: regions, jobs, the home page and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Job, Region
from tests.factories import JobFactory, RegionFactory, square


@pytest.fixture
def draft_regions(personas):
    """Okinawa's and Gunma's published rows plus one unpublished region in each steward's care."""
    okinawa_draft = RegionFactory(
        code="okinawa-draft", name_en="OKI-DRAFT", boundary=square(127.0, 26.0, 0.1)
    )
    okinawa_draft.published = False
    okinawa_draft.save()
    personas["okinawa_steward"].groups.add(okinawa_draft.steward_group)
    gunma_draft = RegionFactory(
        code="gunma-draft", name_en="GUN-DRAFT", boundary=square(139.0, 36.0, 0.1)
    )
    gunma_draft.published = False
    gunma_draft.save()
    personas["gunma_steward"].groups.add(gunma_draft.steward_group)
    return okinawa_draft, gunma_draft


EXPECTED_REGIONS = {
    "anonymous": {"okinawa", "gunma"},
    "planner": {"okinawa", "gunma"},
    "installer": {"okinawa", "gunma"},
    "okinawa_steward": {"okinawa", "gunma", "okinawa-draft"},  # never Gunma's draft
    "gunma_steward": {"okinawa", "gunma", "gunma-draft"},
    "admin": {"okinawa", "gunma", "okinawa-draft", "gunma-draft"},
}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_REGIONS.items())
def test_region_api_lists_only_what_each_role_may_see(
    client, personas, draft_regions, persona, expected
) -> None:
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.get(reverse("api:region-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert {f["properties"]["code"] for f in body["features"]} == expected


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_REGIONS.items())
def test_home_page_lists_only_what_each_role_may_see(
    client, personas, draft_regions, persona, expected
) -> None:
    if personas[persona]:
        client.force_login(personas[persona])
    html = client.get("/en/").content.decode()
    for code in ("okinawa-draft", "gunma-draft"):
        label = Region.objects.get(code=code).name_en
        assert (label in html) == (code in expected), (persona, code)


def test_an_unpublished_region_is_404_not_403_to_the_public(client, draft_regions) -> None:
    response = client.get(reverse("api:region-detail", args=["okinawa-draft"]))
    assert response.status_code == 404


def test_region_feature_has_limited_precision_and_its_settings(client, okinawa) -> None:
    feature = client.get(reverse("api:region-detail", args=["okinawa"])).json()
    assert feature["properties"]["raster_crs_epsg"] == 32652
    ring = feature["geometry"]["coordinates"][0][0]
    assert ring[0] == [127.6, 26.1]
    assert all(len(str(c).split(".")[-1]) <= 5 for point in ring for c in point)


def test_jobs_api_needs_a_signed_in_user(client, db) -> None:
    JobFactory()
    assert client.get(reverse("api:job-list")).status_code == 403


@pytest.mark.parametrize(
    ("persona", "expected_kinds"),
    [
        ("planner", {"bob's own"}),
        ("okinawa_steward", {"okinawa import"}),
        ("gunma_steward", {"gunma import"}),
        ("admin", {"okinawa import", "gunma import", "bob's own", "site-wide"}),
    ],
)
def test_jobs_api_shows_own_jobs_and_stewarded_regions_jobs(
    client, personas, okinawa, gunma, persona, expected_kinds
) -> None:
    JobFactory(kind="okinawa import", region=okinawa)
    JobFactory(kind="gunma import", region=gunma)
    JobFactory(kind="bob's own", created_by=personas["planner"])
    JobFactory(kind="site-wide")
    client.force_login(personas[persona])
    response = client.get(reverse("api:job-list"))
    assert response.status_code == 200
    assert {job["kind"] for job in response.json()["results"]} == expected_kinds


def test_a_job_of_another_region_is_404(client, personas, gunma) -> None:
    job = JobFactory(region=gunma)
    client.force_login(personas["okinawa_steward"])
    assert client.get(reverse("api:job-detail", args=[job.pk])).status_code == 404
    assert Job.objects.visible_to(personas["okinawa_steward"]).count() == 0


def test_stewarded_by_gives_write_access_only_to_own_regions(personas, okinawa, gunma) -> None:
    assert set(Region.objects.stewarded_by(personas["okinawa_steward"])) == {okinawa}
    assert set(Region.objects.stewarded_by(personas["planner"])) == set()
    assert set(Region.objects.stewarded_by(personas["admin"])) == {okinawa, gunma}
