"""The map page as people use it (#22): search flies to a place and pins it; a click pins the
point and its card stays in view on a laptop and a phone; two points side by side; legends
in units people use, written as each language writes them; no sideways scrolling on a phone.
Screenshots of every language at both sizes go to test-results/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from core.models import District
from tests.browser.test_layers import gunma_with_maps  # noqa: F401 - Gunma, districts, maps
from tests.conftest import ARTIFACTS

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
YOSHIOKA = (36.4475, 139.01028)  # the town office (fixtures/README.md)
# Seven or more digits before m²: the "6359689013 m²".
RAW_AREA = re.compile(r"\d[\d,\s]{6,}\s*m²")


def _inside_viewport(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None, selector
    assert box["x"] >= 0, (selector, box)
    assert box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"] + 0.5, (selector, box, size)
    assert box["y"] + box["height"] <= size["height"] + 0.5, (selector, box, size)


def _no_sideways_scrolling(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


def _click_map(page: Page, dx: float = 0, dy: float = 0) -> None:
    """Click the map a third of the way down (above where a phone shows the card)."""
    box = page.locator("#main-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 3 + dy)


def _map_centre_in(page: Page, district: District) -> None:
    west, south, east, north = district.geometry.extent
    page.wait_for_function(
        "([w, s, e, n]) => { const c = window.ghaMap.getCenter();"
        " return c.lng > w && c.lng < e && c.lat > s && c.lat < n; }",
        arg=[west, south, east, north],
        timeout=10_000,
    )


@pytest.mark.browser
def test_search_flies_to_maebashi_by_its_japanese_and_latin_names(
    page: Page,
    live_server,
    gunma_with_maps,  # noqa: F811
) -> None:
    maebashi = District.objects.get(region=gunma_with_maps, code="10201")
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/ja/")
    expect(page.locator("#main-map.leaflet-container")).to_be_visible()
    for query, file_name in (("前橋", "search-maebashi-ja"), ("Maebashi", "search-maebashi-en")):
        page.evaluate("() => window.ghaMap.setView([36.0, 138.0], 8, {animate: false})")
        page.fill("#search-input", query)
        first = page.locator("#search-results li").first
        expect(first).to_contain_text("前橋市")  # named in the page's language
        page.keyboard.press("Enter")
        _map_centre_in(page, maebashi)
        # pinned, and the card names the place
        page.wait_for_function("() => window.ghaPins.getLayers().length === 1")
        expect(page.locator(".map-pin")).to_have_count(1)
        expect(page.locator("#point-title")).to_contain_text("前橋市")
        expect(page.locator("#point-values")).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{file_name}.png")
    # a Russian spelling and coordinates find the same place
    page.fill("#search-input", "Маебаси")
    expect(page.locator("#search-results li").first).to_contain_text("前橋市")
    page.fill("#search-input", "36.4475, 139.01028")
    expect(page.locator("#search-results li[data-kind=coordinates]")).to_have_count(1)
    page.fill("#search-input", "95N 10E")
    expect(page.locator("#search-status")).to_contain_text("±90°")
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


@pytest.mark.browser
@pytest.mark.parametrize(("size", "name"), [(LAPTOP, "1366x768"), (PHONE, "390x844")])
def test_a_click_pins_the_point_and_its_card_is_in_view(
    page: Page,
    live_server,
    gunma_with_maps,  # noqa: F811
    size,
    name,
) -> None:
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/en/?region=gunma")
    expect(page.locator("#main-map.leaflet-container")).to_be_visible()
    page.evaluate(
        "([lat, lon]) => window.ghaMap.setView([lat, lon], 11, {animate: false})", list(YOSHIOKA)
    )
    _click_map(page)
    expect(page.locator("#point-values")).to_be_visible()
    page.wait_for_function("() => window.ghaPins.getLayers().length === 1")
    expect(page.locator(".map-pin")).to_be_visible()
    # the answer and "Design estimate here" without scrolling, the pin not under the card
    _inside_viewport(page, "#point-card")
    _inside_viewport(page, "#design-here")
    _inside_viewport(page, ".map-pin")
    pin = page.locator(".map-pin").bounding_box()
    card = page.locator("#point-card").bounding_box()
    overlaps = (
        pin["x"] < card["x"] + card["width"]
        and pin["x"] + pin["width"] > card["x"]
        and pin["y"] < card["y"] + card["height"]
        and pin["y"] + pin["height"] > card["y"]
    )
    assert not overlaps, (pin, card)
    temperature = "#point-values th[data-kind=ground_temperature] ~ td[data-band=p50]"
    expect(page.locator(temperature)).to_contain_text("°C")
    _no_sideways_scrolling(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"map-click-{name}.png")
    # Two points side by side: A stays pinned, B is the next click.
    page.locator("#compare-start").click()
    expect(page.locator("#compare-hint")).to_be_visible()
    _click_map(page, dx=-40, dy=-60)
    expect(page.locator("#point-values.compare")).to_be_visible()
    expect(page.locator(".map-pin")).to_have_count(2)
    expect(page.locator("#point-values thead th")).to_have_text(["Layer", "A", "B"])
    row = page.locator("#point-values th[data-kind=closed_loop_heating]").locator("xpath=..")
    expect(row.locator("td[data-point=a]")).to_contain_text("W/m")
    expect(row.locator("td[data-point=b]")).to_contain_text("W/m")
    _inside_viewport(page, "#design-a")
    _inside_viewport(page, "#design-b")
    _no_sideways_scrolling(page)
    page.screenshot(path=ARTIFACTS / f"map-compare-{name}.png")
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


@pytest.mark.browser
def test_the_map_reads_in_each_language_on_a_laptop_and_a_phone(
    browser: Browser,
    live_server,
    gunma_with_maps,  # noqa: F811
) -> None:
    expected_units = {"en": "W/m", "ja": "W/m", "ru": "Вт/м", "tg": "Вт/м"}
    ARTIFACTS.mkdir(exist_ok=True)
    for language, units in expected_units.items():
        for size, name in ((LAPTOP, "1366x768"), (PHONE, "390x844")):
            context = browser.new_context(viewport=size)
            page = context.new_page()
            page.goto(f"{live_server.url}/{language}/?region=gunma")
            expect(page.locator("#main-map.leaflet-container")).to_be_visible()
            # only the open region's layers, named without region codes
            options = page.locator("#layer-select option[data-kind]")
            expect(options.first).to_be_attached()
            assert all(not text.startswith("gunma") for text in options.all_inner_texts()), (
                options.all_inner_texts()
            )
            heating = page.locator("#layer-select option[data-kind=closed_loop_heating]")
            page.select_option("#layer-select", heating.get_attribute("value"))
            expect(page.locator("#legend .legend-title")).to_contain_text(units)
            entries = page.locator("#legend li")
            expect(entries.first).to_contain_text(units)
            # ground temperature in °C with distinct values
            ground = page.locator("#layer-select option[data-kind=ground_temperature]")
            page.select_option("#layer-select", ground.get_attribute("value"))
            expect(page.locator("#legend .legend-title")).to_contain_text("°C")
            expect(entries.first).to_contain_text("°C")
            texts = entries.all_inner_texts()
            assert all(t.endswith("°C") for t in texts), texts
            assert len(set(texts)) == len(texts), texts
            # the clicked point, in this language's numbers and units
            page.evaluate(
                "([lat, lon]) => window.ghaMap.setView([lat, lon], 11, {animate: false})",
                list(YOSHIOKA),
            )
            _click_map(page)
            expect(page.locator("#point-values")).to_be_visible()
            expect(page.locator("#point-values")).to_contain_text(units)
            body = page.locator("body").inner_text()
            assert not RAW_AREA.search(body), RAW_AREA.search(body).group(0)
            _no_sideways_scrolling(page)
            _inside_viewport(page, "#point-card")
            page.screenshot(path=ARTIFACTS / f"map-{language}-{name}.png")
            page.wait_for_load_state("networkidle")
            context.close()
