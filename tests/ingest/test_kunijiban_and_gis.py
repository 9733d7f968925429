"""Kunijiban boring XML (DTD 2.10, 3.00, 4.00) and GIS files of borehole locations."""

from __future__ import annotations

import io
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Point as ShapelyPoint

from ingest.models import ImportBatch
from tests.wells import files
from wells.models import Borehole, GeologicalLayer, GroundwaterLevel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("version", ["2.10", "3.00", "4.00"])
def test_a_kunijiban_file_gives_borehole_column_and_level(import_file, version) -> None:
    batch = import_file(
        f"BED0001-{version}.XML".replace("XML", "xml"), files.kunijiban_xml(version)
    )
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    borehole = Borehole.objects.get(code="Br-1")
    # 139° 0′ 37.008″ = 139 + 0/60 + 37.008/3600 = 139.01028°; 36° 26′ 51″ = 36.4475°
    assert borehole.location.x == pytest.approx(139.01028, abs=1e-9)
    assert borehole.location.y == pytest.approx(36.4475, abs=1e-9)
    assert (borehole.depth_m, borehole.ground_elevation_m) == (10.0, 160.0)
    assert borehole.name == "吉岡町①地質調査"  # cp932-only ① decoded
    assert borehole.drilled_on.isoformat() == "2013-08-19"
    layers = GeologicalLayer.objects.filter(borehole=borehole).order_by("top_m")
    assert [(x.top_m, x.bottom_m, x.lithology, x.lithology_text) for x in layers] == [
        (0.0, 0.5, "fill", "埋土"),
        (0.5, 10.0, "sandy_gravel", "粘土混じり砂礫"),
    ]
    # -99.99 is the files' "no reading" marker: only the 1.60 m reading is stored.
    assert list(GroundwaterLevel.objects.values_list("depth_to_water_m", flat=True)) == [1.6]
    assert batch.created_count == 1 + 2 + 1


def test_tokyo_datum_coordinates_are_moved_to_wgs84(import_file) -> None:
    batch = import_file("old.xml", files.kunijiban_xml("2.10", datum="0"))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    location = Borehole.objects.get(code="Br-1").location
    # Tokyo datum → WGS84 near Gunma: about −11.6″ in latitude and +11.6″ in longitude
    # (≈ 400 m to the north-west of the old grid position); checked to a few metres.
    assert location.y - 36.4475 == pytest.approx(11.6 / 3600, abs=0.5 / 3600)
    assert location.x - 139.01028 == pytest.approx(-11.7 / 3600, abs=0.5 / 3600)


def test_a_layer_deeper_than_the_hole_in_xml_is_a_warning(import_file) -> None:
    data = (
        files.kunijiban_xml("4.00")
        .decode("cp932")
        .replace("<総削孔長>10.00</総削孔長>", "<総削孔長>8.00</総削孔長>")
    )
    batch = import_file("b.xml", data.encode("cp932"))
    assert batch.state == ImportBatch.State.IMPORTED
    assert [(w["row"], w["field"]) for w in batch.warnings] == [(2, "bottom")]


def _boreholes_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["GIS-1", "GIS-2"], "depth": [30.0, 45.5], "purpose": ["exploration"] * 2},
        geometry=[ShapelyPoint(139.0, 36.45), ShapelyPoint(139.02, 36.44)],
        crs=4326,
    )


def test_geojson_gives_borehole_locations(import_file, tmp_path) -> None:
    path = tmp_path / "b.geojson"
    _boreholes_frame().to_file(path, driver="GeoJSON")
    batch = import_file("boreholes.geojson", path.read_bytes())
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    assert Borehole.objects.get(code="GIS-2").depth_m == 45.5


def test_gpkg_in_a_metric_crs_is_reprojected(import_file, tmp_path) -> None:
    path = tmp_path / "b.gpkg"
    _boreholes_frame().to_crs(32654).to_file(path, driver="GPKG")
    batch = import_file("boreholes.gpkg", path.read_bytes())
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    location = Borehole.objects.get(code="GIS-1").location
    assert (location.x, location.y) == pytest.approx((139.0, 36.45), abs=1e-7)


def test_a_zipped_shapefile_gives_borehole_locations(import_file, tmp_path) -> None:
    _boreholes_frame().to_file(tmp_path / "boreholes.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in tmp_path.glob("boreholes.*"):
            archive.write(part, part.name)
    batch = import_file("boreholes.zip", buffer.getvalue())
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    assert set(Borehole.objects.values_list("code", flat=True)) == {"GIS-1", "GIS-2"}


def test_a_gis_feature_with_a_bad_value_names_its_feature(import_file, tmp_path) -> None:
    frame = _boreholes_frame()
    frame.loc[1, "depth"] = -3.0
    path = tmp_path / "b.geojson"
    frame.to_file(path, driver="GeoJSON")
    batch = import_file("b.geojson", path.read_bytes())
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "depth")]  # feature 2


def test_unit_polygons_are_imported_and_layers_can_name_them(import_file, tmp_path) -> None:
    from shapely.geometry import Polygon as ShapelyPolygon

    from geology.models import GeologicalUnit

    units = gpd.GeoDataFrame(
        {
            "code": ["haruna-volc"],
            "name_en": ["Haruna volcanic products"],
            "name_ja": ["榛名火山噴出物"],
            "dominant_lithology": ["sandy_gravel"],
            "schematic": ["true"],
        },
        geometry=[
            ShapelyPolygon([(138.95, 36.40), (139.05, 36.40), (139.05, 36.50), (138.95, 36.50)])
        ],
        crs=4326,
    )
    path = tmp_path / "units.geojson"
    units.to_file(path, driver="GeoJSON")
    batch = import_file("units.geojson", path.read_bytes())
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    unit = GeologicalUnit.objects.get(code="haruna-volc")
    assert unit.is_schematic
    assert unit.geometry.geom_type == "MultiPolygon"
    assert unit.geometry.area == pytest.approx(0.01)  # 0.1° × 0.1° in degrees²

    import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    rows = [
        [*files.YOSHIOKA_COLUMN[0], "unit_code"],
        [*files.YOSHIOKA_COLUMN[1], ""],
        [*files.YOSHIOKA_COLUMN[2], "haruna-volc"],
        [*files.YOSHIOKA_COLUMN[3], "nowhere"],
    ]
    refused = import_file("c.csv", files.table_csv(rows))
    assert [(e["row"], e["field"], e["value"]) for e in refused.errors] == [
        (4, "unit_code", "nowhere")
    ]


def test_a_unit_outside_the_region_is_refused(import_file, tmp_path) -> None:
    from shapely.geometry import box

    units = gpd.GeoDataFrame(
        {"code": ["naha"], "name_en": ["Somewhere in Okinawa"]},
        geometry=[box(127.6, 26.1, 127.8, 26.3)],
        crs=4326,
    )
    path = tmp_path / "u.geojson"
    units.to_file(path, driver="GeoJSON")
    batch = import_file("u.geojson", path.read_bytes())
    assert [(e["row"], e["field"]) for e in batch.errors] == [(1, "geometry")]
