"""Alert rules as data, evaluated on numpy series. Pure: the Django layer stores the rule dicts,
loads the series and translates the messages.

A rule is a dict with a "kind"; `series` maps a quantity name to (times, values), times as
local datetime64 or float s. Each kind names the quantities it reads (defaults below; a rule
may override them). Kinds:

- "threshold": {"sensor_quantity", "op" (<, <=, >, >=), "value" or "value_<unit>",
  "sustained_s" (default 0)} — the value held for at least sustained_s.
- "freeze": {"sensor_quantity", "window_s"} — at or below 0 °C for the window
  (MOE-GL4-2024 §3.2(4), GL-T20; `freeze.freeze_alerts`).
- "backwash_overdue": {"t_max_s" (default 72 h)} — HP run time since the last backwash above
  T_max (ETV-052-2101 §3.3(4)); reads "hp_running" and "backwash" (event times).
- "energy_balance": {"tolerance", "period" (day | month)} — two heat meters disagree
  (inferred from ETV-052-2101 Table 7-3); reads "source_water_heat" vs "primary_heat" (J per step).
- "cop_below": {"value", "period", "metric" (cop | scop), "include_indoor_units"} — period COP
  or SCOP as a ratio of sums below the value (ETV-052-2101 tbl 7-3 ⑲ ⑳).
- "flow_state": {"states" (default ["undefined", "forced_drainage"])} — control-signal
  combinations to report (ETV-052-2101 tbl 5-8); reads "hp_running", "pump_running",
  "drain_running" on one time axis.

Every finding carries an English message with named {params}; `Finding.text()` fills them in.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from monitoring.domain import backwash, balance, freeze, open_loop, timebase

Series = Mapping[str, tuple[ArrayLike, ArrayLike]]

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
SEVERITIES = ("info", "warning", "alert")
DEFAULT_SEVERITY = {
    "threshold": "warning",
    "freeze": "alert",  # MOE-GL4-2024 §10.3 severity "alert" (inferred)
    "backwash_overdue": "alert",
    "energy_balance": "warning",
    "cop_below": "warning",
    "flow_state": "warning",
}
DEFAULT_QUANTITIES = {
    "hp_running": "hp_running",
    "pump_running": "pump_running",
    "drain_running": "drain_running",
    "backwash": "backwash",
    "value_quantity": "source_water_heat",
    "reference_quantity": "primary_heat",
    "heat_quantity": "heat_produced",
    "hp_quantity": "hp_energy",
    "primary_pump_quantity": "primary_pump_energy",
    "well_pump_quantity": "well_pump_energy",
    "indoor_quantity": "indoor_energy",
}

MESSAGES = {
    "threshold": "{quantity} stayed {op} {value} {unit} for {duration_h} h (extreme {extreme})",
    "freeze": "{quantity} stayed at or below 0 °C for {duration_h} h (minimum {minimum_c} °C)",
    "backwash_overdue": (
        "The heat pump ran {run_h} h since the last backwash, more than the {t_max_h} h limit"
    ),
    "energy_balance": (
        "{value_quantity} differs from {reference_quantity} by {rel_diff_pct} % "
        "(tolerance {tolerance_pct} %)"
    ),
    "cop_below": "{metric} for {period_label} was {actual}, below {value}",
    "flow_state": "Flow state {state} for {duration_min} min",
}


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: [start, end) in the series' time kind, a severity, and an
    English message with named parameters (translated by the Django layer)."""

    kind: str
    start: Any
    end: Any
    severity: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return self.message.format(**self.params)


def same_episode(episode_start: Any, episode_end: Any | None, start: Any, end: Any | None) -> bool:
    """Whether a finding [start, end) is the episode [episode_start, episode_end) seen again
    (an end of None: still going on). An alert's identity is its rule, system and episode:
    one condition is reported once, however the look-back window cuts it. A finding cut by
    the window starts later than the episode it belongs to, but overlaps it; episodes that
    only touch (one day's forced drainage, then the next day's) are two.

    Times are any ordered kind (datetimes, datetime64, seconds)."""
    starts_before_it_ends = episode_end is None or start < episode_end
    ends_after_it_starts = end is None or end > episode_start
    return starts_before_it_ends and ends_after_it_starts


def validate_rule(rule: Mapping[str, Any]) -> list[str]:
    """Problems with a rule dict, as English sentences (empty when it can be evaluated)."""
    kind = rule.get("kind")
    if kind not in DEFAULT_SEVERITY:
        return [f"unknown rule kind {kind!r}; use one of {', '.join(DEFAULT_SEVERITY)}"]
    errors = []
    if rule.get("severity", DEFAULT_SEVERITY[kind]) not in SEVERITIES:
        errors.append(f"severity must be one of {', '.join(SEVERITIES)}")
    if kind in ("threshold", "freeze") and not rule.get("sensor_quantity"):
        errors.append("sensor_quantity is required")
    if kind == "threshold":
        if rule.get("op") not in OPERATORS:
            errors.append(f"op must be one of {', '.join(OPERATORS)}")
        if len(_value_keys(rule)) != 1:
            errors.append('give exactly one "value" or "value_<unit>"')
    if kind == "freeze" and not float(rule.get("window_s", 0)) > 0:
        errors.append("window_s must be positive")
    if kind in ("energy_balance", "cop_below") and rule.get("period", "day") not in (
        "day",
        "month",
    ):
        errors.append('period must be "day" or "month"')
    if kind == "cop_below":
        if "value" not in rule:
            errors.append("value is required")
        if rule.get("metric", "cop") not in ("cop", "scop"):
            errors.append('metric must be "cop" or "scop"')
    return errors


def evaluate(rule: Mapping[str, Any], series: Series) -> list[Finding]:
    """The findings of one rule on the series (ValueError on an invalid rule, KeyError when a
    quantity it reads is missing)."""
    errors = validate_rule(rule)
    if errors:
        raise ValueError("; ".join(errors))
    return _EVALUATORS[rule["kind"]](rule, series)


def evaluate_all(rules: Sequence[Mapping[str, Any]], series: Series) -> list[Finding]:
    """Every rule's findings, in rule order."""
    return [finding for rule in rules for finding in evaluate(rule, series)]


# --- evaluators ------------------------------------------------------------------------------


def _value_keys(rule: Mapping[str, Any]) -> list[str]:
    return [k for k in rule if k == "value" or k.startswith("value_")]


# the unit part of "value_<unit>" as printed in a message
UNIT_SYMBOLS = {"k": "K", "w": "W", "j": "J", "s": "s", "m": "m", "m3_per_s": "m³/s", "": ""}


def _unit_symbol(value_key: str) -> str:
    suffix = value_key.removeprefix("value").removeprefix("_")
    return UNIT_SYMBOLS.get(suffix, suffix)


def _quantity(rule: Mapping[str, Any], key: str) -> str:
    return str(rule.get(key, DEFAULT_QUANTITIES[key]))


def _severity(rule: Mapping[str, Any]) -> str:
    return str(rule.get("severity", DEFAULT_SEVERITY[rule["kind"]]))


def _hours(seconds: float) -> float:
    return round(seconds / timebase.SECONDS_PER_HOUR, 1)


def _threshold(rule: Mapping[str, Any], series: Series) -> list[Finding]:
    quantity = rule["sensor_quantity"]
    times, raw = series[quantity]
    values = np.asarray(raw, dtype=np.float64)
    key = _value_keys(rule)[0]
    limit = float(rule[key])
    compare = OPERATORS[rule["op"]]
    with np.errstate(invalid="ignore"):
        mask = compare(values, limit) & np.isfinite(values)
    template = np.asarray(times)
    findings = []
    for run in timebase.sustained_intervals(times, mask, float(rule.get("sustained_s", 0.0))):
        part = values[run.first : run.stop]
        extreme = part.min() if rule["op"] in ("<", "<=") else part.max()
        start, end = timebase.like([run.start_s, run.end_s], template)
        findings.append(
            Finding(
                "threshold",
                start,
                end,
                _severity(rule),
                MESSAGES["threshold"],
                {
                    "quantity": quantity,
                    "op": rule["op"],
                    "value": limit,
                    "unit": _unit_symbol(key),
                    "duration_h": _hours(run.duration_s),
                    "extreme": round(float(extreme), 3),
                },
            )
        )
    return findings


def _freeze(rule: Mapping[str, Any], series: Series) -> list[Finding]:
    quantity = rule["sensor_quantity"]
    times, values = series[quantity]
    return [
        Finding(
            "freeze",
            alert.start,
            alert.end,
            _severity(rule),
            MESSAGES["freeze"],
            {
                "quantity": quantity,
                "duration_h": _hours(alert.duration_s),
                "minimum_c": round(alert.min_temperature_k - freeze.FREEZING_K, 2),
            },
        )
        for alert in freeze.freeze_alerts(
            times, values, float(rule["window_s"]), step_s=rule.get("step_s")
        )
    ]


def _backwash_overdue(rule: Mapping[str, Any], series: Series) -> list[Finding]:
    t_max_s = float(rule.get("t_max_s", backwash.BackwashProgram().t_max_s))
    times, running = series[_quantity(rule, "hp_running")]
    backwash_times = series.get(_quantity(rule, "backwash"), (np.empty(0), np.empty(0)))[0]
    cumulative = backwash.cumulative_run_since_reset_s(times, running, backwash_times)
    template = np.asarray(times)
    findings = []
    for run in timebase.sustained_intervals(times, cumulative > t_max_s):
        start, end = timebase.like([run.start_s, run.end_s], template)
        findings.append(
            Finding(
                "backwash_overdue",
                start,
                end,
                _severity(rule),
                MESSAGES["backwash_overdue"],
                {
                    "run_h": _hours(float(cumulative[run.stop - 1])),
                    "t_max_h": _hours(t_max_s),
                },
            )
        )
    return findings


def _period_end(label: np.datetime64) -> np.datetime64:
    unit = str(np.datetime_data(label.dtype)[0])  # the label's own unit, known only at run time
    end: np.datetime64 = label + np.timedelta64(1, unit)  # type: ignore[call-overload]
    return end


def _as_template(label: np.datetime64, template: NDArray[Any]) -> Any:
    seconds = timebase.as_seconds(np.asarray([label]))
    return timebase.like(seconds, template)[0]


def _energy_balance(rule: Mapping[str, Any], series: Series) -> list[Finding]:
    value_name = _quantity(rule, "value_quantity")
    reference_name = _quantity(rule, "reference_quantity")
    tolerance = float(rule.get("tolerance", balance.DEFAULT_TOLERANCE))
    period = rule.get("period", "day")
    labels, value = timebase.sum_by_bucket(*series[value_name], period)
    ref_labels, reference = timebase.sum_by_bucket(*series[reference_name], period)
    common, in_value, in_reference = np.intersect1d(labels, ref_labels, return_indices=True)
    checked = balance.source_side_balance(value[in_value], reference[in_reference], tolerance)
    template = np.asarray(series[value_name][0])
    findings = []
    for label, rel_diff, flag in zip(common, checked["rel_diff"], checked["flag"], strict=True):
        if not flag:
            continue
        findings.append(
            Finding(
                "energy_balance",
                _as_template(label, template),
                _as_template(_period_end(label), template),
                _severity(rule),
                MESSAGES["energy_balance"],
                {
                    "value_quantity": value_name,
                    "reference_quantity": reference_name,
                    "rel_diff_pct": round(float(rel_diff) * 100, 1),
                    "tolerance_pct": round(tolerance * 100, 1),
                    "period_label": str(label),
                },
            )
        )
    return findings


def _cop_below(rule: Mapping[str, Any], series: Series) -> list[Finding]:
    period = rule.get("period", "day")
    metric = rule.get("metric", "cop")
    names = ["heat_quantity", "hp_quantity"]
    if metric == "scop":
        names += ["primary_pump_quantity", "well_pump_quantity"]
        if rule.get("include_indoor_units", False):
            names.append("indoor_quantity")
    sums = [timebase.sum_by_bucket(*series[_quantity(rule, n)], period) for n in names]
    common = sums[0][0]
    for labels, _ in sums[1:]:
        common = np.intersect1d(common, labels)
    aligned = [values[np.searchsorted(labels, common)] for labels, values in sums]
    heat, energy = aligned[0], np.sum(aligned[1:], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(energy > 0, heat / energy, np.nan)
    limit = float(rule["value"])
    template = np.asarray(series[_quantity(rule, "heat_quantity")][0])
    return [
        Finding(
            "cop_below",
            _as_template(label, template),
            _as_template(_period_end(label), template),
            _severity(rule),
            MESSAGES["cop_below"],
            {
                "metric": metric.upper(),
                "period_label": str(label),
                "actual": round(float(value), 2),
                "value": limit,
            },
        )
        for label, value in zip(common, ratio, strict=True)
        if np.isfinite(value) and value < limit
    ]


def _flow_state(rule: Mapping[str, Any], series: Series) -> list[Finding]:
    times, hp = series[_quantity(rule, "hp_running")]
    _, pump = series[_quantity(rule, "pump_running")]
    _, drain = series[_quantity(rule, "drain_running")]
    states = open_loop.classify_flow_state(hp, pump, drain)
    template = np.asarray(times)
    findings = []
    for state in rule.get("states", ["undefined", "forced_drainage"]):
        for run in timebase.sustained_intervals(times, states == state):
            start, end = timebase.like([run.start_s, run.end_s], template)
            findings.append(
                Finding(
                    "flow_state",
                    start,
                    end,
                    _severity(rule),
                    MESSAGES["flow_state"],
                    {"state": state, "duration_min": round(run.duration_s / 60, 1)},
                )
            )
    return sorted(findings, key=lambda f: timebase.as_seconds(np.asarray([f.start]))[0])


_EVALUATORS: dict[str, Callable[[Mapping[str, Any], Series], list[Finding]]] = {
    "threshold": _threshold,
    "freeze": _freeze,
    "backwash_overdue": _backwash_overdue,
    "energy_balance": _energy_balance,
    "cop_below": _cop_below,
    "flow_state": _flow_state,
}
