"""Pumping tests: step-drawdown, Cooper–Jacob straight line, recovery. Pure numpy, SI units.

Specific capacity Sc = Q/s per step, and Logan's T ≈ 1.22 Sc from it (Logan J. 1964,
Estimating transmissibility from routine production tests of water wells, *Ground Water*
2(1):35–37). Cooper–Jacob T = 2.303 Q / (4π Δs), S = 2.25 T t0 / r², valid while
u = r²S/(4Tt) is small (Cooper H.H., Jacob C.E. 1946, A generalized graphical method for
evaluating formation constants and summarizing well-field history, *Trans. AGU* 27(4):526–534);
k = T / b. The fit window is stored with the result (YOSHIOKA-2014 §4-2-② used t ≥ 100 min).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

JACOB_COEFFICIENT = float(np.log(10)) / (4 * np.pi)  # 2.3026/(4π) ≈ 0.1832 (printed 0.183)
DEFAULT_U_MAX = 0.01


class PumpingTestError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def step_drawdowns_m(static_level_m: float, pumping_levels_m: ArrayLike) -> NDArray[np.float64]:
    """s = pumping level − static level (depths positive down), m."""
    return np.asarray(pumping_levels_m, dtype=np.float64) - static_level_m


def specific_capacity_m2_per_s(
    flow_m3_per_s: ArrayLike, drawdown_m: ArrayLike
) -> NDArray[np.float64]:
    """Sc = Q / s per step, m³/s per m of drawdown (比湧出量)."""
    drawdown = np.asarray(drawdown_m, dtype=np.float64)
    if np.any(drawdown <= 0):
        raise PumpingTestError("every step needs a positive drawdown", field="level_m")
    return np.asarray(flow_m3_per_s, dtype=np.float64) / drawdown


def step_trend(specific_capacity: ArrayLike) -> dict[str, Any]:
    """Whether Sc falls monotonically over the steps and its largest relative drop between
    two steps (an inflection, 屈曲点, shows as one large drop; its threshold is a setting)."""
    sc = np.asarray(specific_capacity, dtype=np.float64)
    drops = -np.diff(sc) / sc[:-1]
    return {
        "monotonic_decreasing": bool(np.all(np.diff(sc) < 0)),
        "max_relative_drop": float(drops.max()) if len(drops) else 0.0,
    }


# Logan (1964): T ≈ 1.22 · Q/s from one specific-capacity reading of a confined aquifer; the
# estimate used where no constant-rate test gives a Cooper–Jacob T.
LOGAN_FACTOR = 1.22


def transmissivity_from_specific_capacity(
    flow_m3_per_s: ArrayLike, drawdown_m: ArrayLike
) -> NDArray[np.float64]:
    """T ≈ 1.22 Q/s, m²/s (Logan 1964, *Ground Water* 2(1):35–37)."""
    return (
        LOGAN_FACTOR
        * np.asarray(flow_m3_per_s, dtype=np.float64)
        / np.asarray(drawdown_m, dtype=np.float64)
    )


def recovery_ratio(drawdown_m: float, recovered_m: ArrayLike) -> NDArray[np.float64]:
    """Share of the final drawdown recovered: recovered / drawdown."""
    return np.asarray(recovered_m, dtype=np.float64) / drawdown_m


def jacob_transmissivity_m2_per_s(flow_m3_per_s: float, drawdown_per_log_cycle_m: float) -> float:
    """T = 2.303 Q / (4π Δs), m²/s (Cooper & Jacob 1946)."""
    return float(JACOB_COEFFICIENT * flow_m3_per_s / drawdown_per_log_cycle_m)


def jacob_storativity(transmissivity_m2_per_s: float, t0_s: float, distance_m: float) -> float:
    """S = 2.25 T t0 / r² (no unit)."""
    return float(2.25 * transmissivity_m2_per_s * t0_s / distance_m**2)


def jacob_u(
    distance_m: float, storativity: float, transmissivity_m2_per_s: float, time_s: ArrayLike
) -> NDArray[np.float64]:
    """u = r² S / (4 T t): the straight line holds while u is small."""
    return distance_m**2 * storativity / (4 * transmissivity_m2_per_s * np.asarray(time_s))


@dataclass(frozen=True)
class JacobResult:
    transmissivity_m2_per_s: float
    drawdown_per_log_cycle_m: float
    t0_s: float
    r_squared: float
    window_start_s: float
    window_end_s: float
    points_used: int
    flow_m3_per_s: float
    hydraulic_conductivity_m_per_s: float | None
    aquifer_thickness_m: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def jacob_fit(
    time_s: ArrayLike,
    level_m: ArrayLike,
    rate_m3_per_s: ArrayLike,
    static_level_m: float,
    window_s: tuple[float, float],
    aquifer_thickness_m: float | None = None,
) -> JacobResult:
    """Straight line of drawdown against log10 t over the window of a constant-rate test:
    Δs = slope per log cycle, t0 where the line crosses zero drawdown; k = T / b."""
    t = np.asarray(time_s, dtype=np.float64)
    drawdown = np.asarray(level_m, dtype=np.float64) - static_level_m
    rate = np.asarray(rate_m3_per_s, dtype=np.float64)
    if np.any(np.diff(t) <= 0):
        raise PumpingTestError("time must increase", field="time_s")
    start, end = window_s
    inside = (t >= start) & (t <= end) & (t > 0)
    if inside.sum() < 3:
        raise PumpingTestError(
            f"only {int(inside.sum())} readings in the window {start:g}–{end:g} s "
            "(at least 3 needed)",
            field="window_s",
        )
    x = np.log10(t[inside])
    slope, intercept = np.polyfit(x, drawdown[inside], 1)
    if slope <= 0:
        raise PumpingTestError("drawdown does not grow with log t in the window", field="level_m")
    residuals = drawdown[inside] - (slope * x + intercept)
    total = float(np.sum((drawdown[inside] - drawdown[inside].mean()) ** 2))
    flow = float(rate[inside].mean())
    transmissivity = jacob_transmissivity_m2_per_s(flow, float(slope))
    conductivity = transmissivity / aquifer_thickness_m if aquifer_thickness_m else None
    return JacobResult(
        transmissivity_m2_per_s=transmissivity,
        drawdown_per_log_cycle_m=float(slope),
        t0_s=float(10 ** (-intercept / slope)),
        r_squared=1 - float(np.sum(residuals**2)) / total if total > 0 else 1.0,
        window_start_s=float(start),
        window_end_s=float(end),
        points_used=int(inside.sum()),
        flow_m3_per_s=flow,
        hydraulic_conductivity_m_per_s=conductivity,
        aquifer_thickness_m=aquifer_thickness_m,
    )


def sustainable_rate_m3_per_s(
    flow_m3_per_s: ArrayLike, drawdown_m: ArrayLike, allowed_drawdown_m: float
) -> float:
    """The rate at the allowed drawdown, interpolated on the measured Q–s curve (never
    extrapolated beyond the largest tested step: an untested rate is not promised)."""
    q = np.asarray(flow_m3_per_s, dtype=np.float64)
    s = np.asarray(drawdown_m, dtype=np.float64)
    order = np.argsort(s)
    return float(np.interp(allowed_drawdown_m, s[order], q[order], left=0.0, right=q.max()))


# YOSHIOKA-2014 §4-2-②: confined-aquifer supply wells typically have
# k = 10⁻¹ to 10⁻⁴ cm/s, i.e. 10⁻³ to 10⁻⁶ m/s; the report rates its test aquifer against it.
TYPICAL_SUPPLY_CONDUCTIVITY_M_PER_S = (1e-6, 1e-3)


def aquifer_class(hydraulic_conductivity_m_per_s: float) -> str:
    """ "below", "typical" or "above" the range of confined-aquifer supply wells, k = 10⁻⁴ to
    10⁻¹ cm/s (YOSHIOKA-2014 §4-2-②; bounds inclusive)."""
    if not np.isfinite(hydraulic_conductivity_m_per_s) or hydraulic_conductivity_m_per_s <= 0:
        raise PumpingTestError("hydraulic conductivity must be positive", field="conductivity")
    low, high = TYPICAL_SUPPLY_CONDUCTIVITY_M_PER_S
    if hydraulic_conductivity_m_per_s < low:
        return "below"
    if hydraulic_conductivity_m_per_s > high:
        return "above"
    return "typical"


@dataclass(frozen=True)
class PublishedJacobResult:
    """A constant-rate test analysed from the figures a report prints, without its series."""

    transmissivity_m2_per_s: float
    hydraulic_conductivity_m_per_s: float
    aquifer_class: str
    flow_m3_per_s: float
    drawdown_per_log_cycle_m: float
    duration_s: float
    aquifer_thickness_m: float
    thickness_basis: str
    coefficient: float
    method: str = "Cooper–Jacob straight line, from the published Q and Δs per log cycle"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def jacob_from_published(
    flow_m3_per_s: float,
    drawdown_per_log_cycle_m: float,
    duration_s: float,
    aquifer_thickness_m: float,
    thickness_basis: str = "as published",
) -> PublishedJacobResult:
    """T, k and the aquifer class of a constant-rate test entered as the report gives it.

    Cooper & Jacob (1946) with the exact coefficient: T = ln(10) Q / (4π Δs) = 2.3026 Q/(4π Δs)
    (the reports print 0.183 Q/Δs, YOSHIOKA-2014 §4-2-②), k = T / b (YOSHIOKA-2014 takes b as
    the screen thickness: store the basis), class by TYPICAL_SUPPLY_CONDUCTIVITY_M_PER_S.
    duration_s is the pumping time, kept with the result (the straight line's validity needs S
    and r, which such a report does not give; YOSHIOKA-2014 fitted after 100 min of an 8 h
    test).
    """
    for name, value in (
        ("flow_m3_per_s", flow_m3_per_s),
        ("drawdown_per_log_cycle_m", drawdown_per_log_cycle_m),
        ("duration_s", duration_s),
        ("aquifer_thickness_m", aquifer_thickness_m),
    ):
        if not np.isfinite(value) or value <= 0:
            raise PumpingTestError(f"{name} must be positive", field=name)
    transmissivity = jacob_transmissivity_m2_per_s(flow_m3_per_s, drawdown_per_log_cycle_m)
    conductivity = transmissivity / aquifer_thickness_m
    return PublishedJacobResult(
        transmissivity_m2_per_s=transmissivity,
        hydraulic_conductivity_m_per_s=conductivity,
        aquifer_class=aquifer_class(conductivity),
        flow_m3_per_s=float(flow_m3_per_s),
        drawdown_per_log_cycle_m=float(drawdown_per_log_cycle_m),
        duration_s=float(duration_s),
        aquifer_thickness_m=float(aquifer_thickness_m),
        thickness_basis=thickness_basis,
        coefficient=JACOB_COEFFICIENT,
    )
