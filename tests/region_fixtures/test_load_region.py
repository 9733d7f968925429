"""Regions load from fixtures/: real outlines, idempotently, and bad files are named."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.models import Region
from region_fixtures.errors import FixtureError
from region_fixtures.services import FIXTURES_DIR, load_region_fixture


@pytest.mark.django_db
def test_all_three_regions_load_with_valid_outlines_and_a_second_run_changes_nothing() -> None:
    call_command("load_region", "--all")
    regions = {r.code: r for r in Region.objects.all()}
    assert set(regions) == {"gunma", "okinawa", "tajikistan"}
    for region in regions.values():
        assert region.boundary.valid
        assert region.boundary.srid == 4326
    # Yoshioka's town office (36.4475 N, 139.01028 E, SOURCES.md) lies in Gunma's outline.
    from django.contrib.gis.geos import Point

    assert regions["gunma"].boundary.contains(Point(139.01028, 36.4475, srid=4326))
    stamps = {r.code: r.updated_at for r in Region.objects.all()}
    from field_tests.models import FieldTestAnalysis

    # the Yoshioka step test, temperature log, water sample and flow readings are analysed
    kinds = set(FieldTestAnalysis.objects.values_list("kind", flat=True))
    assert kinds == {"step_test", "temperature_log", "water_chemistry", "groundwater_flow"}
    analyses = FieldTestAnalysis.objects.count()
    assert [load_region_fixture(code).status for code in sorted(stamps)] == ["unchanged"] * 3
    assert {r.code: r.updated_at for r in Region.objects.all()} == stamps
    assert FieldTestAnalysis.objects.count() == analyses  # loading again adds no versions


@pytest.fixture
def broken_fixture(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES_DIR / "gunma", tmp_path / "gunma")
    return tmp_path


def _edit(folder: Path, **changes: object) -> None:
    path = folder / "gunma" / "region.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec.update(changes)
    path.write_text(json.dumps(spec), encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"raster_crs_epsg": 4326}, "region.json: field 'raster_crs_epsg': EPSG:4326 is not proj"),
        ({"currency": ""}, "region.json: field 'currency' is required"),
        ({"boundary_file": "nowhere.geojson"}, "field 'boundary_file'"),
        ({"code": "okinawa"}, "field 'code' is 'okinawa', not 'gunma'"),
    ],
)
def test_a_bad_region_file_names_file_and_field_and_writes_nothing(
    broken_fixture: Path, changes: dict[str, object], message: str
) -> None:
    _edit(broken_fixture, **changes)
    with pytest.raises(FixtureError, match=re.escape(message)):
        load_region_fixture("gunma", fixtures_dir=broken_fixture)
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_the_command_reports_a_missing_region_clearly() -> None:
    with pytest.raises(
        CommandError, match=re.escape("fixtures/atlantis/region.json: no such file")
    ):
        call_command("load_region", "atlantis")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,name_en,source\n99999,Atlantis,typed\n", "field 'code': 99999 is no district"),
        ("code,name_xx,source\n10201,X,typed\n", "district-names.csv: row 1, field 'name_xx'"),
        ("code,name_en,source\n10201,A,t\n10201,B,t\n", "row 3, field 'code': repeated: 10201"),
    ],
)
def test_a_bad_district_names_file_names_file_row_and_field(
    broken_fixture: Path, text: str, message: str
) -> None:
    from core.models import District

    (broken_fixture / "gunma" / "district-names.csv").write_text(text, encoding="utf-8")
    with pytest.raises(FixtureError, match=re.escape(message)):
        load_region_fixture("gunma", fixtures_dir=broken_fixture)
    assert not District.objects.exists()
