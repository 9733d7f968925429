"""Groundwater flow readings (direction the flow goes toward, velocity). Pure numpy.

YOSHIOKA-2014 §4-2-③(3): the first reading of a run is the start-up transient and is dropped;
the direction is the circular mean of the azimuths (inferred convention: toward).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

COMPASS_8 = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def circular_mean_deg(azimuth_deg: ArrayLike) -> float:
    """Mean direction of azimuths (degrees clockwise from north), 0–360."""
    radians = np.radians(np.asarray(azimuth_deg, dtype=np.float64))
    mean = np.degrees(np.arctan2(np.sin(radians).mean(), np.cos(radians).mean()))
    return float(mean % 360)


def compass_8(azimuth_deg: float) -> str:
    return COMPASS_8[int(((azimuth_deg % 360) + 22.5) // 45) % 8]


def summarise_readings(
    azimuth_deg: ArrayLike, velocity_m_per_s: ArrayLike, drop_first: bool = True
) -> dict[str, Any]:
    """Direction (circular mean), its 8-point compass name, the largest velocity and how many
    readings were used, after dropping the transient first reading."""
    azimuth = np.asarray(azimuth_deg, dtype=np.float64)
    velocity = np.asarray(velocity_m_per_s, dtype=np.float64)
    if drop_first and len(azimuth) > 1:
        azimuth, velocity = azimuth[1:], velocity[1:]
    direction = circular_mean_deg(azimuth)
    return {
        "direction_deg": direction,
        "compass_8": compass_8(direction),
        "max_velocity_m_per_s": float(velocity.max()),
        "mean_velocity_m_per_s": float(velocity.mean()),
        "n_used": len(azimuth),
    }
