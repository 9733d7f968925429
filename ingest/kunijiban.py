"""Kunijiban boring exchange XML (国土地盤情報 ボーリング交換用データ), DTD 2.10, 3.00 and 4.00.

Element names follow MLIT's DTDs BED0210 / BED0300 / BED0400 (as published with the
電子納品要領; copies read in GeoFUKUI/opendata `dtd/`). What changes between versions:

What changes between versions: the layer element is 土質岩種区分 (2.10), 岩石土区分 (3.00) or
工学的地質区分名現場土質名 (4.00), with the name in _土質岩種区分1, _岩石土名 or
_工学的地質区分名現場土質名; the total length is 総掘進長 (2.10, 3.00) or 総削孔長 (4.00).

Every layer gives only its lower boundary (_下端深度); its top is the previous bottom, from 0.
Coordinates are degrees, minutes, seconds (経度_度/分/秒, 緯度_度/分/秒); 測地系 0 is the old
Tokyo datum (EPSG:4301), 1 and 2 are JGD2000 / JGD2011 (WGS84 within a metre).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from ingest import registry
from ingest.errors import RefusedFile
from ingest.readers import Table

LAYER_ELEMENTS = {
    "土質岩種区分": "土質岩種区分_土質岩種区分1",  # 2.10
    "岩石土区分": "岩石土区分_岩石土名",  # 3.00
    "工学的地質区分名現場土質名": "工学的地質区分名現場土質名_工学的地質区分名現場土質名",  # 4.00
}
# Depth markers in the 孔内水位 element that mean "no reading" (seen in public files).
NO_READING_BELOW_M = -99.0
TOKYO_DATUM_CODES = {"0", "00"}


def _text(element: Any, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None and found.text else ""


def _dms(element: Any, prefix: str, file_name: str, field: str) -> float | None:
    parts = [_text(element, f".//{prefix}_{unit}") for unit in ("度", "分", "秒")]
    if not parts[0]:
        return None
    try:
        degrees, minutes, seconds = (float(p or 0) for p in parts)
    except ValueError as exc:
        raise RefusedFile(
            file_name,
            N_("The position (%(element)s) is not a number."),
            element=f"{prefix}_度/分/秒",
        ).at(1, field, "/".join(parts)) from exc
    return degrees + minutes / 60 + seconds / 3600


def _below_no_reading(value: str) -> bool:
    """A 孔内水位 value that means "no reading"; one that is not a number is left for the
    table's check to refuse, with its row."""
    try:
        return float(value) <= NO_READING_BELOW_M
    except ValueError:
        return False


def tables(root: Any, file_name: str) -> list[tuple[str, Table]]:
    """(kind, table) steps: the borehole, its geological column, its water levels."""
    from ingest.sources import table_from_records

    if root.tag != "ボーリング情報":
        raise RefusedFile(file_name, N_("This XML is not a Kunijiban boring file."))
    version = root.get("DTD_version", "")
    code = _text(root, ".//ボーリング名")
    if not code:
        raise RefusedFile(file_name, N_("The boring has no name (ボーリング名).")).at(1, "code")
    lon, lat = _dms(root, "経度", file_name, "lon"), _dms(root, "緯度", file_name, "lat")
    if lon is not None and lat is not None and _text(root, ".//測地系") in TOKYO_DATUM_CODES:
        lon, lat = _from_tokyo_datum(lon, lat)
    depth = _text(root, ".//総削孔長") or _text(root, ".//総掘進長")
    borehole = {
        "code": code,
        "name": _text(root, ".//調査名")[:200],
        "lon": "" if lon is None else repr(lon),
        "lat": "" if lat is None else repr(lat),
        "ground_elevation": _text(root, ".//孔口標高"),
        "depth": depth,
        "drilled_on": _text(root, ".//調査期間_開始年月日"),
        "purpose": "exploration",
        "source": f"Kunijiban boring XML (DTD {version}): {file_name}"[:300],
    }
    units = {"lon": "°", "lat": "°", "ground_elevation": "m", "depth": "m"}
    steps = [("boreholes", table_from_records(file_name, [borehole], units))]

    layers, top = [], "0"
    for tag, name_tag in LAYER_ELEMENTS.items():
        for element in root.iter(tag):
            bottom = _text(element, f"{tag}_下端深度")
            name = _text(element, name_tag)
            layers.append(
                {
                    "borehole_code": code,
                    "top": top,
                    "bottom": bottom,
                    # The log names its soils; the layers' kind knows the lithology classes.
                    "lithology": registry.classify("geological_layers", "lithology", name)
                    or "unclassified",
                    "lithology_text": name,
                    "source": f"Kunijiban XML {file_name}"[:300],
                }
            )
            top = bottom
    if layers:
        steps.append(
            (
                "geological_layers",
                table_from_records(file_name, layers, {"top": "m", "bottom": "m"}),
            )
        )

    levels, seen_dates = [], set()
    for element in root.iter("孔内水位"):
        measured = _text(element, "孔内水位_測定年月日")
        value = _text(element, "孔内水位_孔内水位")
        if not value or _below_no_reading(value) or measured in seen_dates:
            continue  # no reading, or a later reading of the same day (the first one is kept)
        seen_dates.add(measured)
        status = _text(element, "孔内水位_削孔状況") or _text(element, "孔内水位_掘削状況")
        levels.append(
            {
                "borehole_code": code,
                "measured_at": measured,
                "depth_to_water": value,
                "method": "borehole water level (孔内水位)",
                "note": status[:300],
            }
        )
    if levels:
        steps.append(
            ("groundwater_levels", table_from_records(file_name, levels, {"depth_to_water": "m"}))
        )
    return steps


def _from_tokyo_datum(lon: float, lat: float) -> tuple[float, float]:
    """Tokyo datum (EPSG:4301) → WGS84; pyproj uses the official transformation."""
    from pyproj import Transformer

    transformer = Transformer.from_crs(4301, 4326, always_xy=True)
    x, y = transformer.transform(lon, lat)
    return float(x), float(y)
