"""Monitoring services: series imports and appends, the ETV performance tables, rollback.

Thin: the checks and writes are in monitoring.series, the formulas in monitoring.domain.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from core.models import Job
from ingest.errors import RefusedFile, RowError
from ingest.models import ImportBatch
from ingest.service import create_batch
from monitoring import series
from monitoring.domain import backwash, balance, open_loop, performance
from monitoring.models import (
    SERIES_KIND,
    GroundSourceSystem,
    Measures,
    MonitoringPeriod,
    SeriesImport,
    WellRole,
)

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------ imports


def create_series_batch(
    system: GroundSourceSystem, upload: UploadedFile, user: Any | None
) -> tuple[ImportBatch, Job]:
    """Store a series file as a pending batch of the system's region, with its Job."""
    batch, job = create_batch(system.region, SERIES_KIND, upload, user)
    job.kind = "monitoring-import"
    job.save(update_fields=["kind"])
    SeriesImport.objects.create(batch=batch, system=system)
    return batch, job


def import_series_job(job: Job) -> None:
    """Job service: read, check and write a series batch, all or nothing."""
    batch = ImportBatch.objects.select_related("region", "series__system__region").get(
        pk=job.target_id
    )
    record = batch.series
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.VALIDATING)
    job.set_progress(0.1, N_("Reading the file"))
    try:
        with batch.file.open("rb") as handle:
            data = handle.read()
        readings = series.parse_file(data, batch.file_name, record.system)
        job.set_progress(0.5, N_("Writing the rows"))
        with transaction.atomic():
            written = series.write(readings, batch.pk, batch.file_name)
            record.first_at = _utc(int(readings.times_us.min()))
            record.last_at = _utc(int(readings.times_us.max()))
            record.reading_count = written
            record.save()
            batch.state = ImportBatch.State.IMPORTED
            batch.row_count = readings.row_count
            batch.created_count = written
            batch.unchanged_count = len(readings) - written
            batch.errors, batch.warnings = [], []
            batch.finished_at = timezone.now()
            batch.save()
    except RefusedFile as exc:
        _reject(batch, [exc.error])
        job.set_progress(1.0, N_("Refused: nothing was written."))
    except series.SeriesRefused as exc:
        _reject(batch, exc.errors)
        job.set_progress(1.0, N_("Refused: nothing was written."))


def _reject(batch: ImportBatch, errors: list[RowError]) -> None:
    batch.state = ImportBatch.State.REJECTED
    batch.keep_errors(errors, [])
    batch.finished_at = timezone.now()
    batch.save()


def _utc(time_us: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(time_us / 1e6, tz=dt.UTC)


def append(system: GroundSourceSystem, payload: Any) -> int:
    """Token API: check a payload whole, then write it; returns how many readings were new.
    SeriesRefused names each bad item (row = its 1-based position) and field."""
    readings = series.parse_payload(payload, system)
    with transaction.atomic():
        return series.write(readings, None, "request")


def rollback_readings(batch: ImportBatch) -> int:
    """Delete exactly the readings a series batch wrote (the series kind's rollback hook)."""
    record = SeriesImport.objects.filter(batch=batch).first()
    if record is None or record.first_at is None or record.last_at is None:
        return 0
    sensor_ids = list(record.system.sensors.values_list("pk", flat=True))
    return series.delete_batch(batch.pk, sensor_ids, record.first_at, record.last_at)


# --------------------------------------------------------------------- performance (ETV)

# Which measured quantity feeds which column of the period table (ETV-052-2101 tbl 7-3).
_COLUMNS = {
    Measures.HP_HEAT: "heat_j",
    Measures.HP_ELECTRICITY: "hp_j",
    Measures.PRIMARY_PUMP_ELECTRICITY: "primary_pump_j",
    Measures.WELL_PUMP_ELECTRICITY: "well_pump_j",
    Measures.INDOOR_ELECTRICITY: "indoor_j",
    Measures.HP_RUN_TIME: "hp_run_s",
    Measures.WELL_PUMP_RUN_TIME: "well_pump_run_s",
    Measures.PRIMARY_HEAT: "primary_heat_j",
    Measures.WELL_HEAT: "well_heat_j",
    Measures.FORCED_DRAINAGE: "forced_drainage_m3",
}


@dataclass
class DailyRow:
    day: dt.date
    sums: dict[str, float] = field(default_factory=dict)
    cop: float | None = None
    scop: float | None = None
    part_load_ratio: float | None = None


@dataclass
class PeriodRow:
    """One column of ETV tbl 7-3: ①–⑳ for a period, SI, with the pass verdict of tbl 5-2."""

    period: MonitoringPeriod
    days: int
    period_s: float
    sums: dict[str, float]
    operating_ratio: float | None
    mean_power_w: dict[str, float | None]
    total1_j: float
    total2_j: float
    cop: float | None
    scop: float | None
    scop_with_indoor_units: float | None
    part_load_ratio: float | None
    passes: bool | None
    balance_rel_diff: float | None
    balance_flag: bool | None
    source_balance_rel_diff: float | None
    source_balance_flag: bool | None


def _ratio(numerator: float, denominator: float) -> float | None:
    if not denominator or not np.isfinite(denominator) or not np.isfinite(numerator):
        return None
    return float(numerator / denominator)


def daily_rows(system: GroundSourceSystem, first: dt.date, last: dt.date) -> list[DailyRow]:
    """Daily COP, SCOP (ETV formulas 6, 7) and PLR from the day's energy sums (local days)."""
    totals = series.daily_totals(system, first, last)
    by_measure = {s.code: Measures(s.measures) for s in system.sensors.all()}
    days: dict[dt.date, DailyRow] = {}
    for code, per_day in totals.items():
        column = _COLUMNS.get(by_measure.get(code))  # type: ignore[arg-type]
        if column is None:
            continue
        for day, (total, _count) in per_day.items():
            row = days.setdefault(day, DailyRow(day))
            row.sums[column] = row.sums.get(column, 0.0) + total
    for row in days.values():
        s = row.sums
        row.cop = _ratio(s.get("heat_j", np.nan), s.get("hp_j", np.nan))
        denominator = s.get("hp_j", np.nan) + s.get("primary_pump_j", 0) + s.get("well_pump_j", 0)
        row.scop = _ratio(s.get("heat_j", np.nan), denominator)
        mode = _mode_on(system, row.day)
        rated = system.rated_capacity_w(mode) if mode else None
        if rated and s.get("hp_run_s"):
            row.part_load_ratio = float(
                performance.part_load_ratio(s.get("heat_j", np.nan), s["hp_run_s"], rated)
            )
    return [days[d] for d in sorted(days)]


def _mode_on(system: GroundSourceSystem, day: dt.date) -> str | None:
    for period in system.periods.all():
        if period.start_date <= day <= period.end_date:
            return period.mode
    return None


def period_rows(system: GroundSourceSystem, balance_tolerance: float = 0.02) -> list[PeriodRow]:
    """ETV tbl 7-3 for each of the system's periods: ratio of sums, never a mean of ratios."""
    rows = []
    for period in system.periods.all():
        daily = daily_rows(system, period.start_date, period.end_date)
        sums: dict[str, float] = {}
        for day in daily:
            for key, value in day.sums.items():
                sums[key] = sums.get(key, 0.0) + value
        days = int(performance.period_days(period.start_date, period.end_date, period.missing_days))
        period_s = float(performance.period_duration_s(days))
        run_s = sums.get("hp_run_s", 0.0)
        heat, hp = sums.get("heat_j", 0.0), sums.get("hp_j", 0.0)
        primary, well, indoor = (
            sums.get("primary_pump_j", 0.0),
            sums.get("well_pump_j", 0.0),
            sums.get("indoor_j", 0.0),
        )
        totals = performance.period_totals(hp, primary, well, indoor)
        scop = _ratio(heat, hp + primary + well)
        rated = system.rated_capacity_w(period.mode)
        balance_rel, balance_flag = _balance(period.mode, sums, balance_tolerance)
        source_rel, source_flag = _source_balance(sums, balance_tolerance)
        rows.append(
            PeriodRow(
                period=period,
                days=days,
                period_s=period_s,
                sums=sums,
                operating_ratio=_ratio(run_s, period_s) if run_s else None,
                mean_power_w={
                    key: _ratio(sums[key], run_s) if key in sums and run_s else None
                    for key in ("hp_j", "primary_pump_j", "well_pump_j", "indoor_j")
                },
                total1_j=float(totals["total1_j"]),
                total2_j=float(totals["total2_j"]),
                cop=_ratio(heat, hp),
                scop=scop,
                scop_with_indoor_units=_ratio(heat, hp + primary + well + indoor),
                part_load_ratio=_ratio(heat, run_s * rated) if rated and run_s else None,
                passes=(
                    bool(performance.passes_criterion(scop, period.criterion_scop))
                    if scop is not None and period.criterion_scop is not None
                    else None
                ),
                balance_rel_diff=balance_rel,
                balance_flag=balance_flag,
                source_balance_rel_diff=source_rel,
                source_balance_flag=source_flag,
            )
        )
    return rows


def _balance(
    mode: str, sums: dict[str, float], tolerance: float
) -> tuple[float | None, bool | None]:
    """Heat-exchanger balance (inferred from ETV-052-2101 Table 7-3): Q_HP ± W_HP against Q_1; a
    meter that disagrees by more than `tolerance` is flagged. None without the three sums."""
    if (
        not all(k in sums for k in ("heat_j", "hp_j", "primary_heat_j"))
        or not sums["primary_heat_j"]
    ):
        return None, None
    checked = balance.hx_energy_balance(
        mode, sums["primary_heat_j"], sums["heat_j"], sums["hp_j"], tolerance
    )
    return float(checked["rel_diff"]), not bool(checked["passes"])


def _source_balance(sums: dict[str, float], tolerance: float) -> tuple[float | None, bool | None]:
    """Source side across the plate heat exchanger: groundwater heat Q_well against Q_1
    (ETV-052-2101 Table 7-3, ETV-T34: +37 % cooling, −25 % heating in the report's own data)."""
    if not sums.get("well_heat_j") or not sums.get("primary_heat_j"):
        return None, None
    checked = balance.source_side_balance(sums["well_heat_j"], sums["primary_heat_j"], tolerance)
    return float(checked["rel_diff"]), bool(checked["flag"])


# ----------------------------------------------------------------- open-loop wells (ETV §7.5)


@dataclass
class WellDay:
    """One local day of the circulation wells, heads relative to the reference well (m)."""

    day: dt.date
    pumping_level_m: float | None
    reinjection_level_m: float | None
    sudden_rise: bool = False
    backwash_day: bool | None = None


def well_days(
    system: GroundSourceSystem,
    first: dt.date,
    last: dt.date,
    rise_m: float = 0.5,
    baseline_days: int = 7,
    min_excess_s: float = 1800.0,
    daily: list[DailyRow] | None = None,
) -> list[WellDay]:
    """Daily pumping and reinjection levels relative to the observation well (ETV-052-2101
    §7.5(2)): hourly means of each circulation well's head minus the reference head, the
    backwash hour 03:00–04:00 left out, positive values the reinjection level, negative the
    pumping level, so role swaps need no calendar. A reinjection level more than `rise_m`
    above the median of the previous `baseline_days` days is a sudden rise (clogging sign;
    threshold inferred). Backwash days from pump vs heat-pump hours (ETV-T30) are marked on
    `daily`, the caller's daily rows if it has read them, else on the days' rows read here."""
    heads = _hourly_heads(system, first, last)
    reference = _reference_well(system)
    circulation = {
        w.label for w in system.wells.all() if w.role in (WellRole.PUMPING, WellRole.REINJECTION)
    }
    heads = {k: v for k, v in heads.items() if k in circulation or k == reference}
    days: dict[dt.date, WellDay] = {}
    if reference in heads and len(heads) > 1:
        ref_times, ref_values = heads.pop(reference)
        times, relative = [], []
        for well_times, well_values in heads.values():
            common, mine, theirs = np.intersect1d(well_times, ref_times, return_indices=True)
            times.append(common)
            relative.append(open_loop.relative_head_m(well_values[mine], ref_values[theirs]))
        all_times = np.concatenate(times)
        summary = open_loop.daily_level_summary(all_times, np.concatenate(relative))
        rises = open_loop.sudden_rise(summary["reinjection_level_m"], rise_m, baseline_days)
        for index, day in enumerate(summary["days"].astype(dt.date)):
            days[day] = WellDay(
                day,
                _finite(summary["pumping_level_m"][index]),
                _finite(summary["reinjection_level_m"][index]),
                bool(rises[index]),
            )
    rows = daily_rows(system, first, last) if daily is None else daily
    for row, washed in backwash_days(rows, min_excess_s):
        days.setdefault(row.day, WellDay(row.day, None, None)).backwash_day = washed
    return [days[d] for d in sorted(days)]


def backwash_days(rows: list[DailyRow], min_excess_s: float) -> list[tuple[DailyRow, bool]]:
    """The days with both pump and heat-pump hours, each with whether it was a backwash day:
    the well pump ran at least `min_excess_s` longer (ETV-052-2101 appendix 2.1, ETV-T30)."""
    rows = [r for r in rows if "hp_run_s" in r.sums and "well_pump_run_s" in r.sums]
    washed = backwash.detect_backwash_days(
        [r.sums["well_pump_run_s"] for r in rows], [r.sums["hp_run_s"] for r in rows], min_excess_s
    )
    return list(zip(rows, washed.tolist(), strict=True))


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _reference_well(system: GroundSourceSystem) -> str | None:
    """The observation well heads are measured against: settings.reference_well, else the
    last-listed observation well (ETV: Y-K3, the farthest)."""
    if name := (system.settings or {}).get("reference_well"):
        return str(name)
    labels = [w.label for w in system.wells.all() if w.role == WellRole.OBSERVATION]
    return labels[-1] if labels else None


def _hourly_heads(
    system: GroundSourceSystem, first: dt.date, last: dt.date
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per well label: (local wall-clock hour starts as datetime64[s], mean head m)."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    sensors = system.sensors.filter(measures=Measures.GROUNDWATER_HEAD).exclude(well_label="")
    for sensor in sensors:
        rows = list(
            sensor.hours.filter(
                hour__date__gte=first - dt.timedelta(days=1),
                hour__date__lte=last + dt.timedelta(days=1),
            )
            .order_by("hour")
            .values_list("hour", "total", "count")
        )
        if not rows:
            continue
        local = [h.astimezone(system.zone).replace(tzinfo=None) for h, _t, _c in rows]
        keep = [first <= t.date() <= last for t in local]
        times = np.array([t for t, k in zip(local, keep, strict=True) if k], "datetime64[s]")
        means = np.array([t / c for (_h, t, c), k in zip(rows, keep, strict=True) if k])
        out[sensor.well_label] = (times, means)
    return out
