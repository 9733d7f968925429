"""Nothing unpublished reaches a role that may not see it: every readable URL of the site and
the API is fetched by anonymous, planner, installer and the other region's steward, with
unpublished rows, a layer, an analysis and a batch of Okinawa in the database; no body
carries their code, and their own URLs answer 404 (or ask for a login). The region's own
steward and the admin do see them (so the test would notice a missing row).

A first step of issue 11's permission matrix: the GET side, for every URL name the site has.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Job, Region
from field_tests.models import AnalysisKind, FieldTestAnalysis
from ingest.models import ImportBatch
from monitoring.models import GroundSourceSystem, Sensor
from tests.factories import RegionFactory, square
from tests.regions import constant_layer
from wells.models import Borehole, GroundwaterLevel, ThermalResponseTest

SECRET = "SECRETX"  # in every unpublished code, name and file name below
pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets(personas, tmp_path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    okinawa = Region.objects.get(code="okinawa")
    hidden = RegionFactory(
        code="secretx-region",
        name_en=f"{SECRET} region",
        published=False,
        boundary=square(128.3, 26.6, 0.1),
    )
    borehole = Borehole.objects.create(
        region=okinawa,
        code=f"{SECRET}-BH",
        name=f"{SECRET} well",
        location=Point(127.7, 26.2, srid=4326),
        depth_m=40,
        published=False,
    )
    GroundwaterLevel.objects.create(
        region=okinawa,
        borehole=borehole,
        measured_at=datetime(2024, 1, 1, tzinfo=UTC),
        depth_to_water_m=3.0,
        published=False,
        source=f"{SECRET} survey",
    )
    t = np.arange(3600.0, 50 * 3600.0, 600.0)
    fluid = 283.0 + 50 / (4 * math.pi * 2.0) * np.log(t)
    trt = ThermalResponseTest.objects.create(
        region=okinawa,
        borehole=borehole,
        started_at=datetime(2024, 1, 2, tzinfo=UTC),
        active_length_m=100,
        time_s=list(t),
        inlet_temperature_k=list(fluid),
        outlet_temperature_k=list(fluid),
        heating_power_w=[5000.0] * len(t),
        published=False,
    )
    from field_tests import services as field_services

    analysis = field_services.analyse_trt(trt)
    layer = constant_layer(
        okinawa,
        tmp_path / "secret.tif",
        published=False,
        method=f"{SECRET} method",
        job=Job.objects.create(kind="recompute"),
        definition={"note": SECRET},
    )
    batch = ImportBatch.objects.create(
        region=okinawa,
        kind="boreholes",
        file_name=f"{SECRET}.csv",
        sha256="0" * 64,
        size_bytes=10,
        state=ImportBatch.State.IMPORTED,
    )
    system = GroundSourceSystem.objects.create(
        region=okinawa,
        code=f"{SECRET}-sys",
        name=f"{SECRET} system",
        loop="closed",
        location=Point(127.7, 26.2, srid=4326),
        published=False,
    )
    Sensor.objects.create(system=system, code=f"{SECRET}-t", measures="fluid_temperature")
    return {
        "hidden": hidden,
        "system": system,
        "borehole": borehole,
        "analysis": analysis,
        "layer": layer,
        "batch": batch,
        "trt": trt,
    }


def _url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str = "") -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return {n for n in names if not n.startswith("admin:")}


def _gets(s: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    """Every GET the site answers, by URL name (POST-only and write URLs: None)."""
    bh, layer, batch, analysis = s["borehole"], s["layer"], s["batch"], s["analysis"]
    system = s["system"]
    x, y = 127.7, 26.2
    return {
        "health": [reverse("health")],
        "tile": [reverse("tile", args=[layer.pk, 8, 218, 110])],
        "set_language": None,  # POST
        "api:point": [reverse("api:point") + f"?lat={y}&lon={x}"],
        "api:parcel": None,  # POST: same reads as the point query
        "api:field-test-sites": [reverse("api:field-test-sites")],
        "api:estimate-create": None,  # POST
        "api:estimate-detail": None,  # by an unguessable token (tests/estimates/test_views)
        "api:region-list": [reverse("api:region-list")],
        "api:region-detail": [reverse("api:region-detail", args=[s["hidden"].code])],
        "api:job-list": [reverse("api:job-list")],
        "api:job-detail": [reverse("api:job-detail", args=[layer.job_id])],
        "api:district-list": [reverse("api:district-list")],
        "api:district-detail": None,  # districts carry no unpublished rows of their own
        "api:borehole-list": [reverse("api:borehole-list")],
        "api:borehole-clusters": [reverse("api:borehole-clusters") + "?zoom=18"],
        "api:borehole-detail": [reverse("api:borehole-detail", args=[bh.pk])],
        "api:borehole-record": [reverse("api:borehole-record", args=[bh.pk])],
        "api:importbatch-list": [reverse("api:importbatch-list")],
        "api:importbatch-detail": [reverse("api:importbatch-detail", args=[batch.pk])],
        "api:maplayer-list": [reverse("api:maplayer-list")],
        "api:maplayer-detail": [reverse("api:maplayer-detail", args=[layer.pk])],
        "api:maplayer-cog": [reverse("api:maplayer-cog", args=[layer.pk])],
        "api:maplayer-legend": [reverse("api:maplayer-legend", args=[layer.pk])],
        "api:api-root": [reverse("api:api-root")],
        "schema": [reverse("schema")],
        "swagger-ui": [reverse("swagger-ui")],
        "redoc": [reverse("redoc")],
        "home": [reverse("home")],
        "about": [reverse("about")],
        "javascript-catalog": [reverse("javascript-catalog")],
        "ingest:imports": [reverse("ingest:imports")],
        "ingest:upload": [reverse("ingest:upload", args=["okinawa"])],
        "potential_map:recompute": None,  # POST
        "ingest:batch": [reverse("ingest:batch", args=[batch.pk])],
        "ingest:batch-status": [reverse("ingest:batch-status", args=[batch.pk])],
        "ingest:batch-errors": [reverse("ingest:batch-errors", args=[batch.pk])],
        "ingest:batch-rollback": None,  # POST
        "ingest:batch-publish": None,  # POST
        "ingest:template": [reverse("ingest:template", args=["boreholes", "csv"])],
        "wells:borehole": [reverse("wells:borehole", args=["okinawa", bh.code])],
        "field_tests:refit": None,  # POST
        "estimates:design": [reverse("estimates:design") + f"?lat={y}&lon={x}"],
        "estimates:result": None,  # by token
        "estimates:status": None,  # by token
        "estimates:report": None,  # by token
        "planning:compare": [reverse("planning:compare", args=["okinawa"])],
        "planning:data": [reverse("planning:data", args=["okinawa", "json"])],
        "planning:upload": [reverse("planning:upload", args=["okinawa"])],
        "monitoring:systems": [reverse("monitoring:systems", args=["okinawa"])],
        "monitoring:system": [reverse("monitoring:system", args=["okinawa", system.code])],
        "monitoring:upload": None,  # POST
        "monitoring:token": None,  # POST
        "api:monitoring-systems": [reverse("api:monitoring-systems")],
        "api:monitoring-series": [
            reverse("api:monitoring-series", args=[system.pk]) + f"?sensor={SECRET}-t"
        ],
        "api:monitoring-performance": [reverse("api:monitoring-performance", args=[system.pk])],
        "api:monitoring-readings": None,  # POST with the system's token
    } | {"_analysis": [f"/api/field-test-sites?analysis={analysis.pk}"]}


def test_every_url_name_has_a_row(secrets) -> None:
    known = set(_gets(secrets)) - {"_analysis"}
    missing = _url_names() - known
    assert not missing, f"add these URL names to the leak test: {sorted(missing)}"


@pytest.mark.parametrize("role", ["anonymous", "planner", "installer", "gunma_steward"])
def test_no_body_carries_an_unpublished_code(client, personas, secrets, role) -> None:
    if personas[role] is not None:
        client.force_login(personas[role])
    for name, urls in _gets(secrets).items():
        for url in urls or []:
            response = client.get(url)
            assert response.status_code != 500, (name, url)  # 503: health without a worker
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert SECRET.encode() not in body, (role, name, url)
    # the unpublished objects' own URLs are not found, or ask for a login
    for name in (
        "tile",
        "api:borehole-detail",
        "api:borehole-record",
        "api:maplayer-detail",
        "api:maplayer-cog",
        "api:maplayer-legend",
        "api:importbatch-detail",
        "api:region-detail",
        "wells:borehole",
        "ingest:batch",
        "monitoring:system",
        "api:monitoring-series",
        "api:monitoring-performance",
    ):
        status = client.get(_gets(secrets)[name][0]).status_code
        assert status in (302, 401, 403, 404), (role, name, status)


@pytest.mark.parametrize("role", ["okinawa_steward", "admin"])
def test_the_regions_steward_and_the_admin_see_them(client, personas, secrets, role) -> None:
    client.force_login(personas[role])
    gets = _gets(secrets)
    for name in (
        "api:borehole-detail",
        "api:borehole-record",
        "api:maplayer-detail",
        "wells:borehole",
        "api:importbatch-detail",
        "monitoring:system",
        "api:monitoring-performance",
        "api:monitoring-systems",
    ):
        response = client.get(gets[name][0])
        assert response.status_code == 200, (role, name)
        assert SECRET.encode() in response.content, (role, name)
    assert (
        FieldTestAnalysis.objects.filter(kind=AnalysisKind.TRT).visible_to(personas[role]).exists()
    )
