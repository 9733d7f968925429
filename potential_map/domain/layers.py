"""Turn point data into a region's layers: kriging where boreholes are near, unit values where
they are not. Pure numpy and scipy: no Django."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from potential_map.domain.interpolation import (
    Variogram,
    fit_variogram,
    local_ordinary_kriging,
    percentile_bands,
)


@dataclass(frozen=True)
class Bands:
    """P50, P10 and P90 of a quantity at each cell, and the variogram behind them."""

    p50: NDArray[np.float64]
    p10: NDArray[np.float64]
    p90: NDArray[np.float64]
    variogram: dict[str, float] | None


def kriged_with_fallback(
    points_xy_m: NDArray[np.float64],
    values: NDArray[np.float64],
    cells_xy_m: NDArray[np.float64],
    fallback_p50: NDArray[np.float64],
    fallback_p10: NDArray[np.float64],
    fallback_p90: NDArray[np.float64],
    floor: float | None = None,
    neighbours: int = 16,
    variogram: Variogram | None = None,
) -> Bands:
    """Local ordinary kriging with P10/P50/P90 from its variance, within one variogram range of
    a borehole; beyond it (or with fewer than 3 boreholes), the fallback (e.g. the geological
    unit's typical value with its range as P10/P90). NaN fallback stays NaN (no value).

    A `variogram` given is used as it is (a region keeps its variogram between recomputations,
    so a new borehole changes only the cells around it); otherwise one is fitted."""
    p50, p10, p90 = (
        np.asarray(a, dtype=np.float64).copy() for a in (fallback_p50, fallback_p10, fallback_p90)
    )
    usable = np.isfinite(values)
    points_xy_m, values = points_xy_m[usable], values[usable]
    if len(values) < 3:
        return Bands(p50, p10, p90, None)
    variogram = variogram or fit_variogram(points_xy_m, values)
    distance, _index = cKDTree(points_xy_m).query(cells_xy_m, k=1)
    near = distance <= variogram.range_m
    if near.any():
        estimate, variance = local_ordinary_kriging(
            points_xy_m, values, cells_xy_m[near], variogram, neighbours
        )
        low, mid, high = percentile_bands(estimate, variance, floor)
        p10[near], p50[near], p90[near] = low, mid, high
    return Bands(p50, p10, p90, variogram.as_dict())


def log_mean_temperature_k(
    depths_m: NDArray[np.float64], temperatures_k: NDArray[np.float64], length_m: float
) -> float:
    """Mean temperature of a log over the part of the BHE it covers (trapezoid over depth).

    The top 10 m follow the seasons (OKINAWA-FY2017 §1.11): readings shallower than 10 m are
    left out when deeper ones exist. NaN when the log has fewer than two usable points.
    """
    depth = np.asarray(depths_m, dtype=np.float64)
    temperature = np.asarray(temperatures_k, dtype=np.float64)
    keep = (depth <= length_m) & np.isfinite(temperature)
    if (keep & (depth >= 10)).sum() >= 2:
        keep &= depth >= 10
    depth, temperature = depth[keep], temperature[keep]
    if len(depth) < 2:
        return float("nan")
    order = np.argsort(depth)
    depth, temperature = depth[order], temperature[order]
    return float(np.trapezoid(temperature, depth) / (depth[-1] - depth[0]))
