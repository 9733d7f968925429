"""Load a region's settings and outline from its fixture folder (fixtures/<code>/).

The folder holds `region.json` and the boundary file it names (GeoJSON or GPKG, any number of
polygons, dissolved into one outline). Loading is idempotent: a second run changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyogrio
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.db.models import Q

from core.lib.crs import metric_crs_problem
from core.models import District, Region
from field_tests.services import analyse_borehole
from reference.models import (
    Baseline,
    ClimateNormal,
    GroundwaterRule,
    ReferenceSystem,
    ReferenceValue,
    SubsidyProgramme,
)
from region_fixtures.errors import FixtureError, refusal_summary
from region_fixtures.monitoring import load as load_monitoring
from wells.models import Borehole

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
REGION_FIELDS = (
    "name_en",
    "name_ja",
    "name_ru",
    "name_tg",
    "raster_crs_epsg",
    "raster_resolution_m",
    "default_language",
    "currency",
    "time_zone",
    "leading_layer",
    "map_parameters",
    "published",
)
REQUIRED = ("code", "name_en", "boundary_file", "raster_crs_epsg", "currency")


@dataclass(frozen=True)
class LoadResult:
    region: Region
    status: str  # "created", "updated" or "unchanged"
    imported: tuple[str, ...] = ()  # survey files imported by this run (the others were loaded)


def available_codes(fixtures_dir: Path = FIXTURES_DIR) -> list[str]:
    """Codes of the regions that have a fixture folder with a region.json."""
    return sorted(p.parent.name for p in fixtures_dir.glob("*/region.json"))


def read_outline(path: Path) -> MultiPolygon:
    """Dissolve every polygon of `path` into one valid MultiPolygon in EPSG:4326."""
    frame = pyogrio.read_dataframe(path)
    if frame.crs is not None and frame.crs.to_epsg() not in (4326, None):
        frame = frame.to_crs(4326)
    polygons = [g for g in frame.geometry if g is not None and not g.is_empty]
    if not polygons:
        raise FixtureError(f"{path.name}: no polygon found")
    outline = shapely.make_valid(shapely.union_all(polygons))
    # make_valid may give a GeometryCollection of (Multi)Polygons and lines: keep the polygons.
    parts = [p for p in shapely.get_parts(shapely.get_parts(outline)) if p.geom_type == "Polygon"]
    if not parts:
        raise FixtureError(f"{path.name}: the outline is not a polygon ({outline.geom_type})")
    return MultiPolygon([GEOSGeometry(memoryview(p.wkb), srid=4326) for p in parts], srid=4326)


def load_region_fixture(code: str, fixtures_dir: Path = FIXTURES_DIR) -> LoadResult:
    """Create or update the region `code`, then import its survey files through the importer.

    The survey files listed under "imports" in region.json go through the same service as a
    steward's upload (same validation and messages) and are published when "publish" says so.
    A file already imported into the region (same name and SHA-256) is skipped, so a second
    run changes nothing. A file that fails raises FixtureError naming its file, row and field.
    """
    result = _load_region_settings(code, fixtures_dir)
    spec = json.loads((fixtures_dir / code / "region.json").read_text(encoding="utf-8"))
    if "districts" in spec:
        _load_districts(result.region, fixtures_dir / code, spec["districts"])
    _load_reference(result.region, fixtures_dir / code / "reference.json")
    imported = tuple(_import_survey_files(result.region, fixtures_dir / code, spec))
    _analyse_field_tests(result.region)
    monitoring = fixtures_dir / code / "monitoring.json"
    if monitoring.is_file():
        imported += tuple(load_monitoring(result.region, monitoring))
    return LoadResult(result.region, result.status, imported)


def _analyse_field_tests(region: Region) -> None:
    """Analyses the region's field tests still lack (files imported before a method existed);
    existing versions are kept, so loading again adds nothing."""
    has_tests = (
        Q(thermalresponsetests__isnull=False)
        | Q(pumpingtests__isnull=False)
        | Q(temperaturelogs__isnull=False)
        | Q(waterchemistrysamples__isnull=False)
        | Q(groundwaterflowreadings__isnull=False)
    )
    for borehole in Borehole.objects.filter(region=region).filter(has_tests).distinct():
        analyse_borehole(borehole)


def _load_districts(region: Region, folder: Path, spec: dict) -> None:
    """Districts from a boundary file: one per value of spec["code"], parts dissolved."""
    frame = pyogrio.read_dataframe(folder / spec["file"])
    code_field = spec["code"]
    frame = frame[frame[code_field].notna()]
    names_file = read_district_names(folder / spec["names_file"]) if "names_file" in spec else {}
    unknown = sorted(set(names_file) - {str(code) for code in frame[code_field]})
    if unknown:
        raise FixtureError(
            f"{spec['names_file']}: field 'code': {unknown[0]} is no district of {spec['file']}"
        )
    with transaction.atomic():
        for code, group in frame.groupby(code_field):
            first = group.iloc[0]
            outline = shapely.make_valid(shapely.union_all(list(group.geometry)))
            parts = [
                p for p in shapely.get_parts(shapely.get_parts(outline)) if p.geom_type == "Polygon"
            ]
            geometry = MultiPolygon(
                [GEOSGeometry(memoryview(p.wkb), srid=4326) for p in parts], srid=4326
            )
            names = {
                f"name_{language}": str(first[field]) if first.get(field) else ""
                for language, field in spec.get("names", {}).items()
            }
            extra = spec.get("extra_names", {}).get(str(code), {})
            names.update({f"name_{language}": name for language, name in extra.items()})
            names.update(names_file.get(str(code), {}))
            population = spec.get("populations", {}).get("values", {}).get(str(code))
            if population is not None:
                names["population"] = population
                names["population_source"] = spec["populations"]["source"]
            District.objects.update_or_create(
                region=region, code=str(code), defaults={"geometry": geometry, **names}
            )


DISTRICT_NAME_COLUMNS = ("name_en", "name_ja", "name_ru", "name_tg", "name_latin")


def read_district_names(path: Path) -> dict[str, dict[str, str]]:
    """District names by code from a CSV (code, any of DISTRICT_NAME_COLUMNS, source).

    `source` says which names are official and which transliterated; it is stored with them.
    A blank cell leaves that name as the boundary file gives it.
    """
    import csv

    if not path.is_file():
        raise FixtureError(f"region.json: field 'names_file': {path.name} is missing")
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        columns = set(reader.fieldnames or ())
        extra = sorted(columns - {"code", "source", *DISTRICT_NAME_COLUMNS})
        if "code" not in columns or "source" not in columns or extra:
            field = extra[0] if extra else ("code" if "code" not in columns else "source")
            raise FixtureError(
                f"{path.name}: row 1, field {field!r}: expected code, source and "
                f"names among {', '.join(DISTRICT_NAME_COLUMNS)}"
            )
        names: dict[str, dict[str, str]] = {}
        for row_number, row in enumerate(reader, start=2):
            code = (row["code"] or "").strip()
            if not code or code in names:
                raise FixtureError(
                    f"{path.name}: row {row_number}, field 'code': "
                    f"{'empty' if not code else 'repeated: ' + code}"
                )
            names[code] = {
                column: row[column].strip()
                for column in DISTRICT_NAME_COLUMNS
                if (row.get(column) or "").strip()
            }
            names[code]["names_source"] = (row["source"] or "").strip()
    return names


def _load_reference(region: Region, path: Path) -> None:
    """Factors, climate normals and groundwater rules of reference.json, by natural key."""
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        for row in data.get("values", []):
            row = dict(row)
            scoped = row.pop("region", False)
            ReferenceValue.objects.update_or_create(
                key=row.pop("key"),
                country=row.pop("country"),
                region=region if scoped else None,
                valid_from=row.pop("valid_from", None),
                source=row.pop("source"),
                defaults=row,
            )
        for row in data.get("climate_normals", []):
            row = dict(row)
            ClimateNormal.objects.update_or_create(
                region=region, station=row.pop("station"), period=row.pop("period"), defaults=row
            )
        by_code = {
            "groundwater_rules": GroundwaterRule,
            "baselines": Baseline,
            "subsidies": SubsidyProgramme,
            "reference_systems": ReferenceSystem,
        }
        for section, model in by_code.items():
            for row in data.get(section, []):
                row = dict(row)
                model.objects.update_or_create(region=region, code=row.pop("code"), defaults=row)


def _import_survey_files(region: Region, folder: Path, spec: dict) -> list[str]:
    """Import each listed file unless the same file is already imported; return their names."""
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.jobs import run_job
    from ingest import service
    from ingest.models import ImportBatch

    done = []
    for entry in spec.get("imports", []):
        path = folder / entry["file"]
        if not path.is_file():
            raise FixtureError(f"region.json: field 'imports': {entry['file']} is missing")
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        already = ImportBatch.objects.filter(
            region=region, file_name=path.name, sha256=digest, state=ImportBatch.State.IMPORTED
        ).exists()
        if already:
            continue
        batch, job = service.create_batch(
            region, entry.get("kind", "auto"), SimpleUploadedFile(path.name, data), None
        )
        # Not announced: the loader analyses the region's field tests itself (below), and
        # compute_regions recomputes each region once after loading. Run as the batch's job,
        # so the job ends succeeded (not queued until the stale sweep fails it).
        run_job(job.pk, lambda _job, batch=batch: service.run_import(batch, announce_it=False))
        batch.refresh_from_db()
        if batch.state != ImportBatch.State.IMPORTED:
            raise FixtureError(refusal_summary(path.name, batch.errors))
        if entry.get("publish"):
            service.publish_batch(batch, announce_it=False)
        done.append(path.name)
    return done


def _load_region_settings(code: str, fixtures_dir: Path) -> LoadResult:
    """Create or update the region row (settings and outline) in one transaction."""
    folder = fixtures_dir / code
    settings_path = folder / "region.json"
    if not settings_path.is_file():
        raise FixtureError(f"{settings_path.name}: no such file")
    try:
        spec = json.loads(settings_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FixtureError(f"{settings_path.name}: line {exc.lineno}: {exc.msg}") from exc
    for field in REQUIRED:
        if not spec.get(field):
            raise FixtureError(f"{settings_path.name}: field {field!r} is required")
    if spec["code"] != code:
        raise FixtureError(f"{settings_path.name}: field 'code' is {spec['code']!r}, not {code!r}")
    problem = metric_crs_problem(spec["raster_crs_epsg"])
    if problem:
        raise FixtureError(f"{settings_path.name}: field 'raster_crs_epsg': {problem}")
    boundary_path = folder / spec["boundary_file"]
    if not boundary_path.is_file():
        raise FixtureError(
            f"{settings_path.name}: field 'boundary_file': {boundary_path.name} is missing"
        )
    outline = read_outline(boundary_path)

    values = {field: spec[field] for field in REGION_FIELDS if field in spec}
    with transaction.atomic():
        region = Region.objects.select_for_update().filter(code=code).first()
        if region is None:
            region = Region(code=code, boundary=outline, **values)
            region.full_clean()
            region.save()
            return LoadResult(region, "created")
        changed = [f for f, v in values.items() if getattr(region, f) != v]
        if not region.boundary.equals_exact(outline, tolerance=1e-9):
            changed.append("boundary")
        if not changed:
            return LoadResult(region, "unchanged")
        for field, value in values.items():
            setattr(region, field, value)
        region.boundary = outline
        region.full_clean()
        region.save()
        return LoadResult(region, "updated")
