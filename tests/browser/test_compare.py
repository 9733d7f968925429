"""A planner compares Gunma's districts and moves the adoption share: the table follows
without a page reload."""

from __future__ import annotations

import itertools
import math

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_layers import gunma_with_maps  # noqa: F401 - the computed Gunma maps
from tests.conftest import ARTIFACTS


@pytest.mark.browser
def test_the_adoption_share_moves_the_table(page: Page, live_server, gunma_with_maps) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/en/planning/gunma/")
    expect(page.locator("#districts-table tbody tr")).to_have_count(35)
    page.wait_for_function("() => document.getElementById('compare').dataset.loaded === '1'")
    yoshioka = page.locator("#districts-table tbody tr[data-code='10345'] td").nth(2)
    before = yoshioka.inner_text()
    marker = page.evaluate("() => (window.ghaPageMarker = Math.random())")
    page.locator("input[name=adoption_share]").fill("0.6")
    page.wait_for_function("() => document.getElementById('compare').dataset.loaded === '2'")
    after = yoshioka.inner_text()
    assert after != before
    # 0.6 / 0.2 = 3 × the closed-loop supply (linear in the share), within the rounding shown
    assert float(after.replace(",", "")) == pytest.approx(
        3 * float(before.replace(",", "")), rel=0.01
    )
    assert page.evaluate("() => window.ghaPageMarker") == marker  # no reload
    page.locator("#districts-table th[data-key=name]").click()
    expect(page.locator("#compare-bars rect").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "compare-gunma.png", full_page=True)
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


def _classes(texts: list[str]) -> list[tuple[float, float]]:
    """The legend's classes as (from, to) numbers: "17 % – 18 %" → (17, 18)."""
    assert texts[-1] in ("no data", "データなし")
    pairs = []
    for text in texts[:-1]:
        low, high = (float(t.replace(",", "").replace("%", "").strip()) for t in text.split(" – "))
        pairs.append((low, high))
    return pairs


def _assert_round_classes_around(classes: list[tuple[float, float]], values: list[float]):  # type: ignore[no-untyped-def]
    """Contiguous classes of one round step (1, 2 or 5 × 10^k) from at or below the smallest
    value to above the largest: each district falls in one of them."""
    assert 1 <= len(classes) <= 7, classes
    assert all(a[1] == b[0] for a, b in itertools.pairwise(classes)), classes
    steps = {round(high - low, 9) for low, high in classes}
    assert len(steps) == 1, classes
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(mantissa == pytest.approx(m) for m in (1, 2, 5)), step
    assert classes[0][0] <= min(values) + 1e-9
    assert max(values) < classes[-1][1] + 1e-9


@pytest.mark.browser
def test_the_chart_and_the_legend_follow_the_measure_in_the_pages_language(
    page: Page,
    live_server,
    gunma_with_maps,  # noqa: F811
) -> None:
    """Issue 22 item 9: the bars rank the districts by the chosen measure (not by the table's
    sort) under its name, the choropleth has a legend of round classes over the districts'
    values, and the demand basis is in the page's language."""
    answer = page.request.get(f"{live_server.url}/en/planning/gunma/districts.json").json()
    rows = answer["districts"]
    coverage = [r["heating_coverage_p50"] * 100 for r in rows if r.get("heating_coverage_p50")]
    by_co2 = sorted(
        (r for r in rows if r.get("co2_saved_t_p50") is not None),
        key=lambda r: r["co2_saved_t_p50"],
        reverse=True,
    )
    page.goto(f"{live_server.url}/en/planning/gunma/")
    page.wait_for_function("() => document.getElementById('compare').dataset.loaded === '1'")
    title = page.locator("#compare-bars-title")
    expect(title).to_have_text("Districts ranked by heating coverage (P50)")
    legend = page.locator("#compare-legend li")
    expect(legend.last).to_have_text("no data")
    _assert_round_classes_around(_classes(legend.all_inner_texts()), coverage)
    assert len(legend.all_inner_texts()) >= 3  # 17–21 % in Gunma: more than one colour

    page.select_option("select[name=measure]", "co2_saved_t_p50")
    expect(title).to_have_text("Districts ranked by CO₂ saved (P50, t/yr)")
    codes = page.locator("#compare-bars rect").evaluate_all("rs => rs.map(r => r.dataset.code)")
    assert codes == [r["code"] for r in by_co2[:12]]
    expect(page.locator("#compare-legend .legend-title")).to_have_text("CO₂ saved (P50, t/yr)")
    co2 = [r["co2_saved_t_p50"] for r in by_co2]
    _assert_round_classes_around(_classes(legend.all_inner_texts()), co2)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "compare-gunma-co2.png", full_page=True)

    page.goto(f"{live_server.url}/ja/planning/gunma/")
    page.wait_for_function("() => document.getElementById('compare').dataset.loaded === '1'")
    yoshioka = page.locator("#districts-table tbody tr[data-code='10345'] td").nth(7)
    expect(yoshioka).to_have_text("人口からの推定")
    assert "推定：人口 21,792 人" in (yoshioka.get_attribute("title") or "")
    expect(page.locator("#compare-legend li").last).to_have_text("データなし")
    page.screenshot(path=ARTIFACTS / "compare-gunma-ja.png", full_page=True)
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
