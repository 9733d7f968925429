"""Borehole positions inside a parcel: a square grid at the chosen spacing, kept a setback
from the parcel's edge; the guideline's spacing check (MOE-GL4-2024 §3.2(4): 6 m or more on
the safe side, at least 4 m). Shapely in metres, no Django."""

from __future__ import annotations

from typing import Literal

import numpy as np
import shapely
from numpy.typing import NDArray

SAFE_SPACING_M = 6.0
MINIMUM_SPACING_M = 4.0


def spacing_status(distance_m: float) -> Literal["ok", "caution", "warning"]:
    """≥ 6 m ok; 4 m ≤ d < 6 m caution; < 4 m warning (boundaries inferred, GL-T19b)."""
    if distance_m >= SAFE_SPACING_M:
        return "ok"
    return "caution" if distance_m >= MINIMUM_SPACING_M else "warning"


def grid_positions(
    parcel_m: shapely.Geometry, spacing_m: float, setback_m: float
) -> NDArray[np.float64]:
    """(n, 2) positions on a square grid inside the parcel shrunk by the setback, the grid
    shifted to the offset that fits the most boreholes (a few offsets tried)."""
    if spacing_m <= 0:
        raise ValueError("the spacing must be positive")
    area = parcel_m.buffer(-setback_m)
    if area.is_empty:
        return np.empty((0, 2))
    west, south, east, north = area.bounds
    best = np.empty((0, 2))
    for offset in (0.0, 0.25, 0.5, 0.75):
        xs = np.arange(west + offset * spacing_m, east + 1e-9, spacing_m)
        ys = np.arange(south + offset * spacing_m, north + 1e-9, spacing_m)
        x, y = np.meshgrid(xs, ys)
        points = np.column_stack([x.ravel(), y.ravel()])
        inside = shapely.contains_xy(area, points[:, 0], points[:, 1]) | shapely.intersects_xy(
            area.boundary, points[:, 0], points[:, 1]
        )
        if inside.sum() > len(best):
            best = points[inside]
    return best


def field_shape(count: int) -> tuple[int, int]:
    """Rows × columns of a near-square rectangular field of at least `count` boreholes."""
    columns = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    return rows, columns
