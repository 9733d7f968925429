"""A planner compares Gunma's districts and moves the adoption share: the table follows
without a page reload."""

from __future__ import annotations

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
