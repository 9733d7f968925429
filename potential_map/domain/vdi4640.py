"""VDI 4640 Blatt 2 (2001) specific heat extraction: a rule of thumb for small BHE systems.

W/m here is a **peak** evaporator-side rate at 1 800 or 2 400 full-load hours (VDI 4640 Blatt 2,
2001), not G.POT's annual mean: store and show the definition with every number.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

# General classes by λ (W/(m·K)): (< 1.5, 1.5–3.0, > 3.0) → W/m at 1800 h and 2400 h.
# λ = 1.5 and 3.0 belong to the middle class (VDI 4640 Blatt 2's wording; inferred reading).
CLASS_W_PER_M = {1800: (25.0, 60.0, 84.0), 2400: (20.0, 50.0, 70.0)}
LOW_CLASS_UPPER_W_PER_M_K = 1.5
HIGH_CLASS_LOWER_W_PER_M_K = 3.0
# Ranges by ground type (W/m at 1800 h, 2400 h); None = open bound (e.g. dry gravel "< 25").
BY_GROUND: dict[str, dict[int, tuple[float | None, float | None]]] = {
    "gravel_sand_dry": {1800: (None, 25.0), 2400: (None, 20.0)},
    "gravel_sand_water_bearing": {1800: (65.0, 80.0), 2400: (55.0, 65.0)},
    "gravel_sand_strong_flow": {1800: (80.0, 100.0), 2400: (80.0, 100.0)},
    "clay_loam_moist": {1800: (35.0, 50.0), 2400: (30.0, 40.0)},
    "limestone": {1800: (55.0, 70.0), 2400: (45.0, 60.0)},
    "sandstone": {1800: (65.0, 80.0), 2400: (55.0, 65.0)},
    "acid_magmatite": {1800: (65.0, 85.0), 2400: (55.0, 70.0)},
    "basic_magmatite": {1800: (40.0, 65.0), 2400: (35.0, 55.0)},
    "gneiss": {1800: (70.0, 85.0), 2400: (60.0, 70.0)},
}


def class_w_per_m(conductivity_w_per_m_k: ArrayLike, full_load_hours: int) -> NDArray[np.float64]:
    """Peak W/m of the general VDI 4640-2 class of each λ (VDI-4640-2-2001); NaN stays NaN."""
    if full_load_hours not in CLASS_W_PER_M:
        raise ValueError("VDI 4640-2 gives values for 1800 and 2400 full-load hours only")
    low, middle, high = CLASS_W_PER_M[full_load_hours]
    lam = np.asarray(conductivity_w_per_m_k, dtype=np.float64)
    values = np.where(
        lam < LOW_CLASS_UPPER_W_PER_M_K,
        low,
        np.where(lam > HIGH_CLASS_LOWER_W_PER_M_K, high, middle),
    )
    return np.where(np.isnan(lam), np.nan, values)


def ground_range_w_per_m(ground: str, full_load_hours: int) -> tuple[float | None, float | None]:
    """(low, high) peak W/m of a ground type at 1800 or 2400 h; None is an open bound."""
    return BY_GROUND[ground][full_load_hours]


def annual_energy_j_per_m(peak_w_per_m: ArrayLike, full_load_hours: float) -> NDArray[np.float64]:
    """Yearly heat per metre, J/m: peak W/m × full-load hours × 3600 s/h."""
    return np.asarray(peak_w_per_m, dtype=np.float64) * full_load_hours * 3600.0
