"""Reading a series back: a span for a plot, downsampled (raw readings for short spans, the
hourly summaries for long ones), and daily totals for the ETV tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from monitoring.models import GroundSourceSystem, Sensor
from monitoring.series.readings import si_unit


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
        si_unit(sensor),
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
