"""Turn an uploaded file into import steps: (survey kind, table) pairs, in writing order.

The readers here know file formats, not surveys: they produce tables for kinds named by their
code, and the registered kind checks and builds its records. CSV and XLSX are tables already.
A LAS file is one temperature log. A Kunijiban boring XML holds a borehole, its geological
column and its water levels. GeoJSON, GPKG and zipped shapefiles give borehole locations or
geological units. Each becomes a `readers.Table`, so the same validation and the same messages
apply whatever the format. A kind whose files are not tables (a building-stock sheet) reads
them itself.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.utils.translation import gettext_noop as N_

from core.models import Region
from ingest import kunijiban, readers, registry
from ingest.errors import RefusedFile, RowError
from ingest.readers import Table


@dataclass(frozen=True)
class Step:
    kind: str | None  # None: detect from the columns
    table: Table | None  # None: the kind reads `data` itself (its files are not tables)
    data: bytes = b""
    name: str = ""

    @property
    def file_name(self) -> str:
        return self.table.file_name if self.table is not None else self.name


def steps_for(data: bytes, file_name: str, kind: str, region: Region) -> list[Step]:
    """The steps of `data`; `kind` is the steward's choice ("" or "auto": detect)."""
    chosen = None if kind in ("", "auto") else kind
    spec = registry.get(chosen) if chosen else None
    if spec is not None and spec.parse is not None:
        return [Step(chosen, None, data, file_name)]
    file_format = readers.sniff_format(data, file_name)
    if file_format in ("csv", "xlsx"):
        return [Step(chosen, readers.read_table(data, file_name, file_format))]
    if file_format == "las":
        return [Step("temperature_logs", las_table(data, file_name))]
    if file_format == "xml":
        return [
            Step(k, t) for k, t in kunijiban.tables(readers.parse_xml(data, file_name), file_name)
        ]
    table = vector_table(data, file_name, file_format)
    return [Step("geological_units" if "geometry" in table.columns else "boreholes", table)]


def table_from_records(
    file_name: str, records: list[dict[str, object]], units: dict[str, str], first_row: int = 1
) -> Table:
    """A Table from already-read records (values as text), numbered from `first_row`."""
    columns = list(dict.fromkeys(name for record in records for name in record))
    cells = [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in records]
    frame = pd.DataFrame(cells, columns=columns, dtype=str)
    row_numbers = list(range(first_row, first_row + len(frame)))
    if not records:
        raise RefusedFile(file_name, N_("The file holds no records."))
    formulas = readers.formula_cells([columns, *cells], file_name)
    return Table(
        file_name=file_name,
        columns=columns,
        units={c: units.get(c, "-") for c in columns},
        frame=frame,
        row_numbers=row_numbers,
        encoding="",
        # Numbered as the records are (the header line above is not a record).
        cell_errors=[
            RowError(e.file, row_numbers[e.row - 2], e.field, e.value, e.message)
            for e in formulas
            if e.row and e.row > 1
        ],
    )


def las_table(data: bytes, file_name: str) -> Table:
    """A LAS 2.0 temperature log as a temperature_logs table (rows numbered by sample).

    The borehole code is the WELL item (or UWI), the date the DATE item; the depth curve is
    DEPT/DEPTH, the temperature curve TEMP (any accepted unit, e.g. DEGC or K).
    """
    import lasio

    text, _encoding = readers.decode_text(data, file_name)
    try:
        las = lasio.read(io.StringIO(text), ignore_header_errors=False)
    except Exception as exc:
        raise RefusedFile(
            file_name, N_("The LAS file could not be read: %(reason)s"), reason=str(exc)[:200]
        ) from exc
    well = {item.mnemonic.upper(): str(item.value).strip() for item in las.well}
    code = well.get("WELL") or well.get("UWI") or ""
    measured = well.get("DATE", "")
    curves = {c.mnemonic.upper(): c for c in las.curves}
    # Curves are array-like: look them up by name, never by truthiness.
    depth = next((curves[n] for n in ("DEPT", "DEPTH") if n in curves), None)
    temperature = next((curves[n] for n in ("TEMP", "TEMPERATURE") if n in curves), None)
    if depth is None or temperature is None:
        raise RefusedFile(file_name, N_("A temperature log needs the curves DEPT and TEMP."))
    records = [
        {"borehole_code": code, "measured_at": measured, "depth": f"{d}", "temperature": f"{t}"}
        for d, t in zip(depth.data, temperature.data, strict=True)
        if not (pd.isna(d) and pd.isna(t))
    ]
    units = {"depth": _las_unit(depth.unit), "temperature": _las_unit(temperature.unit)}
    return table_from_records(file_name, records, units)


def _las_unit(unit: str) -> str:
    return {"DEGC": "°C", "DEG C": "°C", "C": "°C", "M": "m", "K": "K", "DEGK": "K"}.get(
        unit.strip().upper(), unit
    )


def vector_table(data: bytes, file_name: str, file_format: str) -> Table:
    """Features of GeoJSON, GPKG or a zipped shapefile as a table (numbered from 1).

    Points are borehole locations: lon/lat after reprojection to WGS84. Polygons are geological
    units: their geometry as WKT in a `geometry` column. Properties use the template's column
    names in SI units (depth in m, ...).
    """
    import pyogrio

    suffix = {"geojson": ".geojson", "gpkg": ".gpkg", "zip-shp": ".zip"}[file_format]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        source = f"/vsizip/{path}" if file_format == "zip-shp" else str(path)
        try:
            frame = pyogrio.read_dataframe(source)
        except Exception as exc:
            raise RefusedFile(
                file_name, N_("The GIS file could not be read: %(reason)s"), reason=str(exc)[:200]
            ) from exc
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    records = []
    for number, (geometry, (_index, row)) in enumerate(
        zip(frame.geometry, frame.iterrows(), strict=True), start=1
    ):
        values = {k: ("" if pd.isna(v) else v) for k, v in row.items() if k != "geometry"}
        if geometry is not None and not geometry.is_empty:
            if geometry.geom_type == "Point":
                values["lon"], values["lat"] = repr(geometry.x), repr(geometry.y)
            elif geometry.geom_type in ("Polygon", "MultiPolygon"):
                values["geometry"] = geometry.wkt
            else:
                raise RefusedFile(
                    file_name,
                    N_("Features must be points (boreholes) or polygons (units), not %(type)s."),
                    type=geometry.geom_type,
                ).at(number, "geometry", geometry.geom_type)
        records.append(values)
    units = {"lon": "°", "lat": "°", "depth": "m", "ground_elevation": "m", "diameter": "m"}
    return table_from_records(file_name, records, units)
