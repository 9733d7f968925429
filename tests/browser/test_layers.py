"""A planner picks a layer, sees its tiles and legend, and reads the values under a click."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from core.models import Job, Region
from potential_map import tasks
from region_fixtures.services import load_region_fixture
from tests.conftest import ARTIFACTS


@pytest.fixture
def gunma_with_maps(transactional_db: None) -> Region:
    import importlib

    from django.apps import apps

    # Earlier transactional tests flush the seeded lithology table: seed it as the migration does.
    importlib.import_module("geology.migrations.0003_seed_lithology_thermal_properties").seed(
        apps, None
    )
    load_region_fixture("gunma")
    Region.objects.filter(code="gunma").update(raster_resolution_m=1000.0)
    job = Job.objects.create(kind="recompute", region=Region.objects.get(code="gunma"))
    with override_settings(RECOMPUTE_WINDOW_CELLS=10**9):  # one task, in this process
        tasks.recompute(job)  # the page is under test here, not the worker
    return Region.objects.get(code="gunma")


@pytest.mark.browser
def test_a_layer_shows_tiles_legend_and_point_values(
    page: Page, live_server, gunma_with_maps
) -> None:
    tiles: list[int] = []
    page.on("response", lambda r: tiles.append(r.status) if "/tiles/" in r.url else None)
    page.goto(f"{live_server.url}/en/")
    expect(page.locator("#main-map.leaflet-container")).to_be_visible()
    option = page.locator("#layer-select option[data-kind=closed_loop_heating]")
    expect(option).to_have_count(1)
    page.select_option("#layer-select", option.get_attribute("value"))
    # Round, distinct values in W/m (#22: no longer five evenly spaced raw numbers).
    expect(page.locator("#legend li").first).to_be_visible()
    entries = page.locator("#legend li").all_inner_texts()
    assert 3 <= len(entries) <= 8
    assert len(set(entries)) == len(entries)
    assert all(entry.endswith("W/m") for entry in entries), entries
    expect(page.locator("#legend")).to_contain_text("W/m")
    # Each swatch has its colour under the site's CSP (style-src 'self': no style attributes).
    colours = page.locator("#legend .swatch").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    assert "rgba(0, 0, 0, 0)" not in colours
    page.wait_for_function("() => document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    assert 200 in tiles
    # The layer sits in its group; its definition is one click away.
    expect(
        page.locator("optgroup[data-group=closed_loop] option[data-kind=closed_loop_heating]")
    ).to_have_count(1)
    expect(page.locator("#legend .legend-title")).to_contain_text("W/m")
    page.locator("#layer-definition summary").click()
    expect(page.locator("#layer-definition dl")).to_contain_text("annual_mean")
    # P90 draws the P90 band's tiles; opacity changes the drawn layer.
    with page.expect_response(lambda r: "/tiles/" in r.url and "band=p90" in r.url) as p90:
        page.locator("#band-choice input[value=p90]").check()
    assert p90.value.status in (200, 204)
    page.locator("#layer-opacity").fill("30")
    expect(page.locator(".leaflet-tile-pane .leaflet-layer").last).to_have_css("opacity", "0.3")
    # District outlines and borehole clusters are overlays with their own data.
    page.locator("#show-districts").check()
    page.wait_for_function(
        "() => window.ghaDistricts && window.ghaDistricts.getLayers().length > 30"
    )
    page.locator("#show-boreholes").check()
    page.wait_for_function("() => window.ghaBoreholes.getLayers().length > 0")
    page.locator("#show-boreholes").uncheck()  # a marker click opens its popup, not the panel
    # Click on Yoshioka's town office: the panel lists every layer's value there.
    page.evaluate("() => window.ghaMap.setView([36.4475, 139.01028], 11, {animate: false})")
    page.locator("#main-map").click(position={"x": 300, "y": 300})
    expect(page.locator("#point-values")).to_contain_text("W/m")
    expect(page.locator("#point-values")).to_contain_text("thermal conductivity")
    expect(page.locator("#point-values th[data-kind=conductivity]")).to_have_count(1)
    # P50 with its unit, and the P10–P90 range beside it (#22: one row per layer, grouped)
    p50 = page.locator("#point-values th[data-kind=conductivity] ~ td[data-band=p50]")
    expect(p50).to_contain_text("W/(m·K)")
    p10 = page.locator("#point-values th[data-kind=conductivity] ~ td.range [data-band=p10]")
    expect(p10).to_have_text(re.compile(r"^\d+(\.\d+)?$"))
    expect(p10.locator("xpath=..")).to_contain_text("W/(m·K)")
    # Street zoom on the Yoshioka well: a single borehole's popup links to its page.
    page.evaluate("() => window.ghaMap.setView([36.4475, 139.01028], 16, {animate: false})")
    page.locator("#show-boreholes").check()
    # wait for this view's clusters: the single YOS-T1 marker, not the previous zoom's
    page.wait_for_function(
        "() => window.ghaBoreholes.getLayers().some(m => m.getTooltip() && "
        "m.getTooltip().getContent() === 'YOS-T1')"
    )
    box = page.locator("#main-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text("YOS-T1")
    expect(link).to_have_attribute("href", "/en/boreholes/gunma/YOS-T1/")
    # The field-test sites: the Yoshioka step test, its popup with the rate it allows.
    page.locator("#show-boreholes").uncheck()
    page.locator("#show-field-tests").check()
    page.wait_for_function("() => window.ghaFieldTests.getLayers().length === 1")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".site-popup")).to_contain_text("step-drawdown test")
    expect(page.locator(".site-popup")).to_contain_text("L/min")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "layers-gunma.png", full_page=True)
    # Let the last tile requests end before the database is flushed under the live server.
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "group", "title", "p50"),
    [
        ("ja", "クローズドループ", "熱伝導率", "P50（中央値）"),
        ("tg", "Ҳалқаи пӯшида", "гармигузаронӣ", "P50 (миёна)"),
    ],
)
def test_the_switcher_and_legend_speak_the_users_language(
    page: Page, live_server, gunma_with_maps, language, group, title, p50
) -> None:
    page.goto(f"{live_server.url}/{language}/")
    expect(page.locator("#main-map.leaflet-container")).to_be_visible()
    expect(page.locator("#band-choice")).to_contain_text(p50)
    optgroup = page.locator("optgroup[data-group=closed_loop]")
    expect(optgroup).to_have_attribute("label", group)
    option = page.locator("#layer-select option[data-kind=conductivity]")
    page.select_option("#layer-select", option.get_attribute("value"))
    expect(page.locator("#legend .legend-title")).to_contain_text(title)
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
