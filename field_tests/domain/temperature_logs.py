"""Temperature logs: interval means, gradients and inflow flags. Pure numpy, SI units.

A sharp step in the profile marks water of another temperature entering the hole (YOSHIOKA-2014
§4-2-③(1): 16.7 °C at 49 m, 15.7 °C at 51 m, a colder aquifer below 49 m). The flag threshold
is a setting, not a value from the source.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

DEFAULT_FLAG_GRADIENT_K_PER_M = 0.2  # |dT/dz| above this between readings: a flag (setting)


def gradients_k_per_m(depth_m: ArrayLike, temperature_k: ArrayLike) -> np.ndarray:
    """dT/dz between consecutive readings, K/m (positive: warmer with depth)."""
    depth = np.asarray(depth_m, dtype=np.float64)
    temperature = np.asarray(temperature_k, dtype=np.float64)
    return np.diff(temperature) / np.diff(depth)


def interval_mean_k(
    depth_m: ArrayLike, temperature_k: ArrayLike, top_m: float, bottom_m: float
) -> float:
    """Depth-weighted (trapezoid) mean temperature between top and bottom, K; NaN when fewer
    than two readings fall in the interval."""
    depth = np.asarray(depth_m, dtype=np.float64)
    temperature = np.asarray(temperature_k, dtype=np.float64)
    keep = (depth >= top_m) & (depth <= bottom_m) & np.isfinite(temperature)
    if keep.sum() < 2:
        return float("nan")
    d, t = depth[keep], temperature[keep]
    return float(np.trapezoid(t, d) / (d[-1] - d[0]))


def inflow_flags(
    depth_m: ArrayLike,
    temperature_k: ArrayLike,
    threshold_k_per_m: float = DEFAULT_FLAG_GRADIENT_K_PER_M,
    below_m: float = 10.0,
) -> list[dict[str, Any]]:
    """Steps steeper than the threshold below the seasonal zone (10 m): where colder or warmer
    water probably enters. Each flag: top and bottom depth, gradient, colder or warmer below."""
    depth = np.asarray(depth_m, dtype=np.float64)
    gradient = gradients_k_per_m(depth, temperature_k)
    flags = []
    for index in np.flatnonzero(np.abs(gradient) > threshold_k_per_m):
        if depth[index] < below_m:
            continue
        flags.append(
            {
                "top_m": float(depth[index]),
                "bottom_m": float(depth[index + 1]),
                "gradient_k_per_m": float(gradient[index]),
                "below_is": "colder" if gradient[index] < 0 else "warmer",
            }
        )
    return flags
