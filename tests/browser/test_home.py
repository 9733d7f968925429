"""Debian's Chromium opens the home page from a live server and finds the map."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from region_fixtures.services import load_region_fixture
from tests.conftest import ARTIFACTS


@pytest.fixture
def three_regions(transactional_db: None) -> None:
    for code in ("gunma", "okinawa", "tajikistan"):
        load_region_fixture(code)


@pytest.mark.browser
def test_home_page_shows_the_map_with_the_regions(page: Page, live_server, three_regions) -> None:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.goto(f"{live_server.url}/en/")

    expect(page.locator("#main-map.leaflet-container")).to_be_visible()
    # Three outlines drawn as SVG paths by Leaflet, one per region.
    expect(page.locator("#main-map path.leaflet-interactive")).to_have_count(3)
    expect(page.locator(".region-list li")).to_have_count(3)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home-en.png", full_page=True)
    assert hosts == {urlparse(live_server.url).netloc}, "the page asked another server"


@pytest.mark.browser
def test_the_language_switcher_turns_the_page_japanese(
    page: Page, live_server, three_regions
) -> None:
    page.goto(f"{live_server.url}/en/")
    page.select_option("#language-select", "ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("#regions-title")).to_have_text("地域")
    expect(page.locator(".region-list")).to_contain_text("沖縄県")
    assert urlparse(page.url).path == "/ja/"
    page.screenshot(path=ARTIFACTS / "home-ja.png", full_page=True)


@pytest.mark.browser
def test_a_region_name_zooms_the_map_to_it(page: Page, live_server, three_regions) -> None:
    page.goto(f"{live_server.url}/en/")
    expect(page.locator("#main-map.leaflet-container")).to_be_visible()
    page.get_by_role("button", name="Tajikistan").click()
    # Tajikistan spans 67.3–75.2° E; the map's centre must move there.
    page.wait_for_function("() => Math.abs(window.ghaMap.getCenter().lng - 71.25) < 2")
    center = page.evaluate("() => window.ghaMap.getCenter()")
    assert 36.5 < center["lat"] < 41.1
