"""Time series in and out: validate a file or an API payload whole, write it with one binary
COPY, keep the hourly summaries in step, and read a span back downsampled for a plot.

A series file is a wide table as the survey templates are: row 1 is `observed_at` and one
column per sensor code, row 2 the units (the time column's unit cell may name a time zone;
times without an offset are in the region's zone), data from row 3. An empty cell is a
missing reading, not an error. Everything is checked before anything is written, and the
write is one transaction: a refused file leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils.translation import gettext_noop as N_

from core.lib.units import accepted_units, normalise_unit, to_si
from ingest import readers
from ingest.errors import RefusedFile, RowError
from monitoring.models import DIMENSION, GroundSourceSystem, Measures, Sensor

TIME_COLUMN = "observed_at"
MAX_LISTED_ERRORS = 500  # a file with more problems lists these and counts the rest
FIRST_YEAR, LAST_YEAR = 1990, 2100  # outside this a date is a typo, and has no partition
_PG_EPOCH_US = 946_684_800_000_000  # 2000-01-01T00:00Z in µs since 1970 (PostgreSQL's epoch)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
_COPY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("sensor_len", ">i4"),
        ("sensor", ">i8"),
        ("time_len", ">i4"),
        ("time", ">i8"),
        ("value_len", ">i4"),
        ("value", ">f8"),
        ("batch_len", ">i4"),
        ("batch", ">i8"),
    ]
)
_COPY_ROW_NO_BATCH = np.dtype(_COPY_ROW.descr[:-2])
# Plausible SI ranges per dimension: outside them a unit or a sign is wrong.
_PLAUSIBLE = {
    "temperature_k": (200.0, 400.0),
    "energy_j": (0.0, 1e13),
    "time_s": (0.0, 1e7),
    "volume_m3": (0.0, 1e6),
    "flow_m3_per_s": (0.0, 10.0),
    "length_m": (-1e4, 1e4),
}


@dataclass
class Readings:
    """Readings ready to write: parallel arrays, times in µs since 1970 UTC, values SI."""

    sensor_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    times_us: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    values: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # file rows
    fields: list[str] = field(default_factory=list)  # sensor code per sensor id position
    row_count: int = 0  # data rows read

    def __len__(self) -> int:
        return len(self.values)


class SeriesRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


# ---------------------------------------------------------------------------- reading a file


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
        raise SeriesRefused(_capped(errors, file_name))
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


def _capped(errors: list[RowError], file_name: str) -> list[RowError]:
    if len(errors) <= MAX_LISTED_ERRORS:
        return errors
    more = RowError(
        file_name,
        None,
        "",
        "",
        N_("More problems than listed: the first %(listed)s are shown; mend them and try again."),
        {"listed": MAX_LISTED_ERRORS},
    )
    return [*errors[:MAX_LISTED_ERRORS], more]


# ------------------------------------------------------------------------- a token API payload


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
            str(item.get("unit", "")) or _si_unit(sensor),
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
        raise SeriesRefused(_capped(errors, name))
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


def _si_unit(sensor: Sensor) -> str:
    return accepted_units(sensor.dimension)[0]


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


# ------------------------------------------------------------------------------------ writing


def write(readings: Readings, batch_id: int | None, file_name: str) -> int:
    """Write `readings` in the caller's transaction; returns how many rows were new.

    A reading already stored with the same value is skipped (a retried append is harmless);
    with another value it is refused, naming the row and field. Then one binary COPY, then the
    hourly summaries of the touched sensors and hours are rebuilt from the table.
    """
    readings, had_stored = _without_stored(readings, file_name)
    if len(readings) == 0:
        return 0
    first_us, last_us = int(readings.times_us.min()), int(readings.times_us.max())
    ensure_partitions(_year(first_us), _year(last_us))
    order = np.lexsort((readings.times_us, readings.sensor_ids))  # BRIN likes sorted blocks
    sensor_ids, times_us, values = (
        readings.sensor_ids[order],
        readings.times_us[order],
        readings.values[order],
    )
    _copy(sensor_ids, times_us, values, batch_id)
    _summarize_brin(_year(first_us), _year(last_us))
    if had_stored:  # hours shared with stored readings: rebuilt from the table
        refresh_hours(np.unique(sensor_ids).tolist(), first_us, last_us)
    else:  # hours of new readings only: summed here, not read back
        _insert_hours(sensor_ids, times_us, values)
    return len(readings)


def _summarize_brin(first_year: int, last_year: int) -> None:
    """Summarise the BRIN ranges the COPY filled: PostgreSQL leaves ranges past the last
    summarised one unsummarised (matched by every query) until a vacuum reaches them."""
    with connection.cursor() as cursor:
        for year in range(first_year, last_year + 1):
            cursor.execute(
                "SELECT brin_summarize_new_values(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE i.indrelid = %s::regclass AND a.amname = 'brin'",
                [f"monitoring_reading_y{year:04d}"],
            )


def _insert_hours(sensor_ids: np.ndarray, times_us: np.ndarray, values: np.ndarray) -> None:
    """Hourly summaries of readings sorted by (sensor, time), none of whose hours exist yet."""
    hours = times_us // 3_600_000_000
    starts = np.flatnonzero(
        np.concatenate(([True], (np.diff(sensor_ids) != 0) | (np.diff(hours) != 0)))
    )
    counts = np.diff(np.append(starts, len(values)))
    rows = zip(
        sensor_ids[starts].tolist(),
        (_utc_hour(h) for h in hours[starts].tolist()),
        counts.tolist(),
        np.minimum.reduceat(values, starts).tolist(),
        np.maximum.reduceat(values, starts).tolist(),
        np.add.reduceat(values, starts).tolist(),
        strict=True,
    )
    with connection.cursor() as wrapper:
        sql = (
            "COPY monitoring_readinghour (sensor_id, hour, count, minimum, maximum, total) "
            "FROM STDIN"
        )
        with wrapper.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _utc_hour(hour: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(hour * 3600, tz=dt.UTC)


def _year(time_us: int) -> int:
    return dt.datetime.fromtimestamp(time_us / 1e6, tz=dt.UTC).year


def ensure_partitions(first_year: int, last_year: int) -> None:
    """One partition per calendar year (UTC) of the readings table, made when first needed."""
    with connection.cursor() as cursor:
        for year in range(first_year, last_year + 1):
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS monitoring_reading_y{year:04d} "
                "PARTITION OF monitoring_reading FOR VALUES "
                f"FROM ('{year:04d}-01-01 00:00+00') TO ('{year + 1:04d}-01-01 00:00+00')"
            )


def _copy(
    sensor_ids: np.ndarray, times_us: np.ndarray, values: np.ndarray, batch: int | None
) -> None:
    """COPY … FROM STDIN (FORMAT BINARY), the rows built by numpy, not one by one."""
    dtype = _COPY_ROW if batch is not None else _COPY_ROW_NO_BATCH
    rows = np.empty(len(values), dtype=dtype)
    rows["fields"] = 4 if batch is not None else 3
    rows["sensor_len"], rows["sensor"] = 8, sensor_ids
    rows["time_len"], rows["time"] = 8, times_us - _PG_EPOCH_US
    rows["value_len"], rows["value"] = 8, values
    if batch is not None:
        rows["batch_len"], rows["batch"] = 8, batch
    columns = "sensor_id, observed_at, value" + (", batch_id" if batch is not None else "")
    chunk = 1_000_000
    with connection.cursor() as wrapper:
        raw = wrapper.cursor
        with raw.copy(f"COPY monitoring_reading ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(_COPY_HEADER)
            for start in range(0, len(rows), chunk):
                copy.write(rows[start : start + chunk].tobytes())
            copy.write(_COPY_TRAILER)


def _without_stored(readings: Readings, file_name: str) -> tuple[Readings, bool]:
    """Drop readings already stored with the same value; refuse ones stored with another.
    Also says whether any reading is stored in the hours the new ones fall in.

    Only the stored readings at the new ones' own times are read (a join on the keys), so an
    import that shares an hour with a stored year does not read that year."""
    if len(readings) == 0:
        return readings, False
    first_us, last_us = int(readings.times_us.min()), int(readings.times_us.max())
    hour_us = 3_600_000_000
    sensor_ids = np.unique(readings.sensor_ids).tolist()
    span = [
        sensor_ids,
        (first_us // hour_us) * hour_us / 1e6,
        (last_us // hour_us + 1) * hour_us / 1e6,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM monitoring_reading WHERE sensor_id = ANY(%s) "
            "AND observed_at >= to_timestamp(%s) AND observed_at < to_timestamp(%s))",
            span,
        )
        if not cursor.fetchone()[0]:
            return readings, False
        cursor.execute(
            "SELECT k.i, r.value FROM unnest(%s::bigint[], %s::bigint[]) "
            "WITH ORDINALITY AS k(s, t, i) JOIN monitoring_reading r ON r.sensor_id = k.s "
            "AND r.observed_at = 'epoch'::timestamptz + k.t * interval '1 microsecond' "
            "WHERE r.sensor_id = ANY(%s) "
            "AND r.observed_at >= to_timestamp(%s) AND r.observed_at < to_timestamp(%s)",
            [readings.sensor_ids.tolist(), readings.times_us.tolist(), *span],
        )
        stored = {int(i) - 1: v for i, v in cursor.fetchall()}  # position → stored value
    codes = dict(Sensor.objects.filter(pk__in=sensor_ids).values_list("pk", "code"))
    keep = np.ones(len(readings), bool)
    errors = []
    for i, old in sorted(stored.items()):
        keep[i] = False
        s, v = int(readings.sensor_ids[i]), float(readings.values[i])
        if not np.isclose(old, v, rtol=1e-9, atol=1e-12):
            errors.append(
                RowError(
                    file_name,
                    int(readings.rows[i]) if len(readings.rows) else None,
                    codes.get(s, str(s)),
                    repr(v),
                    N_("A different value is already stored for this time (%(stored)s, SI)."),
                    {"stored": f"{old:.6g}"},
                )
            )
    if errors:
        raise SeriesRefused(_capped(errors, file_name))
    kept = Readings(
        readings.sensor_ids[keep],
        readings.times_us[keep],
        readings.values[keep],
        readings.rows[keep] if len(readings.rows) else readings.rows,
        readings.fields,
        readings.row_count,
    )
    return kept, True


def refresh_hours(sensor_ids: Sequence[int], first_us: int, last_us: int) -> None:
    """Rebuild the hourly summaries of `sensor_ids` for the hours that hold [first, last]."""
    start = dt.datetime.fromtimestamp(first_us / 1e6, tz=dt.UTC).replace(
        minute=0, second=0, microsecond=0
    )
    end = dt.datetime.fromtimestamp(last_us / 1e6, tz=dt.UTC) + dt.timedelta(hours=1)
    end = end.replace(minute=0, second=0, microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM monitoring_readinghour WHERE sensor_id = ANY(%s) "
            "AND hour >= %s AND hour < %s",
            [list(sensor_ids), start, end],
        )
        cursor.execute(
            "INSERT INTO monitoring_readinghour (sensor_id, hour, count, minimum, maximum, total) "
            "SELECT sensor_id, date_trunc('hour', observed_at AT TIME ZONE 'UTC') "
            "AT TIME ZONE 'UTC', count(*), min(value), max(value), sum(value) "
            "FROM monitoring_reading WHERE sensor_id = ANY(%s) "
            "AND observed_at >= %s AND observed_at < %s GROUP BY 1, 2",
            [list(sensor_ids), start, end],
        )


def delete_batch(
    batch_id: int, sensor_ids: Sequence[int], first: dt.datetime, last: dt.datetime
) -> int:
    """Remove a batch's readings (rollback) and rebuild the summaries they were in."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM monitoring_reading WHERE batch_id = %s AND sensor_id = ANY(%s) "
            "AND observed_at BETWEEN %s AND %s",
            [batch_id, list(sensor_ids), first, last],
        )
        deleted = cursor.rowcount
        refresh_hours(sensor_ids, int(first.timestamp() * 1e6), int(last.timestamp() * 1e6))
    return deleted


# ------------------------------------------------------------------------------------ reading


@dataclass
class PlotSeries:
    """Bucketed series: bucket start times (UTC, ISO), mean, min and max per bucket (SI)."""

    sensor: str
    unit: str
    bucket_s: float
    source: str  # "raw" or "hourly"
    times: list[str]
    mean: list[float]
    minimum: list[float]
    maximum: list[float]


RAW_LIMIT = 50_000  # readings a plot reads raw; longer spans read the hourly summaries


def plot_series(
    sensor: Sensor, start: dt.datetime, end: dt.datetime, points: int = 1500
) -> PlotSeries:
    """At most `points` buckets of [start, end): mean, min and max each, so peaks survive
    downsampling. Short spans bucket the raw readings, long ones the hourly summaries."""
    span_s = max((end - start).total_seconds(), 1.0)
    expected_raw = span_s / max(sensor.interval_s, 1)
    hourly = expected_raw > RAW_LIMIT
    bucket_s = max(span_s / max(points, 1), 3600.0 if hourly else float(sensor.interval_s))
    if hourly:
        sql = (
            "SELECT floor(extract(epoch FROM hour) / %(b)s) * %(b)s AS t, "
            "sum(total) / sum(count), min(minimum), max(maximum) "
            "FROM monitoring_readinghour WHERE sensor_id = %(s)s "
            "AND hour >= %(start)s AND hour < %(end)s GROUP BY 1 ORDER BY 1"
        )
    else:
        sql = (
            "SELECT floor(extract(epoch FROM observed_at) / %(b)s) * %(b)s AS t, "
            "avg(value), min(value), max(value) FROM monitoring_reading "
            "WHERE sensor_id = %(s)s AND observed_at >= %(start)s AND observed_at < %(end)s "
            "GROUP BY 1 ORDER BY 1"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"b": bucket_s, "s": sensor.pk, "start": start, "end": end})
        rows = cursor.fetchall()
    return PlotSeries(
        sensor.code,
        _si_unit(sensor),
        bucket_s,
        "hourly" if hourly else "raw",
        [dt.datetime.fromtimestamp(float(t), tz=dt.UTC).isoformat() for t, *_ in rows],
        [float(r[1]) for r in rows],
        [float(r[2]) for r in rows],
        [float(r[3]) for r in rows],
    )


def daily_totals(
    system: GroundSourceSystem, first: dt.date, last: dt.date
) -> dict[str, dict[dt.date, tuple[float, int]]]:
    """Per sensor code, per local day of the region: (sum SI, readings) from the hourly
    summaries. Summed quantities (energies, run times, volumes) are used as sums; states
    (temperatures, heads) as sum / readings."""
    zone = system.region.time_zone
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.code, (h.hour AT TIME ZONE %(z)s)::date AS day, sum(h.total), sum(h.count) "
            "FROM monitoring_readinghour h JOIN monitoring_sensor s ON s.id = h.sensor_id "
            "WHERE s.system_id = %(system)s "
            "AND (h.hour AT TIME ZONE %(z)s)::date BETWEEN %(first)s AND %(last)s "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            {"z": zone, "system": system.pk, "first": first, "last": last},
        )
        out: dict[str, dict[dt.date, tuple[float, int]]] = {}
        for code, day, total, count in cursor.fetchall():
            out.setdefault(code, {})[day] = (float(total), int(count))
    return out
