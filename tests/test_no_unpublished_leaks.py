"""Nothing unpublished reaches a role that may not see it: every readable URL of the site and
the API is fetched by anonymous, planner, installer and the other region's steward, with
unpublished rows, a layer, an analysis and a batch of Okinawa in the database; no body
carries their code, and their own URLs answer 404 (or ask for a login). The region's own
steward and the admin do see them (so the test would notice a missing row).

A first step of issue 11's permission matrix: the GET side, for every URL name the site has.
"""

from __future__ import annotations

import io
import json
import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import District, Job, Region
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
        "tile": [reverse("tile", args=[layer.pk, layer.version, 8, 218, 110])],
        "set_language": None,  # POST
        "api:point": [reverse("api:point") + f"?lat={y}&lon={x}"],
        "api:parcel": None,  # POST: same reads as the point query
        "api:field-test-sites": [reverse("api:field-test-sites")],
        "api:estimate-create": None,  # POST
        "api:estimate-detail": None,  # by an unguessable token (tests/estimates/test_views)
        "api:region-list": [reverse("api:region-list")],
        "api:region-detail": [reverse("api:region-detail", args=[s["hidden"].code])],
        "api:region-basemap": [
            reverse("api:region-basemap", args=[s["hidden"].code]),
            reverse("api:region-basemap", args=["okinawa"]),
        ],
        "api:search": [
            reverse("api:search") + f"?q={SECRET}",
            reverse("api:search") + f"?q={SECRET}-BH",
            reverse("api:search") + f"?q={SECRET}%20system",
            reverse("api:search") + f"?q={SECRET}%20region",
        ],
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
        "api:importbatch-errors": [reverse("api:importbatch-errors", args=[batch.pk])],
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
        "help": [reverse("help")],
        "javascript-catalog": [reverse("javascript-catalog")],
        "ingest:imports": [reverse("ingest:imports")],
        "ingest:upload": [reverse("ingest:upload", args=["okinawa"])],
        "ingest:dashboard": [reverse("ingest:dashboard", args=["okinawa"])],
        "ingest:dashboard-status": [reverse("ingest:dashboard-status", args=["okinawa"])],
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
        # accounts: forms and pages of the signed-in person; the people page names no region
        # data to anyone but admins (a steward sees their own regions' stewards)
        **_account_reads(User.objects.get(username="bob").pk),
    } | {"_analysis": [f"/api/field-test-sites?analysis={analysis.pk}"]}


def _account_reads(person_pk: int) -> dict[str, list[str] | None]:
    """The account pages by URL name (None: a POST), the people page aimed at `person_pk`."""
    return {
        "accounts:login": [reverse("accounts:login")],
        "accounts:logout": None,  # POST
        "accounts:password_change": [reverse("accounts:password_change")],
        "accounts:password_change_done": [reverse("accounts:password_change_done")],
        "accounts:password_reset": [reverse("accounts:password_reset")],
        "accounts:password_reset_done": [reverse("accounts:password_reset_done")],
        "accounts:password_reset_confirm": [
            reverse("accounts:password_reset_confirm", args=["MQ", "no-token"])
        ],
        "accounts:password_reset_complete": [reverse("accounts:password_reset_complete")],
        "accounts:invitation": [reverse("accounts:invitation", args=["MQ", "no-token"])],
        "accounts:sign_up": [reverse("accounts:sign_up")],
        "accounts:people": [reverse("accounts:people")],
        "accounts:invite": [reverse("accounts:invite")],
        "accounts:person": [reverse("accounts:person", args=[person_pk])],
        "accounts:person-active": None,  # POST
        "accounts:person-resend": None,  # POST
    }


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
        "api:region-basemap",
        "wells:borehole",
        "ingest:batch",
        "ingest:dashboard",
        "ingest:dashboard-status",
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


# --- a region that is not published (issue 18 item 3) ---------------------------------------
#
# Every row below is published itself, from a published batch: only the region's own flag
# hides them. Anonymous users, planners, installers and another region's steward must get
# nothing of it from any read URL; its own steward sees it (so the rows are really there).

HIDDEN = "HIDDENX"  # in every code, name, file name and note of the hidden region
HIDDEN_AT = (128.0, 26.6)  # lon, lat inside it


@pytest.fixture
def hidden(personas, tmp_path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from estimates.models import Estimate
    from field_tests import services as field_services
    from geology.models import GeologicalUnit
    from monitoring.models import Alert, AlertRule
    from planning.models import BuildingStock
    from wells.models import (
        GeologicalLayer,
        GroundwaterFlowReading,
        PumpingTest,
        TemperatureLog,
        WaterChemistrySample,
        WellInterval,
    )

    region = RegionFactory(
        code="hiddenx",
        name_en=f"{HIDDEN} region",
        published=False,
        boundary=square(127.9, 26.5, 0.2),
    )
    personas["okinawa_steward"].groups.add(region.steward_group)
    batch = ImportBatch.objects.create(
        region=region,
        kind="boreholes",
        file_name=f"{HIDDEN}.csv",
        sha256="1" * 64,
        size_bytes=10,
        state=ImportBatch.State.IMPORTED,
        published_at=timezone.now(),
    )
    here = Point(*HIDDEN_AT, srid=4326)
    common = {"region": region, "batch": batch, "published": True, "source": f"{HIDDEN} survey"}
    borehole = Borehole.objects.create(
        code=f"{HIDDEN}-BH", name=f"{HIDDEN} well", location=here, depth_m=60, **common
    )
    child = {**common, "borehole": borehole}
    day = datetime(2024, 1, 1, tzinfo=UTC)
    GeologicalLayer.objects.create(top_m=0, bottom_m=60, lithology="sand", **child)
    WellInterval.objects.create(kind="screen", top_m=10, bottom_m=20, **child)
    GroundwaterLevel.objects.create(measured_at=day, depth_to_water_m=3.0, **child)
    TemperatureLog.objects.create(
        measured_at=day, depths_m=[10.0, 20.0], temperatures_k=[290.0, 291.0], **child
    )
    sample = WaterChemistrySample.objects.create(sampled_at=day, ph=7.0, **child)
    GroundwaterFlowReading.objects.create(
        measured_at=day, depth_m=10, reading=1, direction_deg=90, velocity_m_per_s=1e-5, **child
    )
    t = np.arange(3600.0, 50 * 3600.0, 600.0)
    fluid = 283.0 + 50 / (4 * math.pi * 2.0) * np.log(t)
    trt = ThermalResponseTest.objects.create(
        started_at=day,
        active_length_m=100,
        time_s=list(t),
        inlet_temperature_k=list(fluid),
        outlet_temperature_k=list(fluid),
        heating_power_w=[5000.0] * len(t),
        **child,
    )
    PumpingTest.objects.create(
        kind="step",
        started_at=day,
        static_level_m=5.0,
        time_s=[3600.0, 7200.0],
        rate_m3_per_s=[1e-3, 2e-3],
        level_m=[6.0, 7.5],
        **child,
    )
    field_services.analyse_trt(trt)
    field_services.analyse_chemistry(sample)
    GeologicalUnit.objects.create(
        code=f"{HIDDEN}-U", name_en=f"{HIDDEN} unit", dominant_lithology="sand",
        geometry=region.boundary, **common,
    )  # fmt: skip
    district = District.objects.create(
        region=region, code=f"{HIDDEN}-D", name_en=f"{HIDDEN} town", geometry=region.boundary
    )
    BuildingStock.objects.create(
        district=district, use="office", floor_area_m2=100.0, source=f"{HIDDEN} census"
    )
    layer = constant_layer(
        region,
        tmp_path / "hidden.tif",
        method=f"{HIDDEN} method",
        definition={"note": HIDDEN},
        job=Job.objects.create(kind="recompute", region=region),
    )
    layer.input_batches.set([batch])
    system = GroundSourceSystem.objects.create(
        region=region,
        code=f"{HIDDEN.lower()}-sys",
        name=f"{HIDDEN} system",
        loop="closed",
        location=here,
        published=True,
    )
    Sensor.objects.create(system=system, code=f"{HIDDEN}-t", measures="fluid_temperature")
    rule = AlertRule.objects.create(name=f"{HIDDEN} rule", kind="freeze", region=region)
    Alert.objects.create(
        system=system, rule=rule, severity="warning", started_at=day, message=f"{HIDDEN} alert"
    )
    estimate = Estimate.objects.create(
        region=region,
        location=here,
        inputs={"note": HIDDEN},
        inputs_hash="h" * 64,
        state=Estimate.State.REFUSED,  # its page shows the message (a result needs a sizing)
        message=f"{HIDDEN}: no open loop here",
        uses_unpublished=False,  # made of the region's published rows: the region hides it
    )
    return {
        "region": region,
        "batch": batch,
        "borehole": borehole,
        "district": district,
        "layer": layer,
        "system": system,
        "estimate": estimate,
    }


def _hidden_reads(h: dict) -> dict[str, list[object] | None]:  # type: ignore[type-arg]
    """Every read the site answers, aimed at the hidden region, by URL name: a GET URL, or
    ("json", url, body) for a read by POST; None for a write (the write matrix has those)."""
    code, bh, layer, system = h["region"].code, h["borehole"], h["layer"], h["system"]
    token, lon, lat = h["estimate"].token, *HIDDEN_AT
    bbox = f"in_bbox={lon - 0.1},{lat - 0.1},{lon + 0.1},{lat + 0.1}"
    parcel = {"type": "Polygon", "coordinates": [
        [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat]]
    ]}  # fmt: skip
    tile = reverse("tile", args=[layer.pk, layer.version, 9, 438, 216])
    return {
        "health": [reverse("health")],
        "tile": [tile, tile + "?band=p50"],
        "set_language": None,
        "api:point": [reverse("api:point") + f"?lat={lat}&lon={lon}"],
        "api:parcel": [("json", reverse("api:parcel"), parcel)],
        "api:field-test-sites": [
            reverse("api:field-test-sites"),
            reverse("api:field-test-sites") + f"?region={code}",
        ],
        "api:estimate-create": None,
        "api:estimate-detail": [reverse("api:estimate-detail", args=[token])],
        "api:region-list": [reverse("api:region-list")],
        "api:region-detail": [reverse("api:region-detail", args=[code])],
        "api:job-list": [reverse("api:job-list")],
        "api:job-detail": [reverse("api:job-detail", args=[layer.job_id])],
        "api:district-list": [
            reverse("api:district-list"),
            reverse("api:district-list") + f"?region__code={code}",
        ],
        "api:district-detail": [reverse("api:district-detail", args=[h["district"].pk])],
        "api:borehole-list": [
            reverse("api:borehole-list"),
            reverse("api:borehole-list") + f"?{bbox}",
            reverse("api:borehole-list") + f"?region__code={code}",
        ],
        "api:borehole-clusters": [reverse("api:borehole-clusters") + f"?zoom=10&{bbox}"],
        "api:borehole-detail": [reverse("api:borehole-detail", args=[bh.pk])],
        "api:borehole-record": [reverse("api:borehole-record", args=[bh.pk])],
        "api:importbatch-list": [reverse("api:importbatch-list")],
        "api:importbatch-detail": [reverse("api:importbatch-detail", args=[h["batch"].pk])],
        "api:importbatch-errors": [reverse("api:importbatch-errors", args=[h["batch"].pk])],
        "api:region-basemap": [reverse("api:region-basemap", args=[code])],
        "api:search": [
            reverse("api:search") + f"?q={HIDDEN}",
            reverse("api:search") + f"?q={HIDDEN}-BH",
            reverse("api:search") + f"?q={HIDDEN}%20town",
            reverse("api:search") + f"?q={lat},{lon}",
        ],
        "api:maplayer-list": [
            reverse("api:maplayer-list"),
            reverse("api:maplayer-list") + f"?region__code={code}",
        ],
        "api:maplayer-detail": [reverse("api:maplayer-detail", args=[layer.pk])],
        "api:maplayer-cog": [reverse("api:maplayer-cog", args=[layer.pk])],
        "api:maplayer-legend": [reverse("api:maplayer-legend", args=[layer.pk])],
        "api:api-root": [reverse("api:api-root")],
        "schema": [reverse("schema")],
        "swagger-ui": [reverse("swagger-ui")],
        "redoc": [reverse("redoc")],
        "home": [reverse("home")],
        "about": [reverse("about")],
        "help": [reverse("help")],
        "javascript-catalog": [reverse("javascript-catalog")],
        "ingest:imports": [reverse("ingest:imports")],
        "ingest:upload": [reverse("ingest:upload", args=[code])],
        "ingest:dashboard": [reverse("ingest:dashboard", args=[code])],
        "ingest:dashboard-status": [reverse("ingest:dashboard-status", args=[code])],
        "potential_map:recompute": None,
        "ingest:batch": [reverse("ingest:batch", args=[h["batch"].pk])],
        "ingest:batch-status": [reverse("ingest:batch-status", args=[h["batch"].pk])],
        "ingest:batch-errors": [reverse("ingest:batch-errors", args=[h["batch"].pk])],
        "ingest:batch-rollback": None,
        "ingest:batch-publish": None,
        "ingest:template": [reverse("ingest:template", args=["boreholes", "csv"])],
        "wells:borehole": [reverse("wells:borehole", args=[code, bh.code])],
        "field_tests:refit": None,
        "estimates:design": [reverse("estimates:design") + f"?lat={lat}&lon={lon}"],
        "estimates:result": [reverse("estimates:result", args=[token])],
        "estimates:status": [reverse("estimates:status", args=[token])],
        "estimates:report": [reverse("estimates:report", args=[token])],
        "planning:compare": [reverse("planning:compare", args=[code])],
        "planning:data": [
            reverse("planning:data", args=[code, extension])
            for extension in ("json", "csv", "xlsx", "geojson")
        ],
        "planning:upload": [reverse("planning:upload", args=[code])],
        "monitoring:systems": [reverse("monitoring:systems", args=[code])],
        "monitoring:system": [reverse("monitoring:system", args=[code, system.code])],
        "monitoring:upload": None,
        "monitoring:token": None,
        "api:monitoring-systems": [
            reverse("api:monitoring-systems"),
            reverse("api:monitoring-systems") + f"?region={code}",
        ],
        "api:monitoring-series": [
            reverse("api:monitoring-series", args=[system.pk]) + f"?sensor={HIDDEN}-t"
        ],
        "api:monitoring-performance": [reverse("api:monitoring-performance", args=[system.pk])],
        "api:monitoring-readings": None,  # POST with the system's token, not a read
        # accounts: the signed-in person's own forms; the people page shows a steward only
        # their own regions' stewards, and no region's data to anyone
        **_account_reads(1),
    }


# The reads that name one object of the hidden region: not found (or a login asked for).
HIDDEN_OBJECTS = (
    "tile", "api:point", "api:parcel", "api:estimate-detail", "api:region-detail",
    "api:district-detail", "api:borehole-detail", "api:borehole-record",
    "api:importbatch-detail", "api:importbatch-errors", "api:region-basemap", "api:maplayer-detail",
    "api:maplayer-cog", "api:maplayer-legend",
    "ingest:upload", "ingest:batch", "ingest:batch-status", "ingest:batch-errors",
    "ingest:dashboard", "ingest:dashboard-status",
    "wells:borehole", "estimates:result", "estimates:status", "estimates:report",
    "planning:compare", "planning:data", "planning:upload", "monitoring:systems",
    "monitoring:system", "api:monitoring-series", "api:monitoring-performance",
)  # fmt: skip


def test_every_url_name_has_a_row_for_the_hidden_region(hidden) -> None:
    missing = _url_names() - set(_hidden_reads(hidden))
    assert not missing, f"add these URL names to the hidden-region reads: {sorted(missing)}"


def _fetch(client, request):  # type: ignore[no-untyped-def]
    if isinstance(request, tuple):
        _method, url, body = request
        return client.post(url, body, content_type="application/json")
    return client.get(request)


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("role", ["anonymous", "planner", "installer", "gunma_steward"])
def test_nothing_of_an_unpublished_region_reaches_anyone_but_its_stewards(
    client, personas, hidden, role
) -> None:
    if personas[role] is not None:
        client.force_login(personas[role])
    for name, requests in _hidden_reads(hidden).items():
        for request in requests or []:
            response = _fetch(client, request)
            assert response.status_code != 500, (name, request)
            body = _body(response)
            assert HIDDEN.encode() not in body, (role, name, request)
            assert HIDDEN.lower().encode() not in body, (role, name, request)
            if name in HIDDEN_OBJECTS:
                assert response.status_code in (302, 401, 403, 404), (role, name, request)
            elif "in_bbox" in str(request) or "=hiddenx" in str(request):
                body = response.json()  # a FeatureCollection, or a page of layers
                assert body.get("features", body.get("results")) == [], (role, name, request)


def test_the_design_form_treats_the_hidden_region_as_outside_every_region(client, hidden) -> None:
    lon, lat = HIDDEN_AT
    response = client.get(reverse("estimates:design") + f"?lat={lat}&lon={lon}")
    assert response.status_code == 400
    assert b"outside every region" in response.content


def test_the_hidden_regions_steward_sees_all_of_it(client, personas, hidden) -> None:
    client.force_login(personas["okinawa_steward"])
    reads = _hidden_reads(hidden)
    for name in (
        "api:region-detail", "api:borehole-detail", "api:borehole-record", "api:district-detail",
        "api:maplayer-detail", "wells:borehole", "monitoring:system", "api:monitoring-systems",
        "estimates:result", "api:field-test-sites", "api:point",
    ):  # fmt: skip
        response = _fetch(client, reads[name][-1])
        assert response.status_code == 200, name
        assert HIDDEN.encode() in _body(response) or name == "api:point", name
    point = _fetch(client, reads["api:point"][0]).json()
    assert point["region"] == "hiddenx"
    assert point["layers"]["conductivity"]["values"]["p50"] == pytest.approx(2.0)


# --- superseded and withdrawn layers (issue 18 items 4 and 5) ---------------------------------


def _tile_url(layer, version: int | None = None) -> str:  # type: ignore[no-untyped-def]
    """The tile over Naha at z12 (in the test layers' 0.2° square)."""
    return reverse(
        "tile", args=[layer.pk, layer.version if version is None else version, 12, 3500, 1738]
    )


def test_a_superseded_layer_id_is_not_found_by_the_public(
    client, personas, okinawa, tmp_path
) -> None:
    old = constant_layer(okinawa, tmp_path / "v1.tif", is_current=False)
    new = constant_layer(okinawa, tmp_path / "v2.tif", version=2)
    assert client.get(_tile_url(new)).status_code == 200
    for url in (
        _tile_url(old),
        reverse("api:maplayer-detail", args=[old.pk]),
        reverse("api:maplayer-legend", args=[old.pk]),
        reverse("api:maplayer-cog", args=[old.pk]),
        _tile_url(new, version=1),  # the current id under another version: not this layer
    ):
        assert client.get(url).status_code == 404, url
    # The region's steward still reads the history, and it is never cached on the way.
    client.force_login(personas["okinawa_steward"])
    seen = client.get(_tile_url(old))
    assert seen.status_code == 200
    assert "no-store" in seen["Cache-Control"]


def test_a_public_tile_is_cached_briefly_and_names_its_version(client, okinawa, tmp_path) -> None:
    from potential_map.tiles import PUBLIC_TILE_MAX_AGE_S

    layer = constant_layer(okinawa, tmp_path / "v1.tif")
    listed = client.get(reverse("api:maplayer-list")).json()["results"][0]
    assert f"/tiles/{layer.pk}/{layer.version}/" in listed["tiles"]
    response = client.get(_tile_url(layer))
    assert "public" in response["Cache-Control"]
    assert f"max-age={PUBLIC_TILE_MAX_AGE_S}" in response["Cache-Control"]
    assert response["X-Accel-Expires"] == str(PUBLIC_TILE_MAX_AGE_S) == "60"
    nginx = (Path(__file__).resolve().parent.parent / "docker" / "nginx.conf").read_text()
    assert "proxy_cache_revalidate on;" in nginx  # nginx asks again with the ETag
    assert 'proxy_cache_key "$scheme$host$request_uri";' in nginx  # the version is in the URI


def _withdrawable_layer(region: Region, path) -> tuple[object, ImportBatch]:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    batch = ImportBatch.objects.create(
        region=region,
        kind="boreholes",
        file_name="b.csv",
        sha256="2" * 64,
        size_bytes=10,
        state=ImportBatch.State.IMPORTED,
        published_at=timezone.now(),
    )
    Borehole.objects.create(
        region=region, batch=batch, code="B-1", location=Point(127.7, 26.2), depth_m=50,
        published=True,
    )  # fmt: skip
    layer = constant_layer(region, path)
    layer.input_batches.set([batch])
    return layer, batch


@pytest.mark.parametrize("how", ["withdrawal", "rollback"])
def test_a_cached_tile_is_not_served_after_its_input_is_withdrawn(
    client, personas, okinawa, tmp_path, django_capture_on_commit_callbacks, how
) -> None:
    from django.core.cache import cache

    from potential_map.tiles import _cache_key

    layer, batch = _withdrawable_layer(okinawa, tmp_path / "w.tif")
    url = _tile_url(layer)
    key = _cache_key(layer, 1, 12, 3500, 1738)
    cache.delete(key)
    first = client.get(url)
    assert first.status_code == 200
    assert cache.get(key) == first.content  # rendered once, kept in Redis
    client.force_login(personas["okinawa_steward"])
    with django_capture_on_commit_callbacks(execute=True):
        if how == "withdrawal":
            post = client.post(reverse("ingest:batch-publish", args=[batch.pk]), {"published": "0"})
        else:
            post = client.post(reverse("ingest:batch-rollback", args=[batch.pk]))
    assert post.status_code == 302
    assert cache.get(key) is None  # purged when the layer stopped being public
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 404
    assert client.get(reverse("api:maplayer-detail", args=[layer.pk])).status_code == 404


def test_the_tiles_of_a_region_leave_the_cache_when_it_is_unpublished(
    client, okinawa, tmp_path
) -> None:
    from django.core.cache import cache

    from potential_map.tiles import _cache_key

    layer = constant_layer(okinawa, tmp_path / "r.tif")
    key = _cache_key(layer, 1, 12, 3500, 1738)
    assert client.get(_tile_url(layer)).status_code == 200
    assert cache.get(key) is not None
    okinawa.published = False
    okinawa.save()
    assert cache.get(key) is None
    assert client.get(_tile_url(layer)).status_code == 404


def test_a_superseded_layers_tiles_leave_the_cache_with_the_recompute(
    client, okinawa, tmp_path, django_capture_on_commit_callbacks
) -> None:
    import importlib

    from django.apps import apps
    from django.core.cache import cache
    from django.test import override_settings

    from potential_map import tasks as map_tasks
    from potential_map.models import MapLayer
    from potential_map.tiles import _cache_key

    importlib.import_module("geology.migrations.0003_seed_lithology_thermal_properties").seed(
        apps, None
    )
    old = constant_layer(okinawa, tmp_path / "old.tif")
    key = _cache_key(old, 1, 12, 3500, 1738)
    assert client.get(_tile_url(old)).status_code == 200
    assert cache.get(key) is not None
    with (
        override_settings(RECOMPUTE_WINDOW_CELLS=10**9),
        django_capture_on_commit_callbacks(execute=True),
    ):
        map_tasks.recompute(Job.objects.create(kind="recompute", region=okinawa))
    new = MapLayer.objects.get(region=okinawa, kind="conductivity", is_current=True)
    assert new.version == 2
    assert cache.get(key) is None
    assert client.get(_tile_url(old)).status_code == 404
    assert client.get(_tile_url(new)).status_code in (200, 204)


# --- a withdrawal followed by a real recompute on the worker (issue 18 item 4) -----------------


def _import(region: Region, name: str, data: bytes) -> ImportBatch:
    """An upload as the worker runs it: announced, so the analyses and the recompute follow."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ingest import service

    batch, _job = service.create_batch(region, "auto", SimpleUploadedFile(name, data), None)
    assert service.run_import(batch).state == "imported", batch.errors
    return batch


def _everything_public_about(region: Region, lon: float, lat: float) -> str:
    """Every current layer's definition and inputs, and the point answer there, as anonymous
    users get them from the API."""
    from django.test import Client

    from potential_map.models import MapLayer

    client = Client()
    layers = client.get(reverse("api:maplayer-list") + f"?region__code={region.code}").json()
    point = client.get(reverse("api:point") + f"?lat={lat}&lon={lon}").json()
    rows = MapLayer.objects.filter(region=region, is_current=True).values("definition", "inputs")
    return json.dumps([layers, point, list(rows)], ensure_ascii=False, default=str)


def _opaque_pixels(response) -> int:  # type: ignore[no-untyped-def]
    if response.status_code == 204:
        return 0
    from PIL import Image

    image = np.array(Image.open(io.BytesIO(response.content)).convert("RGBA"))
    return int((image[..., 3] > 0).sum())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_withdrawn_borehole_feeds_no_layer_after_the_recompute(
    client, celery_worker_process
) -> None:
    """Yoshioka's well with its column, step test, TRT and temperature log, each from its own
    published batch. The steward withdraws the borehole's batch only: its tests stay
    published themselves, yet none of them may feed a public map any more (the bug: the
    open-loop layers kept using the withdrawn YOS-T1 step test)."""
    import importlib

    from django.apps import apps

    from core.models import Job
    from ingest import service
    from potential_map.choices import LayerKind
    from potential_map.models import MapLayer
    from tests.core.test_celery_roundtrip import wait_for
    from tests.factories import UserFactory
    from tests.field_tests.test_service import beier_csv
    from tests.potential_map.test_recompute_follows_batches import settled
    from tests.wells import files

    importlib.import_module("geology.migrations.0003_seed_lithology_thermal_properties").seed(
        apps, None
    )
    region = RegionFactory(
        code="withdrawn",
        boundary=square(139.0, 36.4, 0.1),
        raster_crs_epsg=32654,
        time_zone="Asia/Tokyo",
    )
    lon, lat = files.YOSHIOKA_LON, files.YOSHIOKA_LAT
    boreholes = _import(region, "b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    _import(region, "c.csv", files.table_csv(files.published(files.YOSHIOKA_COLUMN)))
    _import(region, "s.csv", files.table_csv(files.published(files.YOSHIOKA_STEP_TEST)))
    _import(region, "trt.csv", beier_csv())
    log = _import(region, "t.las", files.yoshioka_las())
    service.publish_batch(log)  # a LAS file has no published column
    settled(region)
    borehole = Borehole.objects.get(region=region, code="YOS-1")
    before = {
        layer.kind: layer for layer in MapLayer.objects.filter(region=region, is_current=True)
    }
    assert [
        t["borehole"] for t in before[LayerKind.OPEN_LOOP_FLOW].definition["pumping_tests"]
    ] == ["YOS-1"]
    assert before[LayerKind.CONDUCTIVITY].inputs["boreholes"] == [borehole.pk]
    assert before[LayerKind.CONDUCTIVITY].definition["trt_overrides"][0]["borehole"] == "YOS-1"
    assert before[LayerKind.GROUND_TEMPERATURE].definition["temperature_logs"]
    assert "YOS-1" in _everything_public_about(region, lon, lat)
    # No geological unit: open-loop flow has a value only near the tested well.
    x, y = 3629, 1602  # the z12 tile of Yoshioka (139.01028 E, 36.4475 N)
    flow_before = before[LayerKind.OPEN_LOOP_FLOW]
    old_tile = reverse("tile", args=[flow_before.pk, flow_before.version, 12, x, y])
    assert _opaque_pixels(client.get(old_tile)) > 0

    steward = UserFactory(username="wanda")
    steward.groups.add(region.steward_group)
    client.force_login(steward)
    url = reverse("ingest:batch-publish", args=[boreholes.pk])
    assert client.post(url, {"published": "0"}).status_code == 302
    client.logout()
    # Until the recompute replaces them, the layers made with the borehole are hidden.
    assert client.get(old_tile).status_code == 404
    job = Job.objects.get(kind="recompute", region=region, created_by=steward)
    wait_for(job, timeout_s=180)
    assert job.state == Job.State.SUCCEEDED, job.message
    settled(region)

    after = {layer.kind: layer for layer in MapLayer.objects.filter(region=region, is_current=True)}
    assert all(after[kind].version > before[kind].version for kind in before)
    public = _everything_public_about(region, lon, lat)
    assert "YOS-1" not in public  # no definition, input list or point answer names it
    assert after[LayerKind.CONDUCTIVITY].inputs["boreholes"] == []
    assert after[LayerKind.OPEN_LOOP_FLOW].definition["pumping_tests"] == []
    assert after[LayerKind.CONDUCTIVITY].definition["trt_overrides"] == []
    assert after[LayerKind.GROUND_TEMPERATURE].definition["temperature_logs"] == []
    for layer in after.values():  # nor is any of its batches among a layer's inputs
        assert boreholes.pk not in set(layer.input_batches.values_list("pk", flat=True))
    flow = after[LayerKind.OPEN_LOOP_FLOW]
    new_tile = client.get(reverse("tile", args=[flow.pk, flow.version, 12, x, y]))
    assert new_tile.status_code in (200, 204)
    assert _opaque_pixels(new_tile) == 0  # no flow without the step test
    assert client.get(old_tile).status_code == 404  # and the old version is gone for good
