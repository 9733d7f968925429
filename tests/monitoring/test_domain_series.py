"""The monitoring domain on series: period COP and SCOP, run time, the backwash simulation and
counter, roles over time, clogging indicators, meter disagreement, freeze runs. Numbers are
from the case files or hand calculations written next to them. Pure: no database.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.lib.units import celsius_to_kelvin, joules_to_kwh, kwh_to_joules
from monitoring.domain import backwash, balance, freeze, open_loop, performance
from monitoring.domain.timebase import hours_to_s, s_to_hours, sustained_intervals
from tests.cases import case

H = 3600.0


def _dt(*stamps: str) -> np.ndarray:
    return np.array(stamps, dtype="datetime64[s]")


# --- performance -----------------------------------------------------------------------------

TIMES = _dt("2021-08-11T10:00", "2021-08-11T11:00", "2021-08-12T10:00", "2021-09-01T10:00")
HEAT = kwh_to_joules([6, 6, 8, 9])
HP = kwh_to_joules([1, 2, 2, 3])
PRIMARY = kwh_to_joules([0.5, 0, 0, 0])
WELL = kwh_to_joules([0.5, 0, 0, 1])
INDOOR = kwh_to_joules([0, 0, 2, 0])


def test_daily_cop_is_a_ratio_of_the_days_sums() -> None:
    # 08-11: 12 / 3 = 4; 08-12: 8 / 2 = 4; 09-01: 9 / 3 = 3
    days, cop = performance.cop_by_period(TIMES, HEAT, HP, "day")
    assert [str(d) for d in days] == ["2021-08-11", "2021-08-12", "2021-09-01"]
    assert cop.tolist() == pytest.approx([4.0, 4.0, 3.0])


def test_monthly_and_seasonal_cop_sum_before_dividing() -> None:
    # August: 20 / 5 = 4; September: 9 / 3 = 3
    months, cop = performance.cop_by_period(TIMES, HEAT, HP, "month")
    assert [str(m) for m in months] == ["2021-08", "2021-09"]
    assert cop.tolist() == pytest.approx([4.0, 3.0])
    # season b (08-12..09-30): (8 + 9) / (2 + 3) = 3.4, not the mean of 4 and 3
    seasons = {"a": ("2021-08-11", "2021-08-11"), "b": ("2021-08-12", "2021-09-30")}
    names, cop = performance.cop_by_period(TIMES, HEAT, HP, seasons)
    assert names.tolist() == ["a", "b"]
    assert cop.tolist() == pytest.approx([4.0, 3.4])


def test_daily_scop_adds_the_pumps_and_optionally_the_indoor_units() -> None:
    # 08-11: 12 / (3 + 0.5 + 0.5) = 3; 08-12: 8 / 2 = 4, with indoor units 8 / (2 + 2) = 2
    _, without = performance.scop_by_period(TIMES, HEAT, HP, PRIMARY, WELL, period="day")
    _, with_indoor = performance.scop_by_period(
        TIMES, HEAT, HP, PRIMARY, WELL, INDOOR, include_indoor_units=True, period="day"
    )
    assert without.tolist() == pytest.approx([3.0, 4.0, 9 / 4])
    assert with_indoor.tolist() == pytest.approx([3.0, 2.0, 9 / 4])


def test_the_indoor_toggle_without_indoor_energy_is_refused() -> None:
    with pytest.raises(ValueError, match="indoor"):
        performance.scop(1.0, 1.0, 1.0, 1.0, include_indoor_units=True)


def test_run_time_counts_the_steps_of_running_samples() -> None:
    # 1-min steps, on for samples 0, 1, 3 → 3 min
    assert performance.run_time_s(np.arange(6) * 60.0, [1, 1, 0, 1, 0, 0]) == 180.0


def test_time_averaged_part_load_differs_from_the_totals_based_one() -> None:
    # running steps at 10 and 20 kW of 30 kW: mean 15 / 30 = 0.5
    assert performance.part_load_ratio_time_averaged(
        [10e3, 20e3, 0.0], [True, True, False], 30e3
    ) == pytest.approx(0.5)


def test_a_mean_of_ratios_is_not_a_ratio_of_sums() -> None:
    # 6/1 and 4/2: mean of ratios 4, ratio of sums 10/3 (openloop-etv.md §9 #6)
    assert performance.mean_of_ratios([6, 4], [1, 2]) == pytest.approx(4.0)
    assert float(performance.cop(10, 3)) == pytest.approx(10 / 3)


def test_hx_approach_averages_only_the_running_steps() -> None:
    # running: 290 − 289 = 1, 291 − 289.5 = 1.5 → 1.25 K; the stopped step is ignored
    approach = performance.hx_approach_k([290, 291, 300], [289, 289.5, 250], [1, 1, 0])
    assert approach == pytest.approx(1.25)


def test_formula_3_adds_power_in_heating_and_subtracts_it_in_cooling() -> None:
    # tbl 7-3: cooling 4,204 − 677 = 3,527 kWh; heating 5,175 + 1,424 = 6,599 kWh
    cooling = performance.heat_produced_j("cooling", kwh_to_joules(4204), kwh_to_joules(677))
    heating = performance.heat_produced_j("heating", kwh_to_joules(5175), kwh_to_joules(1424))
    assert float(joules_to_kwh(cooling)) == pytest.approx(3527)
    assert float(joules_to_kwh(heating)) == pytest.approx(6599)


def test_electricity_and_co2_saved_against_the_baseline() -> None:
    # cooling: 3,541 / 3.3 − 905.4 = 1,073.03 − 905.4 = 167.63 kWh; × 0.5 kg/kWh = 83.8 kg
    saved = performance.electricity_saved_j(
        kwh_to_joules(3541), kwh_to_joules(905.4), performance.BASELINE_SCOP["cooling"]
    )
    assert float(joules_to_kwh(saved)) == pytest.approx(167.63, abs=0.01)
    kg_per_j = 0.5 / float(kwh_to_joules(1))
    assert float(performance.co2_saved_kg(saved, kg_per_j)) == pytest.approx(83.82, abs=0.01)


def test_period_days_refuse_a_period_that_ends_before_it_starts() -> None:
    # openloop-etv.md §9 #4: "10/29～1/18" printed for 10/29–11/18 must not pass silently
    with pytest.raises(ValueError, match="before"):
        performance.period_days("2021-10-29", "2021-01-18")


# --- backwash --------------------------------------------------------------------------------


def test_the_default_program_is_yokkaichis() -> None:
    program = backwash.BackwashProgram()
    # 48 h = 72 − 24; 100 L/min × 50 min = 5 m³; 5 × 10 + 4 × 10 min = 90 min
    assert program.manage_s == 48 * H
    assert program.volume_m3 == pytest.approx(5.0)
    assert program.duration_s == 90 * 60


def test_a_season_of_continuous_running_backwashes_every_three_days() -> None:
    # reset 08-02 03:00: 48 h at 08-04 03:00 → backwash 08-05 03:00 (72 h). The counter
    # restarts after the 90-min pattern, 04:30: 48 h at 08-07 04:30 → 08-08 03:00 (70.5 h);
    # again 08-11 03:00 (70.5 h); then 19.5 h to 08-12 00:00, below 48 h: no fourth.
    events = backwash.simulate_season(
        _dt("2021-08-02T03:00", "2021-08-12T00:00").reshape(1, 2), np.datetime64("2021-08-02T03:00")
    )
    assert [str(e.backwash_at) for e in events] == [
        "2021-08-05T03:00:00",
        "2021-08-08T03:00:00",
        "2021-08-11T03:00:00",
    ]
    assert [s_to_hours(e.cumulative_run_s) for e in events] == pytest.approx([72, 70.5, 70.5])
    assert all(e.within_window for e in events)


def test_reaching_t_manage_exactly_at_a_stop_crosses_it_when_the_next_run_starts() -> None:
    # 48 h run stops exactly at 48 h; the next run at 08-04 08:00 exceeds it → backwash
    # 08-05 03:00 with 48 + 1 = 49 h
    intervals = _dt(
        "2021-08-02T03:00", "2021-08-04T03:00", "2021-08-04T08:00", "2021-08-04T09:00"
    ).reshape(2, 2)
    result = backwash.schedule(intervals, np.datetime64("2021-08-02T03:00"))
    assert result is not None
    assert str(result.threshold_crossed_at) == "2021-08-04T08:00:00"
    assert s_to_hours(result.cumulative_run_s) == pytest.approx(49)
    only_48_h = intervals[:1]
    assert backwash.schedule(only_48_h, np.datetime64("2021-08-02T03:00")) is None


def test_a_counter_reset_just_after_midnight_lets_continuous_running_pass_t_max() -> None:
    # reset 00:30: 48 h at 08-04 00:30 → backwash 08-05 03:00 = 74.5 h > 72 h
    result = backwash.schedule(
        _dt("2021-08-02T00:30", "2021-08-09T00:00").reshape(1, 2),
        np.datetime64("2021-08-02T00:30"),
    )
    assert result is not None
    assert s_to_hours(result.cumulative_run_s) == pytest.approx(74.5)
    assert result.within_window is False


def test_the_schedule_takes_float_seconds_too() -> None:
    # continuous from 0 s (1970-01-01 00:00): 48 h at day 2 00:00 → backwash day 3 03:00 = 75 h
    result = backwash.schedule(np.array([[0.0, 10 * 86400.0]]), 0.0)
    assert result is not None
    assert result.backwash_at == pytest.approx(3 * 86400 + 3 * H)
    assert result.within_window is False


def test_the_run_counter_restarts_at_each_backwash() -> None:
    # hourly, always running, backwash at 3 h: [1, 2, 3] h, then [1, 2, 3] h again
    cumulative = backwash.cumulative_run_since_reset_s(np.arange(6) * H, [True] * 6, [3 * H])
    assert (cumulative / H).tolist() == [1, 2, 3, 1, 2, 3]
    no_reset = backwash.cumulative_run_since_reset_s(np.arange(3) * H, [True, False, True], [])
    assert (no_reset / H).tolist() == [1, 1, 2]


# --- open loop -------------------------------------------------------------------------------


def test_flow_state_volumes_are_flow_times_step_per_state() -> None:
    # 60-s steps: circulation 2 × 40 L/min × 1 min = 80 L; backwash 100 L
    flow = backwash.l_per_min_to_m3_per_s([40, 40, 100, 0])
    volumes = open_loop.flow_state_volumes_m3(
        flow, 60.0, ["circulation", "circulation", "backwash_drainage", "idle"]
    )
    assert volumes["circulation"] == pytest.approx(0.08)
    assert volumes["backwash_drainage"] == pytest.approx(0.1)
    assert volumes["forced_drainage"] == 0.0


ASSIGNMENTS = case("openloop_etv.csv", "ETV-T27").inputs["role_assignments"]


def test_role_swaps_start_on_08_19_and_pause_in_the_mid_winter_no_swap_run() -> None:
    swaps = [str(d) for d in open_loop.role_swaps(ASSIGNMENTS)]
    assert swaps[0] == "2021-08-19"  # no swap to 08-18 (tbl 7-1)
    assert not [d for d in swaps if "2021-12-14" <= d <= "2022-01-17"]  # tbl 7-7 no swap
    # 8 swaps 08-19..10-08, 4 in 11-19..12-07, 4 in 01-18..02-04 (tbl 7-1/7-2)
    assert len(swaps) == 16


def test_a_wells_role_is_resolved_at_query_time() -> None:
    times = _dt("2021-06-30T12:00", "2021-08-18T12:00", "2021-08-20T12:00")
    roles = open_loop.role_of_well(ASSIGNMENTS, "Y-3", times)
    assert roles.tolist() == [None, "reinjection", "pumping"]


def test_a_head_with_the_wrong_sign_for_its_role_is_caught() -> None:
    assert open_loop.head_sign_matches_role([0.3, -0.2], ["pumping", "reinjection"]).tolist() == [
        False,
        False,
    ]


def test_forced_drainage_for_weeks_is_suspected_clogging() -> None:
    assert open_loop.clogging_status_from_forced_drainage([0, 1, 0]) == "forced_drainage"
    assert (
        open_loop.clogging_status_from_forced_drainage([0, 1, 1, 1], sustained_days=3)
        == "clogging_suspected"
    )


def test_a_sudden_rise_of_the_reinjection_level_is_found() -> None:
    # a week at 0.5 m; then 0.52 (+0.02, median of the week 0.5) and 0.9 (+0.4 > 0.2)
    levels = [0.5] * 7 + [0.52, 0.9]
    assert np.flatnonzero(open_loop.sudden_rise(levels, rise_m=0.2)).tolist() == [8]
    indicator = open_loop.clogging_indicator(0.0, 100.0, levels, rise_m=0.2)
    assert indicator["forced_drainage_share"] == 0.0
    assert indicator["reinjection_level_change_m"] == pytest.approx(0.4)
    assert indicator["sudden_rise_days"].tolist() == [8]
    assert indicator["clogging"] is True


def test_a_day_without_positive_heads_has_no_reinjection_level() -> None:
    times = _dt("2021-11-26T12:00", "2021-11-26T12:30")
    summary = open_loop.daily_level_summary(times, [-0.2, np.nan])
    assert np.isnan(summary["reinjection_level_m"][0])
    assert summary["pumping_level_m"][0] == pytest.approx(-0.2)
    assert summary["n_used"][0] == 1


# --- energy balance --------------------------------------------------------------------------


def test_the_source_water_meter_is_the_one_that_disagrees_at_yokkaichi() -> None:
    # tbl 7-3 cooling: Q_well 5,775; Q_1 4,204; Q_HP + W_HP = 4,218 (HP side and Q_1 agree)
    def kwh(*values: float) -> list[float]:
        return [float(kwh_to_joules(v)) for v in values]

    assert balance.disagreeing_meter("cooling", *kwh(5775, 4204, 3541, 677)) == "source_water"
    # heating: 3,857; 5,175; 6,554 − 1,424 = 5,130 (−0.9 %)
    assert balance.disagreeing_meter("heating", *kwh(3857, 5175, 6554, 1424)) == "source_water"
    assert balance.disagreeing_meter("cooling", *kwh(4204, 4204, 3541, 677)) is None
    # 1,000 / 2,000 / 3,000: no two agree
    assert balance.disagreeing_meter("cooling", *kwh(1000, 2000, 2000, 1000)) == "inconclusive"


def test_a_day_whose_meters_disagree_is_flagged() -> None:
    # day 1: 2 vs 2 kWh; day 2: 2 vs 3 kWh → (2 − 3) / 3 = −33 %
    times = _dt("2021-08-11T10:00", "2021-08-11T11:00", "2021-08-12T10:00", "2021-08-12T11:00")
    result = balance.balance_by_period(
        times, kwh_to_joules([1, 1, 1, 1]), kwh_to_joules([1, 1, 1, 2])
    )
    assert result["rel_diff"].tolist() == pytest.approx([0.0, -1 / 3])
    assert result["flag"].tolist() == [False, True]


# --- freeze ----------------------------------------------------------------------------------


def test_a_freeze_alert_reports_its_interval_and_minimum_in_the_times_kind() -> None:
    # half-hourly 1, −1, −2, −1, 1 °C: 00:30 to 02:00 at or below 0 °C, 1.5 h ≥ 1 h
    times = np.datetime64("2021-01-10T00:00") + np.arange(5) * np.timedelta64(30, "m")
    alerts = freeze.freeze_alerts(times, celsius_to_kelvin([1, -1, -2, -1, 1]), hours_to_s(1))
    assert len(alerts) == 1
    assert str(alerts[0].start) == "2021-01-10T00:30:00"
    assert str(alerts[0].end) == "2021-01-10T02:00:00"
    assert alerts[0].min_temperature_k == pytest.approx(float(celsius_to_kelvin(-2)))
    assert alerts[0].duration_s == 1.5 * H


def test_a_missing_value_or_a_logger_gap_breaks_a_freezing_run() -> None:
    # hourly −1, −1, NaN, −1, −1 °C: two runs of 2 h, none of 3 h
    temps = celsius_to_kelvin([-1, -1, np.nan, -1, -1])
    assert freeze.freeze_alerts(np.arange(5) * H, temps, 3 * H) == []
    assert freeze.longest_freezing_run_s(np.arange(5) * H, temps) == 2 * H
    # samples at 0, 1, 2 h then 10, 11 h: runs of 3 h (0 to 2 h + one step) and 2 h
    gap_times = np.array([0, 1, 2, 10, 11]) * H
    runs = sustained_intervals(gap_times, [True] * 5, step_s=H)
    assert [r.duration_s / H for r in runs] == [3, 2]
    assert freeze.freeze_alerts(gap_times, celsius_to_kelvin([-1] * 5), 4 * H, step_s=H) == []


def test_an_unknown_heat_medium_is_not_guessed() -> None:
    with pytest.raises(KeyError):
        freeze.heat_medium_warnings("water_with_secret_additive")


def test_each_borehole_gets_the_status_of_its_nearest_neighbour() -> None:
    # a at 0, b at 3 m, c at 10 m: a and b are 3 m apart (warning), c is 7 m from b (ok)
    assert freeze.borehole_spacing_status([[0, 0], [3, 0], [10, 0]]) == [
        "warning",
        "warning",
        "ok",
    ]
