"""Bad input is refused with file, row and field named, and nothing is written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from ingest.models import BatchChange, ImportBatch
from tests.wells import files
from wells.models import Borehole

pytestmark = pytest.mark.django_db

SURVEY_TABLES = (
    "wells_borehole",
    "wells_geologicallayer",
    "wells_groundwaterlevel",
    "wells_temperaturelog",
    "wells_waterchemistrysample",
    "wells_thermalresponsetest",
    "wells_pumpingtest",
    "wells_wellinterval",
    "geology_geologicalunit",
)


def fingerprint(tables: tuple[str, ...] = SURVEY_TABLES) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row's text, per survey table: equal means unchanged."""
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "
                f"FROM {table} t"
            )
            found[table] = cursor.fetchone()
    return found


@pytest.fixture
def with_yoshioka(import_file) -> None:
    assert import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE)).state == "imported"


def _problems(batch: ImportBatch) -> list[tuple[int | None, str, str]]:
    return [(e["row"], e["field"], e["message"]) for e in batch.errors]


def test_two_bad_rows_are_both_explained_and_nothing_is_written(import_file) -> None:
    rows = [*files.YOSHIOKA_BOREHOLE]
    rows.append(
        [
            "YOS-2",
            "",
            files.YOSHIOKA_LON,
            files.YOSHIOKA_LAT,
            -5,
            150,
            "2013-08-19",
            "pumping_well",
            "true",
            "",
        ]
    )  # row 4: negative depth
    rows.append(
        [
            "YOS-3",
            "",
            files.YOSHIOKA_LON,
            files.YOSHIOKA_LAT,
            40,
            150,
            "2013-13-45",
            "borehole",
            "true",
            "",
        ]
    )  # row 5: impossible date and an unknown purpose
    before = fingerprint()
    batch = import_file("boreholes.csv", files.table_csv(rows))
    assert batch.state == ImportBatch.State.REJECTED
    assert _problems(batch) == [
        (4, "depth", "This value must be more than 0."),
        (5, "drilled_on", "This is not a date (write YYYY-MM-DD or YYYY-MM-DD hh:mm)."),
        (5, "purpose", "This value is not one of the allowed values."),
    ]
    assert batch.errors[0]["file"] == "boreholes.csv"
    assert batch.errors[0]["value"] == "-5.0"
    assert fingerprint() == before  # the good row 3 was not written either


def test_a_point_outside_the_region_is_refused(import_file) -> None:
    rows = [
        *files.YOSHIOKA_BOREHOLE[:2],
        ["NAHA-1", "", 127.68, 26.21, 30, "", "", "exploration", "", ""],
    ]
    batch = import_file("b.csv", files.table_csv(rows))
    assert _problems(batch) == [(3, "lon", "This point is outside the region %(region)s.")]
    assert batch.errors[0]["params"] == {"region": "gunma"}


def test_an_unaccepted_unit_is_refused_on_the_unit_row(import_file) -> None:
    rows = [files.YOSHIOKA_BOREHOLE[0], [*files.YOSHIOKA_BOREHOLE[1]], files.YOSHIOKA_BOREHOLE[2]]
    rows[1][4] = "ft"  # depth in feet: not guessed, refused
    batch = import_file("b.csv", files.table_csv(rows))
    assert _problems(batch) == [
        (2, "depth", "The unit is not accepted here; use one of: %(accepted)s.")
    ]
    assert batch.errors[0]["params"] == {"accepted": "m, cm, mm"}


def test_a_missing_column_is_named(import_file, with_yoshioka) -> None:
    rows = [["borehole_code", "measured_at"], ["", ""], ["YOS-1", "2013-08-27"]]
    batch = import_file("levels.csv", files.table_csv(rows), kind="groundwater_levels")
    assert _problems(batch) == [(None, "depth_to_water", "This column is missing.")]


def test_layers_that_overlap_name_both_rows(import_file, with_yoshioka) -> None:
    rows = [*files.YOSHIOKA_COLUMN[:5], ["YOS-1", 1.0, 3.0, "sand", "", ""]]
    batch = import_file("column.csv", files.table_csv(rows))
    # Rows 3–5 are 0–0.5, 0.5–1.9, 1.9–8.5 m. Row 6 (1.0–3.0 m) starts inside row 4, and
    # row 5 (from 1.9 m) starts inside row 6.
    assert [(e["row"], e["field"], e["params"]) for e in batch.errors] == [
        (5, "top", {"other": 6}),
        (6, "top", {"other": 4}),
    ]


def test_an_interval_upside_down_is_refused(import_file, with_yoshioka) -> None:
    # YOSHIOKA-2014 prints the surface seal as "3.5～3.2 m": top below bottom (discrepancy #13).
    rows = [
        ["borehole_code", "kind", "top", "bottom"],
        ["", "", "m", "m"],
        ["YOS-1", "seal", 3.5, 3.2],
    ]
    batch = import_file("intervals.csv", files.table_csv(rows))
    assert _problems(batch) == [(3, "bottom", "The top must be above the bottom.")]


def test_an_unknown_borehole_code_is_refused(import_file) -> None:
    batch = import_file("levels.csv", files.table_csv(files.YOSHIOKA_LEVELS))
    assert {(e["row"], e["field"]) for e in batch.errors} == {
        (row, "borehole_code") for row in range(3, 9)
    }


def test_a_series_whose_time_runs_backwards_is_refused(import_file, with_yoshioka) -> None:
    rows = [list(r) for r in files.YOSHIOKA_STEP_TEST]
    rows[4][4] = 100  # row 5: 100 min after 130 min
    batch = import_file("step.csv", files.table_csv(rows))
    assert _problems(batch) == [
        (5, "time", "Must increase within a series (previous row %(other)s).")
    ]


def test_text_in_a_number_field_is_named(import_file, with_yoshioka) -> None:
    rows = [*files.YOSHIOKA_LEVELS[:3], ["YOS-1", "2013-08-27", "about 33", "", ""]]
    batch = import_file("levels.csv", files.table_csv(rows))
    assert _problems(batch) == [(4, "depth_to_water", "This is not a number.")]
    assert batch.errors[0]["value"] == "about 33"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "The file is empty."),
        ("b.csv", b"\x00\x01\x02binary", "This is not a file type the importer reads."),
        ("b.exe", b"code,depth\n", "Files ending in %(suffix)s are not read; use %(accepted)s."),
        ("b.xlsx", b"code,depth\n,m\n", "The name says %(expected)s but the content is %(found)s."),
        ("x.xml", files.BILLION_LAUGHS, "XML entities and external references are not accepted."),
        (
            "only-header.csv",
            b"code,depth\n",
            "The file needs a header row and a unit row (see the template).",
        ),
    ],
)
def test_unreadable_files_are_refused_whole(import_file, name, data, message) -> None:
    before = fingerprint((*SURVEY_TABLES, "core_batchchange"))
    batch = import_file(name, data) if data else None
    if batch is None:  # an empty file is refused before it is even stored
        from django.core.files.uploadedfile import SimpleUploadedFile

        from ingest import service
        from ingest.errors import RefusedFile

        with pytest.raises(RefusedFile, match="empty"):
            service.create_batch(
                Borehole._meta.apps.get_model("core", "Region").objects.get(code="gunma"),
                "auto",
                SimpleUploadedFile(name, data),
                None,
            )
        return
    assert _problems(batch) == [(None, "", message)]
    assert fingerprint((*SURVEY_TABLES, "core_batchchange")) == before


def test_a_zip_bomb_is_refused_without_unpacking(import_file) -> None:
    batch = import_file("bomb.xlsx", files.zip_bomb())
    assert batch.state == ImportBatch.State.REJECTED
    assert batch.errors[0]["message"].endswith("refused as a zip bomb.")
    assert batch.errors[0]["params"]["size"] > 60 * 1024 * 1024


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(gunma) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ingest import service
    from ingest.errors import RefusedFile

    with pytest.raises(RefusedFile) as refused:
        service.create_batch(gunma, "auto", SimpleUploadedFile("big.csv", b"x" * 1001), None)
    assert refused.value.error.params == {"size": 1001, "limit": 1000}
    assert not ImportBatch.objects.exists()


def test_a_formula_in_a_spreadsheet_cell_is_refused(import_file) -> None:
    rows = [list(r) for r in files.YOSHIOKA_BOREHOLE]
    rows[2][4] = "=50+1.3"
    batch = import_file("b.xlsx", files.table_xlsx(rows))
    assert _problems(batch) == [(3, "depth", "Formulas are not accepted: type the value itself.")]
    assert not Borehole.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_the_encoding_is_detected(import_file, encoding) -> None:
    batch = import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE, encoding))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    assert Borehole.objects.get(code="YOS-1").name == "吉岡町試験井"


def test_a_rejected_batch_records_no_changes(import_file) -> None:
    rows = [*files.YOSHIOKA_BOREHOLE[:2], ["X", "", "", "", -1, "", "", "exploration", "", ""]]
    import_file("b.csv", files.table_csv(rows))
    assert not BatchChange.objects.exists()
