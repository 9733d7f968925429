"""Field-test analyses (pure domain) against the sources' cases and hand calculations."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from field_tests.domain import groundwater_flow, pumping, temperature_logs, trt, water_quality
from tests.cases import CASES_DIR, case

BEIER = CASES_DIR.parent.parent / "external" / "beier2011_sandbox_trt.txt"


@pytest.fixture(scope="module")
def beier() -> dict[str, np.ndarray]:
    return trt.parse_beier_text(BEIER.read_text())


def test_the_beier_file_parses_as_published(beier) -> None:
    c = case("methods.csv", "M-16")
    t = beier["time_s"]
    assert len(t) == c.expected["rows"]
    assert (t[0], t[-1]) == (c.expected["t_first_s"], c.expected["t_last_s"])
    steps = np.diff(t)
    assert (steps.min(), steps.max()) == (c.expected["dt_min_s"], c.expected["dt_max_s"])
    assert beier["heating_power_w"][0] == c.expected["p_first_kw"] * 1000


def test_the_ils_fit_recovers_a_synthetic_lambda_and_returns_its_window() -> None:
    c = case("methods.csv", "M-17")
    s = c.inputs["synthetic"]
    t = np.arange(s["t_start_s"], s["t_end_s"] + 1, s["dt_s"], dtype=float)
    fluid = s["q_w_per_m"] / (4 * math.pi * s["lambda_w_per_mk"]) * np.log(t) + s["intercept_c"]
    length = 100.0
    result = trt.ils_fit(
        t,
        fluid + 273.15,
        fluid + 273.15,
        np.full_like(t, s["q_w_per_m"] * length),
        length,
        tuple(c.inputs["window_s"]),
    )
    assert c.matches("lambda_w_per_mk", result.conductivity_w_per_m_k)
    assert c.matches("window_start_s", result.window_start_s)
    assert c.matches("window_end_s", result.window_end_s)


def test_the_fit_refuses_to_run_without_a_window(beier) -> None:
    c = case("methods.csv", "M-18")
    with pytest.raises(trt.TrtError) as refused:
        trt.ils_fit(
            beier["time_s"],
            beier["inlet_temperature_k"],
            beier["outlet_temperature_k"],
            beier["heating_power_w"],
            c.inputs["length_m"],
            None,
        )
    assert refused.value.field == "window_s"  # M-18: error "window_required"


def test_r_b_comes_back_from_a_forward_full_line_source_model() -> None:
    # Forward model (the ILS full form, Gehlin 2002) with λ 2.0, ρc 2.5e6, r_b 0.075, T0 285 K,
    # R_b 0.10 m·K/W, q 40 W/m; the fit must give back λ and R_b.
    lam, rho_c, r_b, t0, r_true, q = 2.0, 2.5e6, 0.075, 285.0, 0.10, 40.0
    alpha = lam / rho_c
    t = np.arange(3600.0, 72 * 3600.0, 600.0)
    fluid = q / (4 * math.pi * lam) * (np.log(4 * alpha * t / r_b**2) - 0.5772156649)
    fluid += q * r_true + t0
    result = trt.ils_fit(
        t, fluid, fluid, np.full_like(t, q * 50), 50.0, (10 * 3600.0, t[-1]), r_b, rho_c, t0
    )
    assert result.conductivity_w_per_m_k == pytest.approx(lam, rel=1e-9)
    assert result.borehole_resistance_m_k_per_w == pytest.approx(r_true, rel=1e-6)
    # Eskilson: 5 r_b²/α = 5 × 0.005625 / 8e-7 = 35 156 s ≈ 9.8 h, before the 10 h start
    assert result.eskilson_min_time_s == pytest.approx(35156.25)
    assert result.window_starts_before_eskilson is False


def test_the_beier_lambda_is_plausible_and_moves_with_the_window(beier) -> None:
    def fit(start_h: float) -> float:
        return trt.ils_fit(
            beier["time_s"],
            beier["inlet_temperature_k"],
            beier["outlet_temperature_k"],
            beier["heating_power_w"],
            18.32,
            (start_h * 3600, beier["time_s"][-1]),
        ).conductivity_w_per_m_k

    early, later, default, late = fit(2), fit(5), fit(12), fit(20)
    # Saturated sand: VDI 4640-1 gives about 1.7–5.0 W/(m·K) (literature); a sandbox of it.
    assert 2.0 < default < 3.5
    # The literature's warning (Gehlin 2002): an early start, still in the
    # borehole's own transient, underestimates λ; the estimate rises and then settles.
    assert early < later < default
    assert abs(late - default) / default < 0.02 < (default - early) / default


@pytest.mark.parametrize(
    ("change", "field"),
    [("time", "time_s"), ("power", "heating_power_w"), ("short", "window_s")],
)
def test_a_bad_series_is_refused_naming_the_field(beier, change, field) -> None:
    t, power = beier["time_s"].copy(), beier["heating_power_w"].copy()
    window = (12 * 3600.0, t[-1])
    if change == "time":
        t[100] = t[99]
    elif change == "power":
        power[50] = -1.0
    else:
        window = (t[-5], t[-1])  # four readings: too short for a fit
    with pytest.raises(trt.TrtError) as refused:
        trt.ils_fit(
            t, beier["inlet_temperature_k"], beier["outlet_temperature_k"], power, 18.32, window
        )
    assert refused.value.field == field
    assert str(refused.value)


@given(st.floats(0.8, 5.0), st.floats(20.0, 80.0))
def test_the_fit_is_exact_for_any_noise_free_line_source(lam: float, q: float) -> None:
    t = np.linspace(3600, 50 * 3600, 200)
    fluid = 283.0 + q / (4 * math.pi * lam) * np.log(t)
    result = trt.ils_fit(t, fluid, fluid, np.full_like(t, q * 100), 100.0, (7200.0, t[-1]))
    assert result.conductivity_w_per_m_k == pytest.approx(lam, rel=1e-7)


# Pumping tests: YOSHIOKA-2014 Table 6 and the Cooper–Jacob cases


def test_step_drawdowns_and_specific_capacity_of_the_yoshioka_step_test() -> None:
    drawdowns = case("yoshioka.csv", "YOS-T06")
    s = pumping.step_drawdowns_m(
        drawdowns.inputs["static_level_m"], drawdowns.inputs["pumping_levels_m"]
    )
    assert drawdowns.matches("drawdown_m", list(s))
    c = case("yoshioka.csv", "YOS-T07")
    q_m3_per_s = np.array(c.inputs["q_m3_per_d"]) / 86400
    sc = pumping.specific_capacity_m2_per_s(q_m3_per_s, c.inputs["drawdown_m"]) * 86400
    assert c.matches("specific_capacity_m3_per_d_per_m", list(sc))
    assert c.matches("specific_capacity_published", list(sc))


def test_the_step_trend_and_recovery_of_yoshioka() -> None:
    trend = case("yoshioka.csv", "YOS-T08")
    result = pumping.step_trend(trend.inputs["specific_capacity"])
    assert trend.matches("monotonic_decreasing", result["monotonic_decreasing"])
    assert trend.matches("max_relative_drop", result["max_relative_drop"])
    recovery = case("yoshioka.csv", "YOS-T12")
    ratio = pumping.recovery_ratio(recovery.inputs["drawdown_m"], recovery.inputs["recovered_m"])
    assert recovery.matches("ratio", list(ratio))


def test_the_cooper_jacob_pieces() -> None:
    assert case("methods.csv", "M-19").matches("coefficient", pumping.JACOB_COEFFICIENT)
    c = case("methods.csv", "M-22")
    t = pumping.jacob_transmissivity_m2_per_s(c.inputs["q_m3_per_s"], c.inputs["delta_s_m"])
    assert c.matches("t_m2_per_s", t)
    c = case("methods.csv", "M-23")
    s = pumping.jacob_storativity(c.inputs["t_m2_per_s"], c.inputs["t0_s"], c.inputs["r_m"])
    assert c.matches("storativity", s)
    c = case("methods.csv", "M-24")
    u = pumping.jacob_u(
        c.inputs["r_m"], c.inputs["storativity"], c.inputs["t_m2_per_s"], c.inputs["t_s"]
    )
    # the case prints u rounded to 8 decimals (0.00069444 for 1/1440): 6e-6 relative
    assert list(u) == pytest.approx(c.expected["u"], rel=1e-5)
    assert c.matches("valid", list(u < c.inputs["u_max"]))


def test_the_jacob_fit_reproduces_the_yoshioka_constant_rate_result() -> None:
    # YOSHIOKA-2014 §4-2-②: 80 L/min, Δs 0.8 m per log cycle after 100 min, H 11.85 m:
    # T = 0.18323 × 115.2 / 0.8 = 26.385 m²/d = 3.054e-4 m²/s (the report, with 0.183:
    # 26.35); k = T/H = 26.385 / 11.85 / 86400 = 2.577e-5 m/s (by hand).
    q = 80 / 60000
    t = np.arange(10, 481, 10) * 60.0
    level = 32.9 + 0.8 * np.log10(t / 20.0)  # a straight line of 0.8 m per cycle
    result = pumping.jacob_fit(
        t, level, np.full_like(t, q), 32.9, (100 * 60.0, t[-1]), aquifer_thickness_m=11.85
    )
    assert result.drawdown_per_log_cycle_m == pytest.approx(0.8)
    assert result.transmissivity_m2_per_s * 86400 == pytest.approx(26.385, abs=0.001)
    assert result.hydraulic_conductivity_m_per_s == pytest.approx(2.577e-5, rel=1e-3)
    assert result.t0_s == pytest.approx(20.0)
    assert result.window_start_s == 6000.0


def test_the_sustainable_rate_is_read_off_the_tested_curve() -> None:
    # Yoshioka steps: 47 L/min at s 2.5 m and 60 L/min at 3.6 m; 3.0 m lies between them:
    # 47 + (60 − 47) × (3.0 − 2.5)/(3.6 − 2.5) = 52.909 L/min (by hand)
    q = np.array([16, 47, 60, 81, 100]) / 60000
    s = np.array([0.7, 2.5, 3.6, 5.6, 7.6])
    assert pumping.sustainable_rate_m3_per_s(q, s, 3.0) * 60000 == pytest.approx(52.909, abs=1e-3)
    assert pumping.sustainable_rate_m3_per_s(q, s, 20.0) * 60000 == pytest.approx(100)  # no more


# Temperature logs and flow readings


def test_the_yoshioka_log_flags_cold_inflow_below_49_m() -> None:
    c = case("yoshioka.csv", "YOS-T40")
    depth = np.array(c.inputs["depth_m"], dtype=float)
    kelvin = np.array(c.inputs["temp_c"]) + 273.15
    gradient = temperature_logs.gradients_k_per_m(depth, kelvin)
    assert c.matches("gradient_k_per_m", float(gradient[0]))
    (flag,) = temperature_logs.inflow_flags(depth, kelvin)
    assert flag == {
        "top_m": 49.0,
        "bottom_m": 51.0,
        "gradient_k_per_m": pytest.approx(-0.5),
        "below_is": "colder",
    }


def test_an_interval_mean_is_the_trapezoid_mean() -> None:
    # 10 °C at 10 m, 12 °C at 20 m, 12 °C at 30 m → (11 × 10 + 12 × 10) / 20 = 11.5 °C
    mean = temperature_logs.interval_mean_k([10, 20, 30], [283.15, 285.15, 285.15], 10, 30)
    assert mean == pytest.approx(284.65)


@pytest.mark.parametrize("case_id", ["YOS-T14", "YOS-T15"])
def test_flow_readings_summarised_as_the_source_did(case_id: str) -> None:
    c = case("yoshioka.csv", case_id)
    readings = np.array(c.inputs["readings_deg_cm_per_min"])
    summary = groundwater_flow.summarise_readings(
        readings[:, 0], readings[:, 1] / 100 / 60, drop_first=c.inputs["drop_first"]
    )
    assert c.matches("direction_deg", summary["direction_deg"])
    assert c.matches("compass_8", summary["compass_8"])
    assert c.matches("max_velocity_cm_per_min", summary["max_velocity_m_per_s"] * 100 * 60)
    assert c.matches("n_used", summary["n_used"])


# Water chemistry


@pytest.mark.parametrize("case_id", ["M-25", "M-25b", "M-25c", "M-25d", "M-25e", "M-25f", "M-25g"])
def test_screening_semantics(case_id: str) -> None:
    c = case("methods.csv", case_id)
    value = water_quality.parse_reported(c.inputs["value"])
    assert c.matches("result", water_quality.screen_value(value, c.inputs["limit"]))


def test_the_limit_set_version_decides_a_borderline_ph() -> None:
    c = case("methods.csv", "M-27")
    results = []
    for name in c.inputs["sets"]:
        set_name, system = name.split(":")
        screened = water_quality.screen_sample({"ph": c.inputs["value"]}, set_name, system)
        (ph,) = [i for i in screened["items"] if i["item"] == "ph"]
        results.append(ph["result"])
    assert c.matches("result", results)


def test_the_yoshioka_sample_needs_an_intermediate_heat_exchanger() -> None:
    # YOSHIOKA-2014 Table 7 against its own printed once-through limits: SO₄ 62 > 50,
    # acid consumption 100 > 50, total hardness 150 > 70, Ca hardness 100 > 50, silica
    # 40 > 30 fail (standard); free CO₂ 17 > 4 fails (reference); pH 7.2 and EC 38.6 pass.
    sample = {
        "ph": 7.2,
        "electrical_conductivity": 38.6,
        "chloride": 16,
        "sulfate": 62,
        "acid_consumption": 100,
        "total_hardness": 150,
        "calcium_hardness": 100,
        "ionic_silica": 40,
        "iron": 1.0,
        "copper": ("<", 0.05),
        "sulfide": "nd",
        "ammonium": 0.5,
        "residual_chlorine": ("<", 0.1),
        "free_co2": 17,
    }
    result = water_quality.screen_sample(
        sample, "JRA-GL-02-1994/as-printed-YOSHIOKA-2014", "once_through"
    )
    assert sorted(result["standard_failures"]) == sorted(
        ["sulfate", "acid_consumption", "total_hardness", "calcium_hardness", "ionic_silica"]
    )
    assert result["reference_failures"] == ["free_co2"]
    assert result["heat_exchanger_needed"] is True


def test_rsi_classes() -> None:
    c = case("methods.csv", "M-26")
    assert c.matches("tendency", [water_quality.rsi_tendency(r) for r in c.inputs["rsi"]])


def test_langelier_for_the_yoshioka_sample_by_hand() -> None:
    # pH 7.2, 16.2 °C, EC 386 µS/cm → TDS 0.64 × 386 = 247.0 mg/L, Ca-H 100, alk. 100:
    # A = (log10 247.04 − 1)/10 = 0.13928; B = −13.12 log10 289.2 + 34.55 = 2.25882;
    # C = 2 − 0.4 = 1.6; D = 2; pHs = 9.3 + 0.13928 + 2.25882 − 3.6 = 8.0981;
    # LSI = 7.2 − 8.0981 = −0.898 (corrosive); RSI = 2 × 8.0981 − 7.2 = 8.996.
    # The report printed a stability index of 8.7 (YOSHIOKA-2014 Table 7): same class.
    result = water_quality.langelier(7.2, 16.2, 0.64 * 386, 100, 100)
    assert result["langelier_index"] == pytest.approx(-0.898, abs=0.002)
    assert result["ryznar_index"] == pytest.approx(8.996, abs=0.004)
    assert water_quality.rsi_tendency(result["ryznar_index"]) == water_quality.rsi_tendency(8.7)


def test_ion_balance_piper_and_stiff_by_hand() -> None:
    # Ca 40.078, Mg 12.1525, Na 22.99 mg/L = 2 + 1 + 1 = 4 meq/L of cations;
    # HCO₃ 122.034, SO₄ 48.03, Cl 35.453 mg/L = 2 + 1 + 1 = 4 meq/L of anions: balance 0 %.
    sample = {
        "calcium": 40.078,
        "magnesium": 12.1525,
        "sodium": 22.99,
        "bicarbonate": 122.034,
        "sulfate": 48.03,
        "chloride": 35.453,
    }
    assert water_quality.ion_balance_error_percent(sample) == pytest.approx(0, abs=1e-9)
    piper = water_quality.piper_percentages(sample)
    assert piper == pytest.approx({"ca": 50, "mg": 25, "na_k": 25, "hco3": 50, "so4": 25, "cl": 25})
    stiff = water_quality.stiff_meq_per_l({**sample, "chloride": 70.906})
    assert stiff["cl"] == pytest.approx(2.0)
    assert water_quality.ion_balance_error_percent({"calcium": 40.0}) is None  # not enough


def test_the_limit_sets_are_data_with_a_source() -> None:
    sets = water_quality.limit_sets()
    assert set(sets) >= {
        "JRA-GL-02-1994/public-reproduction",
        "JRA-GL-02-1994/as-printed-YOSHIOKA-2014",
    }
    assert all(s["source"] for s in sets.values())
    assert Path(water_quality.LIMIT_SETS_FILE).suffix == ".json"


def test_transmissivity_from_the_yoshioka_first_step() -> None:
    # YOSHIOKA-2014 Table 6, step 1: 16 L/min, s = 0.7 m → T ≈ 1.22 × 2.667e-4 / 0.7
    t = float(pumping.transmissivity_from_specific_capacity(16 / 60000, 0.7))
    assert t == pytest.approx(1.22 * (16 / 60000) / 0.7)
    assert 1e-4 < t < 1e-3  # the order of the report's Jacob value (Δs 0.8 m at 80 L/min)
