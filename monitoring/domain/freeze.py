"""Closed-loop checks from the MOE guideline (MOE-GL4-2024 §3.2(4), fig. 29): the freeze alert
(GL-T20), heat-medium warnings (GL-T27) and the spacing of an installed borehole field
(GL-T19). Pure numpy, temperatures in K, times as datetime64 or float s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.lib.units import ZERO_CELSIUS_K
from estimates.domain.layout import spacing_status  # re-exported: one rule for design and field
from monitoring.domain import timebase

FREEZING_K = ZERO_CELSIUS_K

# MOE-GL4-2024 fig. 29: ○ usable, △ depends on equipment and surroundings (→ note),
# × not usable (→ warning). Columns in the figure's order.
HEAT_MEDIUM_COLUMNS = (
    "metal_corrosion",
    "viscosity",
    "non_flammability",
    "toxicity",
    "environment",
)
HEAT_MEDIA: dict[str, dict[str, Any]] = {
    "calcium_chloride": {"class": "salt", "marks": ("×", "○", "○", "○", "○")},
    "ethanol": {"class": "alcohol", "marks": ("○", "○", "×", "○", "○")},
    "ethylene_glycol": {"class": "glycol", "marks": ("○", "○", "△", "×", "×")},
    "propylene_glycol": {"class": "glycol", "marks": ("○", "×", "△", "○", "○")},
    "acetate_salt": {"class": "organic_acid_salt", "marks": ("△", "○", "○", "○", "○")},
}


@dataclass(frozen=True)
class FreezeAlert:
    """A sustained period at or below the threshold; times of the kind given."""

    start: Any
    end: Any
    min_temperature_k: float
    duration_s: float


def _freezing_intervals(
    times: ArrayLike,
    temperature_k: ArrayLike,
    threshold_k: float,
    step_s: float | None,
    max_gap_s: float | None,
) -> list[timebase.Interval]:
    values = np.asarray(temperature_k, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        freezing = values <= threshold_k  # NaN is no value: it breaks a run
    return timebase.sustained_intervals(times, freezing, 0.0, step_s, max_gap_s)


def freeze_alerts(
    times: ArrayLike,
    temperature_k: ArrayLike,
    window_s: float,
    threshold_k: float = FREEZING_K,
    step_s: float | None = None,
    max_gap_s: float | None = None,
) -> list[FreezeAlert]:
    """Ground or fluid temperature at or below 0 °C continuously for at least `window_s`
    raises a freeze alert (MOE-GL4-2024 §3.2(4): the ground must not stay at or below 0 °C;
    the window is not in the source, so it is a parameter, GL-T20).

    A run lasts from its first sample to the sample after its last (each sample covers the
    step starting at it); a logger gap longer than `max_gap_s` (default 1.5 steps) or a NaN
    ends it. Returns (start, end, minimum temperature, duration) per alert."""
    template = np.asarray(times)
    values = np.asarray(temperature_k, dtype=np.float64)
    alerts = []
    for run in _freezing_intervals(times, values, threshold_k, step_s, max_gap_s):
        if run.duration_s >= window_s:
            start, end = timebase.like([run.start_s, run.end_s], template)
            alerts.append(
                FreezeAlert(start, end, float(values[run.first : run.stop].min()), run.duration_s)
            )
    return alerts


def longest_freezing_run_s(
    times: ArrayLike,
    temperature_k: ArrayLike,
    threshold_k: float = FREEZING_K,
    step_s: float | None = None,
    max_gap_s: float | None = None,
) -> float:
    """The longest continuous time at or below the threshold, s (0 when none; GL-T20)."""
    runs = _freezing_intervals(times, temperature_k, threshold_k, step_s, max_gap_s)
    return max((r.duration_s for r in runs), default=0.0)


def heat_medium_warnings(medium: str) -> dict[str, list[str]]:
    """Warnings (× columns) and notes (△ columns) for a heat medium (MOE-GL4-2024 fig. 29,
    GL-T27). Unknown media raise KeyError: the table is the list."""
    marks = HEAT_MEDIA[medium]["marks"]
    return {
        "warnings": [c for c, m in zip(HEAT_MEDIUM_COLUMNS, marks, strict=True) if m == "×"],
        "notes": [c for c, m in zip(HEAT_MEDIUM_COLUMNS, marks, strict=True) if m == "△"],
    }


def nearest_neighbour_m(positions_m: ArrayLike) -> NDArray[np.float64]:
    """Distance from each borehole to its nearest neighbour, m (inf for a single one)."""
    xy = np.asarray(positions_m, dtype=np.float64).reshape(-1, 2)
    distance = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(distance, np.inf)
    return distance.min(axis=1) if len(xy) else np.empty(0)


def borehole_spacing_status(positions_m: ArrayLike) -> list[str]:
    """Spacing check of an installed field: ≥ 6 m ok, 4–6 m caution, < 4 m warning per
    borehole, from its nearest neighbour (MOE-GL4-2024 §3.2(4); the estimate's own rule,
    estimates.domain.layout.spacing_status)."""
    return [spacing_status(float(d)) for d in nearest_neighbour_m(positions_m)]
