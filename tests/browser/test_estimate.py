"""An installer clicks the map, asks for a design estimate there, and gets the result page
with its report link, in Japanese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_layers import gunma_with_maps  # noqa: F401 - the computed Gunma maps
from tests.conftest import ARTIFACTS


@pytest.mark.browser
def test_a_design_estimate_from_a_map_click(page: Page, live_server, gunma_with_maps) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/ja/")
    expect(page.locator("#main-map.leaflet-container")).to_be_visible()
    page.evaluate("() => window.ghaMap.setView([36.4475, 139.01028], 13, {animate: false})")
    box = page.locator("#main-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    design = page.locator("#design-here")
    expect(design).to_have_text("ここで設計概算")
    design.click()
    expect(page.locator("#estimate-form")).to_be_visible()
    page.locator("select[name=building_use]").select_option("office")
    page.locator("input[name=floor_area_m2]").fill("800")
    page.locator("input[name=system][value=open_loop]").check()
    page.locator("#estimate-form button[type=submit]").click()
    expect(page.locator("#design-table")).to_contain_text("L/min")
    expect(page.locator("h2").first).to_have_text("オープンループ")
    expect(page.locator("#report-link")).to_have_attribute("href", re.compile(r"/report\.pdf$"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "estimate-gunma-ja.png", full_page=True)
    page.goto("about:blank")
