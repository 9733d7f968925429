"""Reading a series: a file (a wide table, as the survey templates are) or an API payload,
checked whole against the system's sensors, units and plausible ranges, into Readings. Nothing
is written here; every problem is listed (SeriesRefused).

A series file's row 1 is `observed_at` and one column per sensor code, row 2 the units (the
time column's unit cell may name a time zone; times without an offset are in the region's
zone), data from row 3. An empty cell is a missing reading, not an error.
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext_noop as N_

from core.lib.units import accepted_units, normalise_unit, to_si
from ingest import readers
from ingest.errors import RefusedFile, RowError
from monitoring.models import DIMENSION, GroundSourceSystem, Measures, Sensor
from monitoring.series.readings import (
    MAX_LISTED_ERRORS,
    Readings,
    SeriesRefused,
    capped,
    si_unit,
)

TIME_COLUMN = "observed_at"
FIRST_YEAR, LAST_YEAR = 1990, 2100  # outside this a date is a typo, and has no partition
# Plausible SI ranges per dimension: outside them a unit or a sign is wrong.
_PLAUSIBLE = {
    "temperature_k": (200.0, 400.0),
    "energy_j": (0.0, 1e13),
    "time_s": (0.0, 1e7),
    "volume_m3": (0.0, 1e6),
    "flow_m3_per_s": (0.0, 10.0),
    "length_m": (-1e4, 1e4),
}


def parse_file(data: bytes, file_name: str, system: GroundSourceSystem) -> Readings:
    """Check a series file against the system's sensors; SeriesRefused lists every problem."""
    readers.check_size(len(data), file_name)
    file_format = readers.sniff_format(data, file_name)
    if file_format not in ("csv", "xlsx"):
        raise RefusedFile(file_name, N_("A series file is a CSV or XLSX table (see the template)."))
    header, units, frame, cell_errors = _read_wide(data, file_name, file_format)
    errors = list(cell_errors)
    sensors = {s.code: s for s in system.sensors.all()}
    if not header or header[0] != TIME_COLUMN:
        errors.append(
            RowError(
                file_name,
                readers.HEADER_ROW,
                header[0] if header else "",
                header[0] if header else "",
                N_("The first column must be observed_at."),
            )
        )
        raise SeriesRefused(errors)
    zone = _time_zone(units.get(TIME_COLUMN, ""), system.region.time_zone, file_name)
    times_us, time_errors = _parse_times(frame[TIME_COLUMN], zone, file_name)
    errors += time_errors
    out_sensors, out_times, out_values, out_rows = [], [], [], []
    codes = [c for c in header[1:]]
    if not codes:
        errors.append(
            RowError(file_name, readers.HEADER_ROW, "", "", N_("The file names no sensor."))
        )
    for code in codes:
        sensor = sensors.get(code)
        if sensor is None:
            errors.append(
                RowError(
                    file_name,
                    readers.HEADER_ROW,
                    code,
                    code,
                    N_("No sensor of system %(system)s has this code."),
                    {"system": system.code},
                )
            )
            continue
        column_errors, si, present = _parse_values(
            frame[code], units.get(code, ""), sensor, file_name
        )
        errors += column_errors
        out_sensors.append(np.full(int(present.sum()), sensor.pk, np.int64))
        out_times.append(times_us[present])
        out_values.append(si[present])
        out_rows.append(np.flatnonzero(present) + readers.FIRST_DATA_ROW)
        if len(errors) > MAX_LISTED_ERRORS:
            break
    if errors:
        raise SeriesRefused(capped(errors, file_name))
    readings = Readings(
        np.concatenate(out_sensors) if out_sensors else np.empty(0, np.int64),
        np.concatenate(out_times) if out_times else np.empty(0, np.int64),
        np.concatenate(out_values) if out_values else np.empty(0, np.float64),
        np.concatenate(out_rows) if out_rows else np.empty(0, np.int64),
        codes,
        len(frame),
    )
    if len(readings) == 0:
        raise SeriesRefused([RowError(file_name, None, "", "", N_("The file holds no readings."))])
    return readings


def _read_wide(
    data: bytes, file_name: str, file_format: str
) -> tuple[list[str], dict[str, str], pd.DataFrame, list[RowError]]:
    """Header, units and the data cells as text. CSV through pandas' C reader (a year of
    1-minute data is half a million rows); XLSX through the survey importer's safe reader."""
    if file_format == "xlsx":
        table = readers.read_table(data, file_name, "xlsx")
        return table.columns, table.units, table.frame, table.cell_errors
    text, _encoding = readers.decode_text(data, file_name)
    lines = text.split("\n", 2)
    if len(lines) < readers.UNIT_ROW or not lines[1].strip():
        raise RefusedFile(
            file_name, N_("The file needs a header row and a unit row (see the template).")
        )
    try:
        header, units_row = (
            [
                str(c).strip()
                for c in pd.read_csv(
                    io.StringIO(line), header=None, dtype=str, keep_default_na=False
                ).iloc[0]
            ]
            for line in lines[:2]
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise RefusedFile(
            file_name, N_("The CSV file could not be read: %(reason)s"), reason=str(exc)[:200]
        ) from exc
    duplicates = sorted({c for c in header if c and header.count(c) > 1})
    if duplicates:
        raise RefusedFile(
            file_name, N_("These columns appear twice: %(columns)s."), columns=", ".join(duplicates)
        )
    columns = [name or f"#{i + 1}" for i, name in enumerate(header)]
    body_text = lines[2] if len(lines) > 2 else ""
    try:
        # Numbers parse as floats in pandas' C reader: ten million cells take seconds, not a
        # minute. An empty cell is NaN (a missing reading); any other text keeps the column as
        # text, checked cell by cell in _parse_values. Blank lines are kept: rows stay counted.
        body = pd.read_csv(
            io.StringIO(body_text),
            header=None,
            names=columns,
            dtype={columns[0]: str},
            na_values=[""],
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
            index_col=False,
        )
    except pd.errors.EmptyDataError:
        body = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    except (pd.errors.ParserError, ValueError) as exc:
        raise RefusedFile(
            file_name, N_("The CSV file could not be read: %(reason)s"), reason=str(exc)[:200]
        ) from exc
    # Trailing blank rows (an editor's last newlines) are not data.
    filled = body.notna().any(axis=1).to_numpy()
    body = body.iloc[: (np.flatnonzero(filled)[-1] + 1) if filled.any() else 0]
    named = [i for i, name in enumerate(header) if name]
    body = body.iloc[:, named].reset_index(drop=True)
    body[columns[0]] = body[columns[0]].fillna("")
    units = {header[i]: units_row[i] if i < len(units_row) else "" for i in named}
    return [header[i] for i in named], units, body, []


def _time_zone(cell: str, default: str, file_name: str) -> zoneinfo.ZoneInfo:
    name = cell.strip() or default
    if name.upper() in ("UTC", "Z", "ISO 8601", "ISO8601"):
        name = "UTC" if name.upper() in ("UTC", "Z") else default
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise RefusedFile(
            file_name,
            N_("The unit cell of observed_at names no time zone we know: %(zone)s."),
            zone=name[:60],
        ) from exc


def _parse_times(
    raw: pd.Series, zone: zoneinfo.ZoneInfo, file_name: str
) -> tuple[np.ndarray, list[RowError]]:
    """µs since 1970 UTC per row. Times with an offset keep it; naive ones are in `zone`."""
    text = raw.astype(str).str.strip()
    errors: list[RowError] = []
    with_offset = text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True).to_numpy()
    times_ns = np.full(len(text), np.iinfo(np.int64).min, dtype=np.int64)
    if with_offset.any():
        aware = pd.to_datetime(text[with_offset], errors="coerce", utc=True, format="ISO8601")
        times_ns[with_offset] = _ns(aware.dt.tz_localize(None))
    if (~with_offset).any():
        naive = pd.to_datetime(text[~with_offset], errors="coerce", format="ISO8601")
        local = naive.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        times_ns[~with_offset] = _ns(local.dt.tz_convert("UTC").dt.tz_localize(None))
    bad = times_ns == np.iinfo(np.int64).min
    years = 1970 + times_ns / (365.2425 * 86400e9)
    out_of_range = ~bad & ((years < FIRST_YEAR) | (years > LAST_YEAR + 1))
    for index in np.flatnonzero(bad | out_of_range)[: MAX_LISTED_ERRORS + 1]:
        message = (
            N_("This is not a date and time (YYYY-MM-DD HH:MM, an offset optional).")
            if bad[index]
            else N_("This date is outside %(first)s–%(last)s.")
        )
        errors.append(
            RowError(
                file_name,
                int(index) + readers.FIRST_DATA_ROW,
                TIME_COLUMN,
                str(text.iloc[index])[:60],
                message,
                {} if bad[index] else {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        )
    times_us = np.where(bad, 0, times_ns // 1000).astype(np.int64)
    valid = ~bad
    if valid.any():
        _values, first, counts = np.unique(times_us[valid], return_index=True, return_counts=True)
        valid_rows = np.flatnonzero(valid)
        repeated = np.isin(times_us, _values[counts > 1]) & valid
        firsts = set(valid_rows[first[counts > 1]].tolist())
        for index in np.flatnonzero(repeated)[: MAX_LISTED_ERRORS + 1]:
            if int(index) in firsts:
                continue
            errors.append(
                RowError(
                    file_name,
                    int(index) + readers.FIRST_DATA_ROW,
                    TIME_COLUMN,
                    str(text.iloc[index])[:60],
                    N_("This time is repeated in another row."),
                )
            )
    return times_us, errors


def _ns(times: pd.Series) -> np.ndarray:
    """Naive UTC datetimes as ns since 1970; NaT as int64 min."""
    return times.to_numpy(dtype="datetime64[ns]").astype(np.int64)


def _parse_values(
    raw: pd.Series, unit: str, sensor: Sensor, file_name: str
) -> tuple[list[RowError], np.ndarray, np.ndarray]:
    """(errors, SI values, which rows have a reading) for one sensor column."""
    dimension = DIMENSION[Measures(sensor.measures)]
    try:
        normalise_unit(unit)
        to_si(np.zeros(1), unit, dimension)
    except KeyError:
        return (
            [
                RowError(
                    file_name,
                    readers.UNIT_ROW,
                    sensor.code,
                    unit[:40],
                    N_("This unit is not accepted here; use one of: %(units)s."),
                    {"units": ", ".join(accepted_units(dimension))},
                )
            ],
            np.empty(len(raw)),
            np.zeros(len(raw), bool),
        )
    if raw.dtype.kind == "f":  # parsed by the CSV reader: NaN is an empty cell
        numbers = raw.to_numpy(np.float64)
        present = ~np.isnan(numbers)
        text = raw
    else:
        text = raw.astype(str).str.strip()
        present = (text != "").to_numpy() & raw.notna().to_numpy()
        numbers = pd.to_numeric(text.where(present, "0"), errors="coerce").to_numpy(np.float64)
    si = to_si(numbers, unit, dimension)
    not_number = present & ~np.isfinite(numbers)
    low, high = _PLAUSIBLE.get(dimension, (-np.inf, np.inf))
    with np.errstate(invalid="ignore"):
        implausible = present & ~not_number & ((si < low) | (si > high) | ~np.isfinite(si))
    errors = []
    for index in np.flatnonzero(not_number | implausible)[: MAX_LISTED_ERRORS + 1]:
        errors.append(
            RowError(
                file_name,
                int(index) + readers.FIRST_DATA_ROW,
                sensor.code,
                str(text.iloc[index])[:60],
                N_("This is not a finite number.")
                if not_number[index]
                else N_("This value is outside the plausible range for %(what)s."),
                {} if not_number[index] else {"what": str(Measures(sensor.measures).label)},
            )
        )
    return errors, si, present


def parse_payload(payload: Any, system: GroundSourceSystem) -> Readings:
    """`{"readings": [{"sensor": code, "observed_at": ISO 8601 with offset, "value": number,
    "unit": optional}]}`; problems are named by item index (row) and field, as files are."""
    name = "request"
    items = payload.get("readings") if isinstance(payload, dict) else None
    if not isinstance(items, list) or not items:
        raise SeriesRefused(
            [RowError(name, None, "readings", "", N_("Send a non-empty list of readings."))]
        )
    sensors = {s.code: s for s in system.sensors.all()}
    errors: list[RowError] = []
    ids, times, values, rows = [], [], [], []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(name, index, "", "", N_("Each reading is an object.")))
            continue
        sensor = sensors.get(str(item.get("sensor", "")))
        if sensor is None:
            errors.append(
                RowError(
                    name,
                    index,
                    "sensor",
                    str(item.get("sensor", ""))[:60],
                    N_("No sensor of system %(system)s has this code."),
                    {"system": system.code},
                )
            )
            continue
        when = _aware(item.get("observed_at"))
        if when is None:
            errors.append(
                RowError(
                    name,
                    index,
                    "observed_at",
                    str(item.get("observed_at", ""))[:60],
                    N_(
                        "Give the time as ISO 8601 with its offset, e.g. 2026-01-31T12:00:00+09:00."
                    ),
                )
            )
            continue
        column_errors, si, present = _parse_values(
            pd.Series([str(item.get("value", ""))]),
            str(item.get("unit", "")) or si_unit(sensor),
            sensor,
            name,
        )
        if column_errors or not present[0]:
            errors += [
                RowError(name, index, "value", e.value, e.message, e.params) for e in column_errors
            ] or [RowError(name, index, "value", "", N_("A value is required."))]
            continue
        ids.append(sensor.pk)
        times.append(int(when.timestamp() * 1_000_000))
        values.append(float(si[0]))
        rows.append(index)
    if errors:
        raise SeriesRefused(capped(errors, name))
    readings = Readings(
        np.asarray(ids, np.int64),
        np.asarray(times, np.int64),
        np.asarray(values, np.float64),
        np.asarray(rows, np.int64),
    )
    duplicate = _first_repeat(readings)
    if duplicate is not None:
        raise SeriesRefused(
            [
                RowError(
                    name, duplicate, "observed_at", "", N_("This time is repeated in another row.")
                )
            ]
        )
    return readings


def _aware(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None or not (FIRST_YEAR <= when.year <= LAST_YEAR):
        return None
    return when


def _first_repeat(readings: Readings) -> int | None:
    """The row of the first (sensor, time) pair that repeats an earlier one, if any."""
    order = np.lexsort((np.arange(len(readings)), readings.times_us, readings.sensor_ids))
    same = (np.diff(readings.sensor_ids[order]) == 0) & (np.diff(readings.times_us[order]) == 0)
    if not same.any():
        return None
    return int(readings.rows[order[1:][same]].min())
