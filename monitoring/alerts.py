"""Alert rules as data, evaluated on the systems' recent series (Celery beat, every
MONITORING_ALERT_INTERVAL_S): each rule kind reads what it needs, asks monitoring.domain, and
the findings become Alert rows, e-mailed once to the region's stewards. An alert is one
episode of one rule on one system (and subject: a sensor, a check): a finding that overlaps an
alert already raised continues it (monitoring.domain.rules.same_episode), so a condition the
look-back window cuts is never reported again with a later start.

Rule kinds and their parameters (SI; a system's `settings` override them where named):
- freeze: closed loop. A ground or fluid temperature at or below `threshold_k` (273.15) for at
  least `window_s` (settings.freeze_window_s; GL-T20).
- cop_below: the daily COP under `value` for at least `days` consecutive days.
- energy_balance: a period whose heat-exchanger balance misses by more than `tolerance`
  (inferred from ETV-052-2101 Table 7-3): a sensor disagrees.
- backwash_overdue: open loop. Heat-pump run time since the last detected backwash day over
  `max_s` (settings.backwash_max_s; ETV-052-2101 §3.3(4): 72 h).
- forced_drainage: open loop. Any forced drainage (ETV §7.5: a clogging sign).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from monitoring import services
from monitoring.domain import freeze, timebase
from monitoring.domain.rules import same_episode
from monitoring.models import Alert, AlertRule, GroundSourceSystem, Loop, Measures

logger = logging.getLogger(__name__)


@dataclass
class Finding:
    start: dt.datetime
    end: dt.datetime | None
    message: str  # msgid
    params: dict[str, Any] = field(default_factory=dict)
    subject: str = ""  # what within the rule: a sensor code, one of two checks


@dataclass
class Window:
    """What one evaluation looks at: the system's readings from `since` until `until`. The
    daily rows are read once and shared by the rules that need them."""

    system: GroundSourceSystem
    since: dt.datetime
    until: dt.datetime

    @cached_property
    def daily(self) -> list[services.DailyRow]:
        return services.daily_rows(self.system, self.since.date(), self.until.date())


def _setting(
    system: GroundSourceSystem, rule: AlertRule, key: str, setting: str, default: float
) -> float:
    return float((system.settings or {}).get(setting, rule.parameters.get(key, default)))


def _raw(
    system: GroundSourceSystem, measures: list[str], since: dt.datetime
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Raw readings since `since` per sensor code: (seconds since 1970, SI values)."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for sensor in system.sensors.filter(measures__in=measures):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT extract(epoch FROM observed_at), value FROM monitoring_reading "
                "WHERE sensor_id = %s AND observed_at >= %s ORDER BY observed_at",
                [sensor.pk, since],
            )
            rows = cursor.fetchall()
        if rows:
            data = np.asarray(rows, dtype=np.float64)
            out[sensor.code] = (data[:, 0], data[:, 1])
    return out


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _freeze(system: GroundSourceSystem, rule: AlertRule, window: Window) -> list[Finding]:
    if system.loop != Loop.CLOSED:
        return []
    window_s = _setting(system, rule, "window_s", "freeze_window_s", 86400.0)
    threshold_k = float(rule.parameters.get("threshold_k", freeze.FREEZING_K))
    found = []
    series = _raw(system, [Measures.GROUND_TEMPERATURE, Measures.FLUID_TEMPERATURE], window.since)
    for code, (seconds, values) in series.items():
        for alert in freeze.freeze_alerts(seconds, values, window_s, threshold_k):
            found.append(
                Finding(
                    _utc(float(alert.start)),
                    _utc(float(alert.end)),
                    N_(
                        "%(sensor)s stayed at or below %(threshold)s °C for %(hours)s h "
                        "(lowest %(lowest)s °C): the ground or the heat carrier may freeze."
                    ),
                    {
                        "sensor": code,
                        "threshold": round(threshold_k - 273.15, 2),
                        "hours": round(alert.duration_s / 3600, 1),
                        "lowest": round(alert.min_temperature_k - 273.15, 2),
                    },
                    subject=code,
                )
            )
    return found


def _local_midnight(system: GroundSourceSystem, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=system.zone)


def _cop_below(system: GroundSourceSystem, rule: AlertRule, window: Window) -> list[Finding]:
    value = float(rule.parameters.get("value", 3.0))
    min_days = int(rule.parameters.get("days", 3))
    rows = [r for r in window.daily if r.cop]
    starts, stops = timebase.true_runs([r.cop < value for r in rows])
    return [
        Finding(
            _local_midnight(system, rows[start].day),
            _local_midnight(system, rows[stop - 1].day) + dt.timedelta(days=1),
            N_("The daily COP stayed below %(value)s for %(days)s days (lowest %(worst)s)."),
            {
                "value": value,
                "days": int(stop - start),
                "worst": round(min(r.cop for r in rows[start:stop]), 2),
            },
        )
        for start, stop in zip(starts.tolist(), stops.tolist(), strict=True)
        if stop - start >= min_days
    ]


def _energy_balance(system: GroundSourceSystem, rule: AlertRule, window: Window) -> list[Finding]:
    tolerance = _setting(system, rule, "tolerance", "balance_tolerance", 0.02)
    found = []
    for row in services.period_rows(system, tolerance):
        checks = (
            (
                row.balance_flag,
                row.balance_rel_diff,
                N_(
                    "In %(period)s the heat-pump side does not balance: Q_HP ± W_HP misses the "
                    "primary heat Q_1 by %(percent)s %% (tolerance %(tolerance)s %%); check the "
                    "heat and electricity meters."
                ),
            ),
            (
                row.source_balance_flag,
                row.source_balance_rel_diff,
                N_(
                    "In %(period)s the groundwater heat differs from the primary heat Q_1 by "
                    "%(percent)s %% (tolerance %(tolerance)s %%): one of the two heat meters "
                    "across the plate heat exchanger disagrees."
                ),
            ),
        )
        # one alert per period and rule: the hours separate the two checks' start times
        for offset_h, (flag, rel_diff, message) in enumerate(checks):
            if flag:
                found.append(
                    Finding(
                        _local_midnight(system, row.period.start_date)
                        + dt.timedelta(hours=offset_h),
                        _local_midnight(system, row.period.end_date) + dt.timedelta(days=1),
                        message,
                        {
                            "period": row.period.name,
                            "percent": round(100 * (rel_diff or 0), 1),
                            "tolerance": round(100 * tolerance, 1),
                        },
                        subject=f"check-{offset_h}",
                    )
                )
    return found


def _backwash_overdue(system: GroundSourceSystem, rule: AlertRule, window: Window) -> list[Finding]:
    if system.loop != Loop.OPEN:
        return []
    max_s = _setting(system, rule, "max_s", "backwash_max_s", 72 * 3600.0)
    min_excess_s = float(rule.parameters.get("min_excess_s", 0.5 * 3600))
    # run time since the last backwash day, counted day by day (a backwash resets the count)
    since_wash = 0.0
    overdue_from = None
    for row, was_washed in services.backwash_days(window.daily, min_excess_s):
        run_s = row.sums["hp_run_s"]
        since_wash = run_s if was_washed else since_wash + run_s
        if since_wash > max_s and overdue_from is None:
            overdue_from = row.day
        if was_washed:
            overdue_from = None if since_wash <= max_s else overdue_from
    if overdue_from is None:
        return []
    return [
        Finding(
            _local_midnight(system, overdue_from),
            None,
            N_(
                "The heat pump has run %(hours)s h since the last backwash, over the %(max)s h "
                "maximum: check the automatic backwash of the reinjection well."
            ),
            {"hours": round(since_wash / 3600, 1), "max": round(max_s / 3600, 1)},
        )
    ]


def _forced_drainage(system: GroundSourceSystem, rule: AlertRule, window: Window) -> list[Finding]:
    if system.loop != Loop.OPEN:
        return []
    found = []
    for row in window.daily:
        volume = row.sums.get("forced_drainage_m3", 0.0)
        if volume > float(rule.parameters.get("min_m3", 0.0)):
            found.append(
                Finding(
                    _local_midnight(system, row.day),
                    _local_midnight(system, row.day) + dt.timedelta(days=1),
                    N_(
                        "%(volume)s m³ was drained by force on %(day)s: the reinjection well "
                        "may be clogging."
                    ),
                    {"volume": round(volume, 3), "day": row.day.isoformat()},
                )
            )
    return found


def _clogging(system: GroundSourceSystem, rule: AlertRule, window: Window) -> list[Finding]:
    """A sudden rise of the reinjection level against the observation well (ETV §7.5(2))."""
    if system.loop != Loop.OPEN:
        return []
    rise_m = float(rule.parameters.get("rise_m", 0.5))
    baseline_days = int(rule.parameters.get("baseline_days", 7))
    first = window.since.date() - dt.timedelta(days=baseline_days)
    rows = services.well_days(
        system, first, window.until.date(), rise_m, baseline_days, daily=window.daily
    )
    runs: list[list[services.WellDay]] = []
    for row in rows:  # consecutive days of rise are one finding
        if not row.sudden_rise or row.day < window.since.date():
            continue
        if runs and (row.day - runs[-1][-1].day).days == 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return [
        Finding(
            _local_midnight(system, run[0].day),
            _local_midnight(system, run[-1].day) + dt.timedelta(days=1),
            N_(
                "From %(day)s the reinjection level rose to %(level)s m above the observation "
                "well, more than %(rise)s m over the week before, for %(days)s days: the "
                "reinjection well may be clogging."
            ),
            {
                "day": run[0].day.isoformat(),
                "level": round(max(r.reinjection_level_m or 0 for r in run), 2),
                "rise": rise_m,
                "days": len(run),
            },
        )
        for run in runs
    ]


KINDS: dict[str, Callable[[GroundSourceSystem, AlertRule, Window], list[Finding]]] = {
    "freeze": _freeze,
    "cop_below": _cop_below,
    "energy_balance": _energy_balance,
    "backwash_overdue": _backwash_overdue,
    "forced_drainage": _forced_drainage,
    "clogging": _clogging,
}


def evaluate_system(system: GroundSourceSystem, now: dt.datetime | None = None) -> list[Alert]:
    """Evaluate the system's rules over the look-back window; returns the new alerts."""
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=settings.MONITORING_ALERT_LOOKBACK_S)
    window = Window(system, since, now)
    new = []
    for rule in AlertRule.objects.for_system(system):
        check = KINDS.get(rule.kind)
        if check is None:
            logger.warning("alert rule %s has an unknown kind %r", rule.pk, rule.kind)
            continue
        for finding in check(system, rule, window):
            alert, created = _record(system, rule, finding)
            if created:
                new.append(alert)
    return new


def _record(system: GroundSourceSystem, rule: AlertRule, finding: Finding) -> tuple[Alert, bool]:
    """The alert of the finding's episode, continued (its end moved on), or a new one."""
    with transaction.atomic():
        candidates = Alert.objects.select_for_update().filter(
            system=system, rule=rule, subject=finding.subject
        )
        if finding.end is not None:
            candidates = candidates.filter(started_at__lt=finding.end)
        for alert in candidates.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=finding.start)):
            if not same_episode(alert.started_at, alert.ended_at, finding.start, finding.end):
                continue
            alert.severity = rule.severity
            if finding.end is None or alert.ended_at is None:
                alert.ended_at = finding.end
            else:
                alert.ended_at = max(alert.ended_at, finding.end)
            if finding.start <= alert.started_at:  # the whole episode in view: its numbers
                alert.started_at = finding.start
                alert.message, alert.params = finding.message, finding.params
            alert.save()
            return alert, False
        alert = Alert.objects.create(
            system=system,
            rule=rule,
            subject=finding.subject,
            started_at=finding.start,
            ended_at=finding.end,
            severity=rule.severity,
            message=finding.message,
            params=finding.params,
        )
        return alert, True


def evaluate_all() -> int:
    """Every system; new alerts are e-mailed. Returns how many alerts are new."""
    count = 0
    for system in GroundSourceSystem.objects.select_related("region"):
        try:
            new = evaluate_system(system)
        except Exception:  # one system's bad data must not stop the others' alerts
            logger.exception("alert evaluation failed for system %s", system.pk)
            continue
        count += len(new)
        notify(system)
    return count


def alert_text(alert: Alert) -> str:
    return gettext(alert.message) % alert.params


# The names of the default rules (migration 0003) as msgids: shown in the reader's language.
# A rule a steward or an admin adds is shown as they named it.
DEFAULT_RULE_NAMES = (
    N_("Freeze risk (GL-T20)"),
    N_("Backwash overdue (ETV-052-2101)"),
    N_("Forced drainage (clogging)"),
    N_("Reinjection level rising (clogging)"),
    N_("Heat balance does not close"),
    N_("Low daily COP"),
)


def rule_name(rule: AlertRule) -> str:
    """The rule's name in the active language where it is one of the default rules."""
    return gettext(rule.name) if rule.name in DEFAULT_RULE_NAMES else rule.name


def notify(system: GroundSourceSystem) -> int:
    """E-mail the system's unsent alerts to its region's stewards (in the region's language)."""
    pending = list(system.alerts.filter(notified_at__isnull=True).select_related("rule"))
    if not pending:
        return 0
    recipients = list(
        User.objects.filter(groups=system.region.steward_group, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        with translation.override(system.region.default_language or "en"):
            lines = [
                f"- [{alert.get_severity_display()}] {rule_name(alert.rule)}: {alert_text(alert)}"
                for alert in pending
            ]
            subject = gettext("GroundHeat Atlas: %(count)s new alerts for %(system)s") % {
                "count": len(pending),
                "system": system.name,
            }
            path = reverse("monitoring:system", args=[system.region.code, system.code])
            body = "\n".join([*lines, "", settings.SITE_URL.rstrip("/") + path])
        send_mail(subject, body, None, recipients)
    Alert.objects.filter(pk__in=[a.pk for a in pending]).update(notified_at=timezone.now())
    return len(pending)
