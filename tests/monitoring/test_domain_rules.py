"""Alert rules as data: each kind on small series with hand-checked findings, the messages
filled from their named parameters, and refusals of bad rules. Pure: no database."""

from __future__ import annotations

import numpy as np
import pytest

from core.lib.units import celsius_to_kelvin, kwh_to_joules
from monitoring.domain import rules
from tests.cases import case

H = 3600.0
DAY = 86400.0


def _gl_t20_series() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    # GL-T20: daily 1, 0, −0.5, −0.2, 0, 0.5 °C; days 1–4 at or below 0 °C = 96 h
    inputs = case("guideline.csv", "GL-T20").inputs
    temps = celsius_to_kelvin(inputs["temps_c"])
    return {"ground_temperature": (np.arange(temps.size) * DAY, temps)}


def test_a_threshold_held_long_enough_is_one_finding() -> None:
    rule = {
        "kind": "threshold",
        "sensor_quantity": "ground_temperature",
        "op": "<=",
        "value_k": 273.15,
        "sustained_s": 259200,  # 72 h
    }
    [finding] = rules.evaluate(rule, _gl_t20_series())
    assert (finding.start, finding.end) == (1 * DAY, 5 * DAY)
    assert finding.severity == "warning"
    assert finding.params["duration_h"] == 96.0
    assert finding.params["extreme"] == pytest.approx(272.65)  # −0.5 °C
    assert finding.text() == ("ground_temperature stayed <= 273.15 K for 96.0 h (extreme 272.65)")
    assert rules.evaluate({**rule, "sustained_s": 120 * H}, _gl_t20_series()) == []


def test_the_freeze_rule_is_an_alert_with_the_lowest_temperature() -> None:
    rule = {"kind": "freeze", "sensor_quantity": "ground_temperature", "window_s": 72 * H}
    [finding] = rules.evaluate(rule, _gl_t20_series())
    assert finding.severity == "alert"
    assert finding.params["minimum_c"] == pytest.approx(-0.5)
    assert "96.0 h" in finding.text()


def test_running_past_t_max_since_the_last_backwash_is_overdue() -> None:
    # hourly, always running, backwash at 10 h: at the end of sample i ≥ 10 the counter is
    # i − 9 h, above 72 h from sample 82 on; the last sample (99) ends at 90 h
    times = np.arange(100) * H
    series = {
        "hp_running": (times, np.ones(100, dtype=bool)),
        "backwash": (np.array([10 * H]), np.array([1.0])),
    }
    [finding] = rules.evaluate({"kind": "backwash_overdue", "t_max_s": 72 * H}, series)
    assert (finding.start, finding.end) == (82 * H, 100 * H)
    assert finding.params == {"run_h": 90.0, "t_max_h": 72.0}


def test_a_day_whose_heat_meters_disagree_breaks_the_energy_balance() -> None:
    # day 1: 10 vs 10 kWh; day 2: 13.7 vs 10 kWh (+37 %, the Yokkaichi source side)
    times = np.array(["2021-08-11T12:00", "2021-08-12T12:00"], dtype="datetime64[s]")
    series = {
        "source_water_heat": (times, kwh_to_joules([10, 13.7])),
        "primary_heat": (times, kwh_to_joules([10, 10])),
    }
    [finding] = rules.evaluate({"kind": "energy_balance", "tolerance": 0.02}, series)
    assert str(finding.start) == "2021-08-12T00:00:00"
    assert str(finding.end) == "2021-08-13T00:00:00"
    assert finding.params["rel_diff_pct"] == 37.0
    assert finding.text() == (
        "source_water_heat differs from primary_heat by 37.0 % (tolerance 2.0 %)"
    )


def test_a_day_with_cop_below_the_value_is_reported_and_scop_adds_the_pumps() -> None:
    # day 1: 30 / 10 = 3.0 (not below 3.0); day 2: 25 / 10 = 2.5
    times = np.array(["2021-08-11T12:00", "2021-08-12T12:00"], dtype="datetime64[s]")
    series = {
        "heat_produced": (times, kwh_to_joules([30, 25])),
        "hp_energy": (times, kwh_to_joules([10, 10])),
        "primary_pump_energy": (times, kwh_to_joules([1, 1])),
        "well_pump_energy": (times, kwh_to_joules([1, 1])),
    }
    [finding] = rules.evaluate({"kind": "cop_below", "value": 3.0, "period": "day"}, series)
    assert finding.params["period_label"] == "2021-08-12"
    assert finding.params["actual"] == 2.5
    # SCOP: 30 / 12 = 2.5 and 25 / 12 = 2.08, both below 3.0
    scop_rule = {"kind": "cop_below", "value": 3.0, "metric": "scop"}
    assert [f.params["actual"] for f in rules.evaluate(scop_rule, series)] == [2.5, 2.08]


def test_undefined_control_signals_and_forced_drainage_are_reported() -> None:
    # minutes: circulation, HP without pump (undefined), forced drainage ×2, idle
    times = np.arange(5) * 60.0
    series = {
        "hp_running": (times, np.array([1, 1, 1, 1, 0], dtype=bool)),
        "pump_running": (times, np.array([1, 0, 1, 1, 0], dtype=bool)),
        "drain_running": (times, np.array([0, 0, 1, 1, 0], dtype=bool)),
    }
    findings = rules.evaluate({"kind": "flow_state"}, series)
    assert [(f.params["state"], f.start, f.end) for f in findings] == [
        ("undefined", 60.0, 120.0),
        ("forced_drainage", 120.0, 240.0),
    ]
    assert findings[1].text() == "Flow state forced_drainage for 2.0 min"


def test_rules_are_evaluated_in_order() -> None:
    series = _gl_t20_series()
    freeze_rule = {"kind": "freeze", "sensor_quantity": "ground_temperature", "window_s": DAY}
    warm_rule = {
        "kind": "threshold",
        "sensor_quantity": "ground_temperature",
        "op": ">",
        "value_k": 273.5,
        "severity": "info",
    }
    kinds = [f.kind for f in rules.evaluate_all([freeze_rule, warm_rule], series)]
    assert kinds == ["freeze", "threshold", "threshold"]  # 1 °C on day 0, 0.5 °C on day 5


def test_bad_rules_are_refused_with_reasons() -> None:
    assert rules.validate_rule({"kind": "telepathy"})[0].startswith("unknown rule kind")
    errors = rules.validate_rule({"kind": "threshold", "sensor_quantity": "x", "op": "=="})
    assert errors == [
        "op must be one of <, <=, >, >=",
        'give exactly one "value" or "value_<unit>"',
    ]
    assert rules.validate_rule({"kind": "cop_below", "value": 3, "period": "week"}) == [
        'period must be "day" or "month"'
    ]
    with pytest.raises(ValueError, match="window_s"):
        rules.evaluate({"kind": "freeze", "sensor_quantity": "t"}, {})
