"""Results a report publishes without their series: a constant-rate test by Cooper–Jacob, and
a TRT's λ with a band from its fit and its window (pure: no database)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from core.lib.units import l_per_min_to_m3_per_s
from field_tests.domain import pumping, trt
from tests.cases import CASES_DIR

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BEIER = CASES_DIR.parent.parent / "external" / "beier2011_sandbox_trt.txt"


def yoshioka_constant_rate() -> dict[str, str]:
    with (FIXTURES / "gunma" / "yoshioka-constant-rate.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    units, row = rows[0], rows[1]
    assert units["rate"] == "L/min"
    assert units["drawdown_per_log_cycle"] == "m"
    assert units["duration"] == "h"
    return row


def test_yos_t1_transmissivity_is_cooper_jacob_of_the_reports_constant_rate_figures() -> None:
    row = yoshioka_constant_rate()
    assert row["borehole_code"] == "YOS-T1"
    result = pumping.jacob_from_published(
        flow_m3_per_s=float(l_per_min_to_m3_per_s(float(row["rate"]))),
        drawdown_per_log_cycle_m=float(row["drawdown_per_log_cycle"]),
        duration_s=float(row["duration"]) * 3600.0,
        aquifer_thickness_m=float(row["aquifer_thickness"]),
        thickness_basis=row["thickness_basis"],
    )
    # By hand (YOSHIOKA-2014 §4-2-②): Q = 80 L/min × 1.44 = 115.2 m³/d, Δs = 0.8 m per cycle.
    # T = 2.302585 / (4π) × 115.2 / 0.8 = 0.1832339 × 144 = 26.3857 m²/d
    #   = 26.3857 / 86400 = 3.05390e-4 m²/s (the report's 0.183 gives 26.352 m²/d).
    by_hand = 3.05390e-4
    assert abs(result.transmissivity_m2_per_s - by_hand) / by_hand < 0.01
    assert result.transmissivity_m2_per_s == pytest.approx(by_hand, rel=1e-5)
    assert result.coefficient == pytest.approx(np.log(10) / (4 * np.pi))
    # k = T / H = 26.3857 / 11.85 = 2.2266 m/d = 2.5771e-5 m/s = 2.58e-3 cm/s: inside the
    # 10⁻⁴–10⁻¹ cm/s of confined supply wells (YOSHIOKA-2014 §4-2-②), "typical".
    assert result.hydraulic_conductivity_m_per_s == pytest.approx(2.5771e-5, rel=1e-4)
    assert result.aquifer_class == "typical"
    assert result.duration_s == 8 * 3600.0
    assert result.as_dict()["method"].startswith("Cooper–Jacob")


def test_the_aquifer_class_follows_the_methods_rule() -> None:
    # 10⁻¹ to 10⁻⁴ cm/s = 10⁻³ to 10⁻⁶ m/s, bounds inclusive (YOSHIOKA-2014 §4-2-②).
    assert pumping.aquifer_class(9.9e-7) == "below"
    assert pumping.aquifer_class(1e-6) == "typical"
    assert pumping.aquifer_class(1e-3) == "typical"
    assert pumping.aquifer_class(1.1e-3) == "above"


@pytest.mark.parametrize(
    "field", ["flow_m3_per_s", "drawdown_per_log_cycle_m", "duration_s", "aquifer_thickness_m"]
)
def test_a_published_result_without_a_positive_figure_is_refused_naming_it(field: str) -> None:
    arguments = {
        "flow_m3_per_s": 1.3e-3,
        "drawdown_per_log_cycle_m": 0.8,
        "duration_s": 28800.0,
        "aquifer_thickness_m": 11.85,
    }
    arguments[field] = 0.0
    with pytest.raises(pumping.PumpingTestError, match=field) as error:
        pumping.jacob_from_published(**arguments)
    assert error.value.field == field


def test_a_trt_band_comes_from_the_fit_error_and_the_window_sensitivity() -> None:
    data = trt.parse_beier_text(BEIER.read_text())
    window = (12 * 3600.0, float(data["time_s"][-1]))
    arguments = (
        data["time_s"],
        data["inlet_temperature_k"],
        data["outlet_temperature_k"],
        data["heating_power_w"],
        18.32,
    )
    band = trt.ils_band(*arguments, window)
    fit = trt.ils_fit(*arguments, window)
    assert band.conductivity_w_per_m_k == fit.conductivity_w_per_m_k
    # The refitted windows include the chosen one, with its λ.
    assert (window[0], window[1], fit.conductivity_w_per_m_k) in band.windows
    assert len(band.windows) >= 4
    lambdas = [w[2] for w in band.windows]
    assert band.window_std_w_per_m_k == pytest.approx(np.std(lambdas))
    # The slope's standard error by hand: √(Σr²/(n − 2) / Σ(x − x̄)²), σ_λ = λ σ_k / k.
    t = data["time_s"]
    inside = (t >= window[0]) & (t <= window[1])
    x = np.log(t[inside])
    y = ((data["inlet_temperature_k"] + data["outlet_temperature_k"]) / 2)[inside]
    residuals = y - (fit.slope_k * x + fit.intercept_k)
    se = np.sqrt(np.sum(residuals**2) / (len(x) - 2) / np.sum((x - x.mean()) ** 2))
    assert band.fit_std_w_per_m_k == pytest.approx(fit.conductivity_w_per_m_k * se / fit.slope_k)
    # The autocorrelated fit error alone is tiny; the window moves λ far more (Gehlin 2002).
    assert 0 < band.fit_std_w_per_m_k < band.window_std_w_per_m_k
    assert band.std_w_per_m_k == pytest.approx(
        np.hypot(band.fit_std_w_per_m_k, band.window_std_w_per_m_k)
    )
    assert band.p10_w_per_m_k < band.conductivity_w_per_m_k < band.p90_w_per_m_k
    assert band.p90_w_per_m_k - band.conductivity_w_per_m_k == pytest.approx(
        1.2815515655446004 * band.std_w_per_m_k
    )


def test_a_noise_free_line_source_has_a_band_of_almost_zero_width() -> None:
    # T_f = q/(4πλ) ln t + C exactly (GEHLIN-2002 case M-17's form): every window gives λ.
    t = np.arange(3600.0, 180_000.0, 600.0)
    q, lam = 50.0, 2.0
    fluid = q / (4 * np.pi * lam) * np.log(t) + 283.15
    band = trt.ils_band(t, fluid, fluid, np.full_like(t, q * 100.0), 100.0, (36_000.0, t[-1]))
    assert band.conductivity_w_per_m_k == pytest.approx(lam)
    assert band.std_w_per_m_k < 1e-9
