"""A visitor finds a monitored system on the map, opens it and zooms into its series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from monitoring import services
from monitoring.models import Alert, AlertRule, GroundSourceSystem, Loop, Measures, Sensor
from tests.conftest import ARTIFACTS
from tests.factories import RegionFactory, square

START = dt.datetime(2025, 1, 10, tzinfo=dt.UTC)
MINUTES = 3 * 24 * 60  # three days of 1-minute readings


@pytest.fixture
def monitored(transactional_db: None) -> Iterator[GroundSourceSystem]:
    """A published closed-loop system near Naha with one open warning and a 1-minute sensor."""
    region = RegionFactory(code="okinawa", name_en="Okinawa", boundary=square(127.6, 26.1, 0.2))
    system = GroundSourceSystem.objects.create(
        region=region,
        code="naha-1",
        name="Naha office",
        loop=Loop.CLOSED,
        location=Point(127.7, 26.2, srid=4326),
        published=True,
    )
    sensor = Sensor.objects.create(
        system=system, code="t_out", measures=Measures.FLUID_TEMPERATURE, interval_s=60
    )
    readings = [
        {
            "sensor": "t_out",
            "observed_at": (START + dt.timedelta(minutes=m)).isoformat(),
            "value": 285.0 + 5.0 * ((m % 1440) / 1440),  # a daily sawtooth, K
        }
        for m in range(MINUTES)
    ]
    assert services.append(system, {"readings": readings}) == MINUTES
    rule = AlertRule.objects.create(name="Fluid too cold", kind="freeze", system=system)
    Alert.objects.create(
        system=system,
        rule=rule,
        severity="warning",
        started_at=START + dt.timedelta(days=1),
        message="Fluid too cold",
    )
    yield system
    # The readings table is not Django's (partitioned, unmanaged): the flush leaves it alone.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_reading WHERE sensor_id = %s", [sensor.pk])


def _plot_state(page: Page) -> dict[str, str]:
    return page.locator("#plot").evaluate(
        "svg => ({points: svg.dataset.points, source: svg.dataset.source,"
        " bucket: svg.dataset.bucket})"
    )


@pytest.mark.browser
def test_a_system_is_on_the_map_and_its_plot_zooms_to_a_finer_series(
    page: Page, live_server, monitored
) -> None:
    with translation.override("en"):
        system_url = reverse("monitoring:system", args=["okinawa", "naha-1"])
    # The map: the overlay draws the system in its worst open severity, linked to its page.
    page.goto(f"{live_server.url}/en/?region=okinawa")
    expect(page.locator("#main-map.leaflet-container")).to_be_visible()
    page.locator("#show-monitoring").check()
    page.wait_for_function("() => window.ghaMonitoring.getLayers().length === 1")
    marker = page.locator("path.monitored-system.severity-warning")
    expect(marker).to_have_count(1)
    marker.click()
    popup = page.locator(".system-popup")
    expect(popup).to_contain_text("Naha office")
    expect(popup).to_contain_text("closed loop")
    expect(popup).to_contain_text("1 open alert")
    expect(popup.locator("a")).to_have_attribute("href", system_url)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "monitoring-map.png")

    # The system page: a year's span reads the hourly summaries in coarse buckets.
    popup.locator("a").click()
    page.wait_for_url(f"**{system_url}")
    page.wait_for_selector("#plot[data-points]")
    expect(page.locator("#plot polyline")).to_have_count(1)
    first = _plot_state(page)
    assert first["source"] == "hourly"
    assert int(first["points"]) > 10
    assert float(first["bucket"]) > 3600

    # Drag across the middle third: about a day, read raw, in buckets of a minute or so.
    box = page.locator("#plot").bounding_box()
    scale = box["width"] / 900  # the svg's own width; the plot area is x 64..888 of it
    left = box["x"] + (64 + 824 / 3) * scale
    right = box["x"] + (64 + 2 * 824 / 3) * scale
    middle = box["y"] + box["height"] / 2
    page.mouse.move(left, middle)
    page.mouse.down()
    page.mouse.move(right, middle, steps=10)
    page.mouse.up()
    page.wait_for_function(
        "() => document.getElementById('plot').dataset.source === 'raw'"
        " && !document.getElementById('plot-status').textContent.endsWith('…')"
    )
    zoomed = _plot_state(page)
    assert 60.0 <= float(zoomed["bucket"]) < 120.0
    assert int(zoomed["points"]) > 700  # a day or so of minutes, at most 1,500 buckets
    expect(page.locator("#plot polyline")).to_have_count(1)
    expect(page.locator("#plot-status")).to_contain_text("(raw)")
    page.screenshot(path=ARTIFACTS / "monitoring-zoomed.png", full_page=True)
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
