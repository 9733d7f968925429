"""A steward uploads a file with two bad rows, reads both problems, then imports a good file."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ARTIFACTS
from tests.factories import RegionFactory, UserFactory
from tests.wells import files


@pytest.fixture
def signed_in_steward(page: Page, live_server, client, gunma_outline):
    gunma = RegionFactory(
        code="gunma",
        name_en="Gunma",
        boundary=gunma_outline,
        raster_crs_epsg=32654,
        time_zone="Asia/Tokyo",
    )
    steward = UserFactory(username="gina")
    steward.groups.add(gunma.steward_group)
    client.force_login(steward)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return steward


@pytest.mark.browser
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_bad_rows_are_explained_then_a_good_file_is_imported(
    page: Page, live_server, celery_worker_process, signed_in_steward, tmp_path
) -> None:
    bad = [*files.YOSHIOKA_BOREHOLE]
    bad.append(["YOS-2", "", 139.0, 36.4, -5, "", "", "exploration", "", ""])  # row 4
    bad.append(["YOS-3", "", 127.68, 26.21, 30, "", "", "exploration", "", ""])  # row 5
    (tmp_path / "bad.csv").write_bytes(files.table_csv(bad))
    (tmp_path / "good.csv").write_bytes(files.table_csv(files.YOSHIOKA_BOREHOLE))

    page.goto(f"{live_server.url}/en/imports/gunma/")
    page.set_input_files("#file", str(tmp_path / "bad.csv"))
    page.click("#upload-button")
    expect(page.locator("#import-refused")).to_have_text(
        "2 problems: nothing was written.", timeout=60_000
    )
    rows = page.locator("#error-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("4depth-5.0This value must be more than 0.")
    expect(rows.nth(1)).to_contain_text("This point is outside the region gunma.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "upload-refused.png", full_page=True)

    page.set_input_files("#file", str(tmp_path / "good.csv"))
    page.click("#upload-button")
    expect(page.locator("#import-summary")).to_have_text(
        "1 rows imported: 1 created, 0 updated, 0 unchanged.", timeout=60_000
    )
    # The history shows both batches without a reload, newest first.
    expect(page.locator("#batch-history tbody tr")).to_have_count(2)
    expect(page.locator("#batch-history tbody tr").first).to_contain_text("good.csv")
    page.screenshot(path=ARTIFACTS / "upload-imported.png", full_page=True)
