"""Hostile input: more than 1,000 generated malformed uploads (tests/hostile.py), each refused
with a message naming its file (and its row and field where there is one), the database left
byte-for-byte unchanged (row count and md5 of every table).

What a refused upload may leave, and why. A steward's upload is stored first as an ImportBatch
with its Job (the worker imports it later, and the refusal, with every error, is shown on that
batch: the steward's record of what was refused). So the bookkeeping tables core_importbatch
and core_job may gain exactly the upload's own rows, the batch in state "rejected", and nothing
else may change; through the survey page the audit log (core_auditentry) may also gain the
entry of the upload it received (the planning page logs a refusal without writing it). Every
other table, and every row that was there before, must be unchanged. The planning uploads
(building stock, district layers) are batches like the others since they gained a rollback.

Most of the corpus goes through the services the worker and the views call (one savepoint per
upload, rolled back after the check); a representative subset goes through the pages.
"""

from __future__ import annotations

import resource
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from core.models import District, Region
from ingest import service
from ingest.errors import RefusedFile, RowError
from ingest.models import ImportBatch
from planning.models import BuildingStock
from tests import hostile
from tests.factories import RegionFactory, UserFactory
from tests.hostile import ANY, Hostile
from tests.wells import files

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BOOKKEEPING = ("core_importbatch", "core_job")
AUDIT = "core_auditentry"
# Messages that mean the importer failed rather than refused: never acceptable for bad input.
NOT_A_REFUSAL = (
    "The import failed unexpectedly",
    "The database refused the data",
)
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-results"
LEAKS = ("root:x:0:0", "lollollol", "x" * 1000)  # /etc/passwd, expanded entities


# --- the database fingerprint ---------------------------------------------------------------


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys' ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def fingerprint(tables: list[str], since: dict[str, int] | None = None) -> dict[str, Any]:
    """Per table: row count and md5 of every row's text. With `since` (table → highest id at
    the baseline), bookkeeping tables are fingerprinted on their old rows only, plus a count
    of the new ones."""
    parts = []
    for table in tables:
        quoted = connection.ops.quote_name(table)
        where = f"WHERE t.id <= {since[table]}" if since and table in since else ""
        new = f"(SELECT count(*) FROM {quoted} WHERE id > {since[table]})" if where else "0"
        parts.append(
            f"SELECT '{table}', (SELECT count(*) FROM {quoted} t {where}), "
            f"(SELECT md5(coalesce(string_agg(t::text, '' ORDER BY t::text), '')) "
            f"FROM {quoted} t {where}), {new}"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {name: (count, digest, new) for name, count, digest, new in cursor.fetchall()}


def _max_ids(tables: list[str]) -> dict[str, int]:
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {connection.ops.quote_name(table)}")
            found[table] = cursor.fetchone()[0]
    return found


class Baseline:
    """The database as the corpus found it; `changes()` says how it differs now."""

    def __init__(self, bookkeeping: tuple[str, ...]) -> None:
        self.tables = _tables()
        self.bookkeeping = tuple(t for t in bookkeeping if t in self.tables)
        self.since = _max_ids(list(self.bookkeeping))
        self.before = fingerprint(self.tables, self.since)

    def changes(self) -> tuple[list[str], dict[str, int]]:
        """(tables whose old rows changed, new bookkeeping rows per table)."""
        after = fingerprint(self.tables, self.since)
        changed = [t for t in self.tables if after[t][:2] != self.before[t][:2]]
        changed += [t for t in self.tables if t not in self.bookkeeping and after[t][2]]
        return changed, {t: after[t][2] for t in self.bookkeeping if after[t][2]}


# --- the data the corpus must not change ----------------------------------------------------


@pytest.fixture
def region(db: None, gunma_outline) -> Region:  # type: ignore[no-untyped-def]
    """Gunma with its real outline, holding the Yoshioka borehole, its column and levels, a
    district and its building stock: rows a partial write would change."""
    gunma = RegionFactory(
        code="gunma",
        name_en="Gunma",
        boundary=gunma_outline,
        raster_crs_epsg=32654,
        time_zone="Asia/Tokyo",
    )
    for name, rows in (
        ("b.csv", files.YOSHIOKA_BOREHOLE),
        ("c.csv", files.YOSHIOKA_COLUMN),
        ("l.csv", files.YOSHIOKA_LEVELS),
    ):
        batch, _job = service.create_batch(
            gunma, "auto", SimpleUploadedFile(name, files.table_csv(rows)), None
        )
        assert service.run_import(batch).state == ImportBatch.State.IMPORTED, batch.errors
        batch.file.delete(save=False)
    district = District.objects.create(
        region=gunma,
        code="10464",
        name_en="Yoshioka",
        geometry=hostile_multipolygon(),
    )
    BuildingStock.objects.create(
        district=district, use="office", floor_area_m2=5000.0, source="baseline"
    )
    return gunma


def hostile_multipolygon():  # type: ignore[no-untyped-def]
    from tests.factories import square

    return square(138.98, 36.42, 0.06)


# --- feeding one upload and judging the result ----------------------------------------------


def _data(case: Hostile) -> bytes:
    """The bytes of `case`; an oversized file is made only when it is fed (100 MB each)."""
    return b"x" * case.size if case.size else case.data


def feed_service(region: Region, case: Hostile) -> tuple[list[dict[str, Any]], str | None]:
    """(errors, what went wrong beyond them) after uploading `case` through the importer."""
    data = _data(case)
    kind, options = case.kind, None
    if case.target != "survey":  # the planning page's kinds and the options it sends
        kind, options = case.target, {"code_field": "code", "name_field": "name"}
    try:
        batch, _job = service.create_batch(
            region, kind, SimpleUploadedFile(case.name, data), None, options
        )
    except RefusedFile as exc:
        return [exc.error.as_dict()], None
    del data
    try:
        batch = service.run_import(batch)
    except Exception as exc:  # the worker's job would fail: a bug, not a refusal
        return [], f"uncaught {type(exc).__name__}: {str(exc)[:200]}"
    finally:
        default_storage.delete(batch.file.name)
    if batch.state != ImportBatch.State.REJECTED:
        return batch.errors, f"batch ended {batch.state}, not rejected"
    return batch.errors, None


def judge(case: Hostile, errors: list[dict[str, Any]], problem: str | None) -> list[str]:
    """Why `case` was not refused cleanly (empty: it was)."""
    found = []
    if problem:
        found.append(problem)
    if not errors:
        found.append("no error reported")
    for error in errors:
        text = RowError.text(error)
        if error["file"] != case.name:
            found.append(f"error names file {error['file']!r}, not {case.name!r}")
        if not text.strip():
            found.append("empty message")
        if any(text.startswith(prefix) for prefix in NOT_A_REFUSAL):
            found.append(f"not a refusal: {text[:160]}")
        shown = f"{error['value']} {text}"
        if any(leak in shown for leak in LEAKS):
            found.append(f"expanded or leaked content in {shown[:80]!r}")
    if errors and case.row == ANY and case.field == ANY:
        if not any(e["row"] is not None or e["field"] for e in errors):
            found.append("no error names a row or a field")
    elif errors and not case.whole_file:
        places = [(e["row"], e["field"]) for e in errors]
        if not any(
            (case.row == ANY or row == case.row) and (case.field == ANY or field == case.field)
            for row, field in places
        ):
            found.append(f"expected row {case.row}, field {case.field}; got {places[:6]}")
    return found


TIMES: Counter[str] = Counter()


def _run(region: Region, corpus: list[Hostile], bookkeeping: tuple[str, ...]) -> dict[str, list]:
    """Feed every case in its own savepoint; return the failures by case."""
    baseline = Baseline(bookkeeping)
    failures: dict[str, list[str]] = {}
    for case in corpus:
        with transaction.atomic():
            start = time.perf_counter()
            errors, problem = feed_service(region, case)
            TIMES["feed"] += time.perf_counter() - start
            found = judge(case, errors, problem)
            start = time.perf_counter()
            changed, new_rows = baseline.changes()
            TIMES["fingerprint"] += time.perf_counter() - start
            if changed:
                found.append(f"tables changed: {changed}")
            allowed = {"core_importbatch": 1, "core_job": 1}
            if any(count > allowed.get(table, 0) for table, count in new_rows.items()):
                found.append(f"new bookkeeping rows beyond the upload's own: {new_rows}")
            if (
                new_rows.get("core_importbatch")
                and not ImportBatch.objects.filter(
                    pk__gt=baseline.since["core_importbatch"], state=ImportBatch.State.REJECTED
                ).exists()
            ):
                found.append("the stored batch is not marked rejected")
            transaction.set_rollback(True)
        if found:
            failures[case.case] = found
    assert baseline.changes() == ([], {}), "a savepoint did not undo its upload"
    return failures


def _report(corpus: list[Hostile], failures: dict[str, list[str]]) -> str:
    """The counts by category and the first failures; every failure goes to test-results/."""
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "hostile-uploads-failures.txt").open("a", encoding="utf-8") as out:
        out.writelines(f"{name}: {'; '.join(why)}\n" for name, why in failures.items())
    by_category = Counter(c.category for c in corpus)
    lines = [
        f"{len(corpus)} hostile uploads: "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_category.items()))
    ]
    lines += [f"{name}: {'; '.join(why)}" for name, why in list(failures.items())[:80]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def limit() -> int:
    return settings.IMPORT_MAX_BYTES


@pytest.fixture(scope="module")
def survey_corpus(limit: int) -> list[Hostile]:
    return hostile.survey_corpus(limit)


@pytest.fixture(scope="module")
def planning_corpus(limit: int) -> list[Hostile]:
    return [*hostile.stock_cases("10464", limit), *hostile.district_cases(limit)]


# --- the tests --------------------------------------------------------------------------------


def test_the_corpus_holds_more_than_a_thousand_uploads(survey_corpus, planning_corpus) -> None:
    corpus = [*survey_corpus, *planning_corpus]
    counts = Counter(c.category for c in corpus)
    print(f"\nhostile corpus: {len(corpus)} uploads")
    for category, count in sorted(counts.items()):
        print(f"  {category:20} {count}")
    assert len(corpus) >= 1000
    for required in (
        "truncated",
        "encoding",
        "swapped-columns",
        "missing-column",
        "extra-column",
        "huge-number",
        "nan-inf",
        "negative-depth",
        "far-coordinates",
        "xml-entities",
        "zip-bomb",
        "empty",
        "oversized",
        "formula",
        "date-out-of-range",
        "duplicated-rows",
        "binary-garbage",
        "wrong-extension",
    ):
        assert counts[required], f"no {required} case in the corpus"


def test_the_base_files_are_valid(region: Region) -> None:
    """Each mutation is refused for what it breaks: the files it starts from import."""
    for kind in hostile.SPECS:
        for name, data in (
            (f"{kind}.csv", hostile.csv_bytes(hostile.base_table(kind))),
            (f"{kind}.xlsx", hostile.xlsx_bytes(hostile.base_table(kind))),
        ):
            with transaction.atomic():
                batch, _job = service.create_batch(
                    region, kind, SimpleUploadedFile(name, data), None
                )
                batch = service.run_import(batch)
                default_storage.delete(batch.file.name)
                assert batch.state == ImportBatch.State.IMPORTED, (name, batch.errors)
                transaction.set_rollback(True)
    for name, data in (
        ("b.geojson", hostile._collection(hostile.borehole_features())),
        ("b.gpkg", hostile.gpkg_bytes(hostile.borehole_features())),
        ("boring.xml", files.kunijiban_xml("4.00")),
        ("log.las", files.yoshioka_las()),
    ):
        with transaction.atomic():
            batch, _job = service.create_batch(region, "auto", SimpleUploadedFile(name, data), None)
            batch = service.run_import(batch)
            default_storage.delete(batch.file.name)
            assert batch.state == ImportBatch.State.IMPORTED, (name, batch.errors)
            transaction.set_rollback(True)
    stock = hostile.csv_bytes(hostile.stock_table("10464"))
    districts = hostile._collection(hostile.district_features())
    options = {"code_field": "code", "name_field": "name"}
    with transaction.atomic():
        for kind, name, data in (
            ("building_stock", "stock.csv", stock),
            ("districts", "d.geojson", districts),
        ):
            batch, _job = service.create_batch(
                region, kind, SimpleUploadedFile(name, data), None, options
            )
            batch = service.run_import(batch)
            default_storage.delete(batch.file.name)
            assert (batch.state, batch.row_count, batch.errors) == ("imported", 2, []), name
        transaction.set_rollback(True)


def test_every_hostile_survey_file_is_refused_and_nothing_is_written(
    region: Region, survey_corpus: list[Hostile]
) -> None:
    bombs = [c for c in survey_corpus if c.category == "zip-bomb"]
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    failures = _run(region, bombs, BOOKKEEPING)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mib < 200, f"a zip bomb was inflated: the peak memory grew {grown_mib:.0f} MiB"
    failures |= _run(region, [c for c in survey_corpus if c.category != "zip-bomb"], BOOKKEEPING)
    print(f"\nseconds: {dict(TIMES)}")
    assert not failures, _report(survey_corpus, failures)


def test_every_hostile_planning_file_is_refused_and_nothing_is_written(
    region: Region, planning_corpus: list[Hostile]
) -> None:
    failures = _run(region, planning_corpus, BOOKKEEPING)
    assert not failures, _report(planning_corpus, failures)


# --- a representative subset through the pages ----------------------------------------------

VIA_WELLS_PAGE = (
    "survey/0-bytes.csv",
    "survey/0-bytes.xlsx",
    "survey/over-limit.csv",
    "survey/over-limit.xlsx",
    "survey/random-bytes.csv",
    "survey/name.exe",
    "xlsx/ratio-bomb-64mb",
    "xlsx/lying-sizes-bomb",
    "xlsx/entity-laughs-sheet1.xml",
    "xml-4.00/billion-laughs",
    "xml-2.10/xxe-file",
    "boreholes/csv/number=nan",
    "boreholes/csv/number=1e308",
    "boreholes/xlsx/nonneg=-5",
    "boreholes/csv/lon=0,lat=0",
    'geological_layers/xlsx/source==HYPERLINK("ht',
    "groundwater_levels/csv/date=2013-13-45",
    "temperature_logs/csv/number<->code",
    "water_chemistry/csv/utf-16-le-bom",
    "flow_readings/csv/cut-mid-last-row",
    "pumping_tests/xlsx/drop=level",
    "geological_units/csv/last-row-twice",
    "las/nan-temp",
)
VIA_PLANNING_PAGE = (
    "building_stock/0-bytes.csv",
    "building_stock/over-limit.csv",
    "stock/area=nan",
    "stock/source==cmd|' /C calc",
    "stock/utf-16-le-bom",
    "districts/0-bytes.geojson",
    "districts/over-limit.gpkg",
    "districts/geojson/at-0,0",
    "districts/bomb-named-geojson",
    "districts/gpkg-bytes/cut-half",
)


def _subset(corpus: list[Hostile], names: tuple[str, ...]) -> Iterator[Hostile]:
    by_name = {c.case: c for c in corpus}
    missing = [n for n in names if n not in by_name]
    assert not missing, f"not in the corpus: {missing}"
    return (by_name[n] for n in names)


def test_hostile_files_through_the_pages_are_refused_with_file_row_and_field(
    client, region: Region, survey_corpus: list[Hostile], planning_corpus: list[Hostile]
) -> None:
    steward = UserFactory(username="hostile-steward")
    steward.groups.add(region.steward_group)
    client.force_login(steward)
    baseline = Baseline((*BOOKKEEPING, AUDIT))
    failures: dict[str, list[str]] = {}
    cases = [*_subset(survey_corpus, VIA_WELLS_PAGE), *_subset(planning_corpus, VIA_PLANNING_PAGE)]
    assert len(cases) >= 30
    for case in cases:
        cache.clear()  # the upload rate limit counts in the cache: this test is one steward
        with transaction.atomic():
            errors, problem = _post(client, region, case)
            found = judge(case, errors, problem)
            changed, new_rows = baseline.changes()
            if changed:
                found.append(f"tables changed: {changed}")
            allowed = {"core_importbatch": 1, "core_job": 1}
            if case.target == "survey":
                allowed[AUDIT] = 1
            if any(count > allowed.get(table, 0) for table, count in new_rows.items()):
                found.append(f"new bookkeeping rows beyond the upload's own: {new_rows}")
            transaction.set_rollback(True)
        if found:
            failures[case.case] = found
    assert not failures, _report(cases, failures)


def _post(client, region: Region, case: Hostile) -> tuple[list[dict[str, Any]], str | None]:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(case.name, _data(case))
    if case.target == "survey":
        response = client.post(
            reverse("ingest:upload", args=[region.code]),
            {"kind": case.kind, "file": upload},
            headers={"accept": "application/json"},
        )
        if response.status_code == 400:
            body = response.json()
            return [_shown(body.get("file", ""), None, "", "", body["error"])], None
        if response.status_code != 202:
            return [], f"status {response.status_code}"
        batch = ImportBatch.objects.get(pk=response.json()["batch"])
        try:
            service.run_import(batch)  # what the worker does with the queued job
        except Exception as exc:
            return [], f"uncaught {type(exc).__name__}: {str(exc)[:200]}"
        finally:
            default_storage.delete(batch.file.name)
        status = client.get(response.json()["status_url"]).json()
        problem = None if status["state"] == "rejected" else f"batch {status['state']}"
        return [
            _shown(e["file"], e["row"], e["field"], e["value"], e["message"])
            for e in status["errors"]
        ], problem
    before = ImportBatch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(
        reverse("planning:upload", args=[region.code]),
        {"kind": case.target, "file": upload, "code_field": "code", "name_field": "name"},
    )
    for batch in ImportBatch.objects.filter(pk__gt=before):  # the page imported it at once
        default_storage.delete(batch.file.name)
    if response.status_code != 400:
        return [], f"status {response.status_code}"
    return _table_rows(response.content.decode()), None


def _shown(file: str, row: int | None, field: str, value: str, message: str) -> dict[str, Any]:
    """An error as the page showed it (already translated: its text is its own msgid)."""
    return {
        "file": file,
        "row": row,
        "field": field,
        "value": value,
        "message": message.replace("%", "%%"),
    }


def _table_rows(html: str) -> list[dict[str, Any]]:
    """The rows of the planning page's error table (file, row, field, value, problem)."""
    import re
    from html import unescape

    body = html.split('id="upload-errors"', 1)[-1].split("</table>", 1)[0]
    rows = []
    for cells in re.findall(r"<tr>((?:<td>.*?</td>){5})</tr>", body, flags=re.S):
        file, row, field, value, message = (
            unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells, flags=re.S)
        )
        rows.append(_shown(file, int(row) if row else None, field, value, message))
    return rows
