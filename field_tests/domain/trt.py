"""Thermal response test: infinite line source (ILS) slope method. Pure numpy, SI units.

Gehlin 2002: for t large enough, T_f(t) ≈ q/(4πλ) · ln t + C, so
λ = q / (4π k) with k the slope of the mean fluid temperature against ln t; R_b from the
intercept when the undisturbed ground temperature T0 and ρc are known. The fit window is a
required parameter, stored with the result: λ moves with the window's start.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

EULER_GAMMA = 0.5772156649
# Literature defaults (check before citing): discard the first 10–15 h (Gehlin 2002; the
# Eskilson criterion t ≥ 5 r_b²/α is usually shorter), fit to the end of the heating.
DEFAULT_WINDOW_START_S = 12 * 3600.0
MIN_POINTS_IN_WINDOW = 10


class TrtError(ValueError):
    """A series the method cannot use; `field` names the column at fault."""

    def __init__(self, message: str, field: str, row: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.row = row


@dataclass(frozen=True)
class TrtResult:
    conductivity_w_per_m_k: float
    slope_k: float  # K per unit of ln t
    intercept_k: float  # T_f at t = 1 s on the fitted line, K
    r_squared: float
    residual_rms_k: float
    heat_rate_w_per_m: float  # q = mean P over the window / H
    window_start_s: float
    window_end_s: float
    points_used: int
    borehole_resistance_m_k_per_w: float | None
    eskilson_min_time_s: float | None
    window_starts_before_eskilson: bool | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_beier_text(text: str) -> dict[str, NDArray[np.float64]]:
    """The published sandbox TRT file (BEIER-2011): two header lines, then tab-separated
    t [s], T_in [°C], T_out [°C], P [kW]. Returned in SI: s, K, K, W."""
    rows = [line.split() for line in text.splitlines()[2:] if line.strip()]
    data = np.array(rows, dtype=np.float64)
    if data.ndim != 2 or data.shape[1] != 4:
        raise TrtError("expected four columns: t, T_in, T_out, P", field="columns")
    return {
        "time_s": data[:, 0],
        "inlet_temperature_k": data[:, 1] + 273.15,
        "outlet_temperature_k": data[:, 2] + 273.15,
        "heating_power_w": data[:, 3] * 1000.0,
    }


def validate_series(time_s: NDArray[np.float64], heating_power_w: NDArray[np.float64]) -> None:
    """Time strictly increasing, power never negative: else a TrtError naming row and field."""
    steps = np.diff(time_s)
    if np.any(steps <= 0):
        row = int(np.argmax(steps <= 0)) + 1
        raise TrtError(f"time does not increase at row {row + 1}", field="time_s", row=row)
    if np.any(heating_power_w < 0):
        row = int(np.argmax(heating_power_w < 0))
        raise TrtError(
            f"heating power is negative at row {row + 1}", field="heating_power_w", row=row
        )


def ils_fit(
    time_s: ArrayLike,
    inlet_temperature_k: ArrayLike,
    outlet_temperature_k: ArrayLike,
    heating_power_w: ArrayLike,
    active_length_m: float,
    window_s: tuple[float, float] | None,
    borehole_radius_m: float | None = None,
    volumetric_heat_capacity_j_per_m3_k: float | None = None,
    undisturbed_temperature_k: float | None = None,
) -> TrtResult:
    """λ (and R_b when T0, r_b and ρc are given) from the ILS slope over `window_s`.

    T_f = (T_in + T_out)/2; q = mean power in the window / H (Gehlin 2002);
    R_b = (C − T0)/q − (ln(4α/r_b²) − γ)/(4πλ), α = λ/ρc (C: intercept against ln t, t in s).
    """
    if window_s is None:
        raise TrtError("a fit window [start, end] in seconds is required", field="window_s")
    t = np.asarray(time_s, dtype=np.float64)
    power = np.asarray(heating_power_w, dtype=np.float64)
    fluid = (
        np.asarray(inlet_temperature_k, dtype=np.float64)
        + np.asarray(outlet_temperature_k, dtype=np.float64)
    ) / 2
    validate_series(t, power)
    if active_length_m <= 0:
        raise TrtError("the active length must be positive", field="active_length_m")
    start, end = float(window_s[0]), float(window_s[1])
    if not 0 < start < end:
        raise TrtError("the window must satisfy 0 < start < end", field="window_s")
    inside = (t >= start) & (t <= end) & np.isfinite(fluid) & np.isfinite(power)
    if inside.sum() < MIN_POINTS_IN_WINDOW:
        raise TrtError(
            f"only {int(inside.sum())} readings fall in the window "
            f"{start:g}–{end:g} s (at least {MIN_POINTS_IN_WINDOW} needed); the test may be "
            "too short for it",
            field="window_s",
        )
    x = np.log(t[inside])
    y = fluid[inside]
    slope, intercept = np.polyfit(x, y, 1)
    fitted = slope * x + intercept
    residuals = y - fitted
    total = float(np.sum((y - y.mean()) ** 2))
    r_squared = 1 - float(np.sum(residuals**2)) / total if total > 0 else 1.0
    q = float(power[inside].mean()) / active_length_m
    if slope <= 0 or q <= 0:
        raise TrtError(
            "the mean fluid temperature does not rise with ln t in the window", field="window_s"
        )
    conductivity = q / (4 * np.pi * slope)
    resistance = eskilson = before = None
    if (
        undisturbed_temperature_k is not None
        and borehole_radius_m
        and volumetric_heat_capacity_j_per_m3_k
    ):
        diffusivity = conductivity / volumetric_heat_capacity_j_per_m3_k
        resistance = float(
            (intercept - undisturbed_temperature_k) / q
            - (np.log(4 * diffusivity / borehole_radius_m**2) - EULER_GAMMA)
            / (4 * np.pi * conductivity)
        )
        eskilson = float(5 * borehole_radius_m**2 / diffusivity)
        before = start < eskilson
    return TrtResult(
        conductivity_w_per_m_k=float(conductivity),
        slope_k=float(slope),
        intercept_k=float(intercept),
        r_squared=float(r_squared),
        residual_rms_k=float(np.sqrt(np.mean(residuals**2))),
        heat_rate_w_per_m=q,
        window_start_s=start,
        window_end_s=end,
        points_used=int(inside.sum()),
        borehole_resistance_m_k_per_w=resistance,
        eskilson_min_time_s=eskilson,
        window_starts_before_eskilson=before,
    )


def default_window_s(time_s: ArrayLike) -> tuple[float, float]:
    """The literature's default window: from 12 h (Gehlin 2002) to the last reading."""
    t = np.asarray(time_s, dtype=np.float64)
    return DEFAULT_WINDOW_START_S, float(t[-1])


def too_short_to_fit(time_s: ArrayLike, window_start_s: float = DEFAULT_WINDOW_START_S) -> bool:
    """Whether a test has fewer than MIN_POINTS_IN_WINDOW readings from `window_start_s` on
    (default 12 h, Gehlin 2002): its line-source slope cannot be fitted in that window."""
    t = np.asarray(time_s, dtype=np.float64)
    return int(np.count_nonzero(t >= window_start_s)) < MIN_POINTS_IN_WINDOW


# z of the standard normal at 90 %: P10/P90 = P50 ∓ 1.2816 σ
Z90 = 1.2815515655446004
# The windows refitted to measure how much λ moves with the window (a setting): the start at
# ½, 1 and 2 times the chosen start, the end at the chosen end and at ¾ of the way to it.
WINDOW_START_FACTORS = (0.5, 1.0, 2.0)
WINDOW_END_FRACTIONS = (1.0, 0.75)


@dataclass(frozen=True)
class TrtBand:
    """λ of a TRT with its P10/P90: σ² = σ_fit² + σ_window².

    fit_std: λ's standard error from the slope's (σ_λ = λ σ_k / k); window_std: the standard
    deviation of λ over the refitted windows (`windows`: (start s, end s, λ) of each that had
    enough readings)."""

    conductivity_w_per_m_k: float
    p10_w_per_m_k: float
    p90_w_per_m_k: float
    std_w_per_m_k: float
    fit_std_w_per_m_k: float
    window_std_w_per_m_k: float
    windows: list[tuple[float, float, float]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ils_band(
    time_s: ArrayLike,
    inlet_temperature_k: ArrayLike,
    outlet_temperature_k: ArrayLike,
    heating_power_w: ArrayLike,
    active_length_m: float,
    window_s: tuple[float, float],
) -> TrtBand:
    """λ's band from the ILS fit over `window_s`: its standard error and its window sensitivity.

    The slope's standard error, σ_k = √(Σr²/(n−2) / Σ(x−x̄)²) (ordinary least squares), gives
    σ_fit = λ σ_k / k (λ = q/(4πk)). TRT residuals are autocorrelated, so σ_fit alone is too
    small; λ also moves with the fit window (Gehlin 2002: λ from the ILS slope moves
    noticeably with the window start), so the fit is repeated with the start at ½,
    1 and 2 times the chosen one and the end at the chosen end and ¾ of the way to it, and the
    spread of those λ is σ_window. P10/P90 = λ ∓ 1.2816 √(σ_fit² + σ_window²). Replaces the flat
    ±10 % band.
    """
    result = ils_fit(
        time_s, inlet_temperature_k, outlet_temperature_k, heating_power_w, active_length_m,
        window_s,
    )  # fmt: skip
    t = np.asarray(time_s, dtype=np.float64)
    fluid = (
        np.asarray(inlet_temperature_k, dtype=np.float64)
        + np.asarray(outlet_temperature_k, dtype=np.float64)
    ) / 2
    start, end = float(window_s[0]), float(window_s[1])
    power = np.asarray(heating_power_w, dtype=np.float64)
    inside = (t >= start) & (t <= end) & np.isfinite(fluid) & np.isfinite(power)
    x, y = np.log(t[inside]), fluid[inside]
    residuals = y - (result.slope_k * x + result.intercept_k)
    slope_se = np.sqrt(np.sum(residuals**2) / (len(x) - 2) / np.sum((x - x.mean()) ** 2))
    conductivity = result.conductivity_w_per_m_k
    fit_std = conductivity * float(slope_se) / result.slope_k
    windows: list[tuple[float, float, float]] = []
    for factor in WINDOW_START_FACTORS:
        for fraction in WINDOW_END_FRACTIONS:
            w_start = start * factor
            w_end = w_start + (end - w_start) * fraction
            if not 0 < w_start < w_end <= end:
                continue
            try:
                refit = ils_fit(
                    t, inlet_temperature_k, outlet_temperature_k, heating_power_w,
                    active_length_m, (w_start, w_end),
                )  # fmt: skip
            except TrtError:
                continue
            windows.append((w_start, w_end, refit.conductivity_w_per_m_k))
    window_std = float(np.std([w[2] for w in windows])) if len(windows) > 1 else 0.0
    std = float(np.hypot(fit_std, window_std))
    return TrtBand(
        conductivity_w_per_m_k=conductivity,
        p10_w_per_m_k=conductivity - Z90 * std,
        p90_w_per_m_k=conductivity + Z90 * std,
        std_w_per_m_k=std,
        fit_std_w_per_m_k=float(fit_std),
        window_std_w_per_m_k=window_std,
        windows=windows,
    )
