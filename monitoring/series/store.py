"""Storing a series: readings written with one binary COPY into the year-partitioned table
(partitions made as needed), readings already stored at the same times refused or skipped, and
the hourly summaries kept in step; a batch's readings deleted on rollback. One transaction: a
refused write leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from django.db import connection, transaction
from django.utils.translation import gettext_noop as N_

from ingest.errors import RowError
from monitoring.models import Sensor
from monitoring.series.readings import Readings, SeriesRefused, capped

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
        raise SeriesRefused(capped(errors, file_name))
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
