"""A steward watches the recomputation of the maps on the region dashboard (issue 22 item 8):
the page polls its JSON status (static/js/dashboard.js) and follows the job's progress and
message without being reloaded, then reloads once when it has finished."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.models import Job, Region
from tests.browser.test_upload import signed_in_steward  # noqa: F401 - gina stewards Gunma
from tests.conftest import ARTIFACTS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_follows_the_running_recompute(
    page: Page,
    live_server,
    signed_in_steward,  # noqa: F811
) -> None:
    gunma = Region.objects.get(code="gunma")
    job = Job.objects.create(kind="recompute", region=gunma, state=Job.State.RUNNING)
    job.set_progress(0.25, "Computing the closed-loop potential (G.POT)")
    page.goto(f"{live_server.url}/en/imports/gunma/dashboard/")
    expect(page.locator("#recompute-percent")).to_have_text("25 %")
    marker = page.evaluate("() => (window.ghaPageMarker = Math.random())")
    job.set_progress(0.75, "Writing the maps")
    expect(page.locator("#recompute-message")).to_have_text("Writing the maps", timeout=10_000)
    expect(page.locator("#recompute-percent")).to_have_text("75 %")
    assert page.evaluate("() => document.getElementById('recompute-progress').value") == 0.75
    assert page.evaluate("() => window.ghaPageMarker") == marker  # followed without a reload
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-recompute.png", full_page=True)
    Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED, progress=1.0, message="")
    expect(page.locator("#recompute-state")).to_have_text("succeeded", timeout=10_000)
    expect(page.locator("#recompute-percent")).to_have_text("100 %")
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
