"""Bands that say what is known: kriging variance plus the data's own error, table ranges as
distributions, point measurements that override their surroundings. Pure numpy and scipy.

Issue 20 found bands that collapsed to zero at a borehole whose λ is a table lookup, a unit's
table extremes shown as P10/P90, a TRT's flat ±10 % and a kriged groundwater depth of 8.3 m at a
well that measured 2.1 m. The functions here are the replacements; potential_map.services wires
them (see /work/notes/map-domain-integration.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from potential_map.domain.interpolation import (
    Z90,
    Variogram,
    fit_variogram,
    local_ordinary_kriging_with_data,
    nearest,
)

MIN_POINTS_TO_KRIGE = 3


@dataclass(frozen=True)
class UncertainLayer:
    """P10, P50, P90 and σ of a quantity per cell, and how much of it is demonstration data.

    std: the Gaussian σ behind P10/P90 where the band is Gaussian (kriged cells), else the
    fallback's σ as given (NaN when the fallback gives none). demonstration_share: per cell, the
    share of the value that comes from synthetic or schematic inputs (potential_map.domain.
    demonstration explains the definition); NaN where the cell has no value. honoured: cells
    whose value is a datum inside them, not an interpolation.
    """

    p10: NDArray[np.float64]
    p50: NDArray[np.float64]
    p90: NDArray[np.float64]
    std: NDArray[np.float64]
    demonstration_share: NDArray[np.float64]
    variogram: dict[str, float] | None
    kriged_cells: int = 0
    honoured_cells: int = 0
    notes: list[str] = field(default_factory=list)


def gaussian_bands(
    mean: ArrayLike, std: ArrayLike, floor: float | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(P10, P50, P90) = mean ∓ z₀.₉ σ of a Gaussian (z₀.₉ = 1.2816), P10 clipped at `floor`."""
    centre = np.asarray(mean, dtype=np.float64)
    sigma = np.asarray(std, dtype=np.float64)
    low, high = centre - Z90 * sigma, centre + Z90 * sigma
    if floor is not None:
        low = np.maximum(low, floor)
    return low, centre.copy(), high


def kriged_bands(
    points_xy_m: NDArray[np.float64],
    values: NDArray[np.float64],
    cells_xy_m: NDArray[np.float64],
    fallback: tuple[ArrayLike, ArrayLike, ArrayLike],
    *,
    data_std: ArrayLike | None = None,
    data_is_demonstration: ArrayLike | None = None,
    fallback_is_demonstration: ArrayLike | None = None,
    fallback_std: ArrayLike | None = None,
    variogram: Variogram | None = None,
    fit_nugget: bool = True,
    floor: float | None = None,
    neighbours: int = 16,
    honour_cell_size_m: float | None = None,
) -> UncertainLayer:
    """Local ordinary kriging within one variogram range of the data, the fallback beyond it,
    with bands from the kriging variance AND the data's own error.

    σ² = σ²_kriging + (Σ w_j σ_j)²: the second term is each datum's standard deviation
    `data_std` carried by the kriging weights (fully correlated, see interpolation.KrigingResult),
    so at a borehole whose λ is a lithology lookup the band keeps the table's spread instead of
    collapsing to zero. P10/P90 = P50 ∓ 1.2816 σ (Gaussian), P10 clipped at `floor`.

    fallback: (P10, P50, P90) per cell beyond the data, e.g. a unit's PERT quantiles
    (geology.domain.property_ranges.pert_bands), never its table extremes; NaN stays NaN.
    honour_cell_size_m: when given, a cell that contains data points (within half a cell of its
    centre) takes their mean as P50 and their own σ (and spread) as its band: the map shows the
    measurement in the cell that holds it rather than an interpolation 50 m away.
    fit_nugget: False fits a variogram without nugget (the surface then passes through the data;
    used for groundwater depth, whose readings are measurements).
    Fewer than 3 usable data: the fallback everywhere.
    """
    f10, f50, f90 = (np.array(a, dtype=np.float64, copy=True) for a in fallback)
    count = len(cells_xy_m)
    f10, f50, f90 = (np.broadcast_to(a, (count,)).copy() for a in (f10, f50, f90))
    std = (
        np.full(count, np.nan)
        if fallback_std is None
        else np.broadcast_to(np.asarray(fallback_std, dtype=np.float64), (count,)).copy()
    )
    share = (
        np.zeros(count)
        if fallback_is_demonstration is None
        else np.broadcast_to(
            np.asarray(fallback_is_demonstration, dtype=np.float64), (count,)
        ).copy()
    )
    share[~np.isfinite(f50)] = np.nan
    values = np.asarray(values, dtype=np.float64)
    sigma = np.zeros(len(values)) if data_std is None else np.asarray(data_std, dtype=np.float64)
    demo = (
        np.zeros(len(values), dtype=bool)
        if data_is_demonstration is None
        else np.asarray(data_is_demonstration, dtype=bool)
    )
    usable = np.isfinite(values) & np.isfinite(sigma)
    points, values, sigma, demo = points_xy_m[usable], values[usable], sigma[usable], demo[usable]
    if len(values) < MIN_POINTS_TO_KRIGE:
        return UncertainLayer(f10, f50, f90, std, share, None, notes=["fewer than 3 data"])
    variogram = variogram or fit_variogram(points, values, nugget=fit_nugget)
    distance, _index = nearest(points, cells_xy_m)
    near = distance <= variogram.range_m
    kriged = 0
    if near.any():
        result = local_ordinary_kriging_with_data(
            points,
            values,
            cells_xy_m[near],
            variogram,
            neighbours,
            data_std=sigma,
            indicator=demo,
        )
        total = np.sqrt(result.variance + result.data_std**2)
        low, mid, high = gaussian_bands(result.estimate, total, floor)
        f10[near], f50[near], f90[near], std[near] = low, mid, high, total
        share[near] = result.indicator_share
        kriged = int(near.sum())
    honoured = 0
    if honour_cell_size_m is not None:
        honoured = _honour_data_cells(
            points, values, sigma, demo, cells_xy_m, honour_cell_size_m, floor,
            (f10, f50, f90, std, share),
        )  # fmt: skip
    return UncertainLayer(
        f10, f50, f90, std, share, variogram.as_dict(), kriged_cells=kriged, honoured_cells=honoured
    )


def _honour_data_cells(
    points: NDArray[np.float64],
    values: NDArray[np.float64],
    sigma: NDArray[np.float64],
    demo: NDArray[np.bool_],
    cells_xy_m: NDArray[np.float64],
    cell_size_m: float,
    floor: float | None,
    out: tuple[NDArray[np.float64], ...],
) -> int:
    """Write, in place, each data-holding cell's own measurement: P50 the mean of its data,
    σ² = their spread + their mean σ² (a cell's several wells disagreeing is uncertainty too)."""
    p10, p50, p90, std, share = out
    # Chebyshev distance ≤ half a cell: the point lies in that cell's square.
    distance, cell = nearest(cells_xy_m, points, p=np.inf)
    inside = distance <= cell_size_m / 2 + 1e-9
    if not inside.any():
        return 0
    cell, values, sigma, demo = cell[inside], values[inside], sigma[inside], demo[inside]
    held = np.unique(cell)
    for index in held:
        mine = cell == index
        mean = float(values[mine].mean())
        spread = float(values[mine].var()) + float(np.mean(sigma[mine] ** 2))
        low, mid, high = gaussian_bands(np.array([mean]), np.array([np.sqrt(spread)]), floor)
        p10[index], p50[index], p90[index] = low[0], mid[0], high[0]
        std[index] = np.sqrt(spread)
        share[index] = float(demo[mine].mean())
    return len(held)


def local_override(
    p50: ArrayLike,
    std: ArrayLike,
    cells_xy_m: NDArray[np.float64],
    points_xy_m: NDArray[np.float64],
    point_values: ArrayLike,
    point_std: ArrayLike,
    length_m: float,
    floor: float | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(P10, P50, P90, σ) after a point measurement overrides the field near it: a TRT's λ, a
    temperature log's mean.

    Simple kriging update with one datum, the nearest measurement: Δ = v − field(x_p) at the
    measurement's cell, ρ = exp(−d/length_m), value = field + ρΔ and
    σ² = (1 − ρ²) σ²_field + ρ² σ²_point (e.g. Webster & Oliver 2007 §8.3 for simple kriging;
    literature, check before citing). At the measurement the cell takes it with its own σ; a
    length away 37 % of the correction is left; beyond 3 lengths (5 %) the field is unchanged.
    This replaces a flat disc (every cell within 1 km given the TRT's λ ± 10 %).
    """
    field_p50 = np.array(p50, dtype=np.float64, copy=True)
    field_std = np.array(std, dtype=np.float64, copy=True)
    values = np.asarray(point_values, dtype=np.float64)
    sigma = np.asarray(point_std, dtype=np.float64)
    usable = np.isfinite(values) & np.isfinite(sigma)
    points, values, sigma = points_xy_m[usable], values[usable], sigma[usable]
    if len(values) == 0:
        low, mid, high = gaussian_bands(field_p50, field_std, floor)
        return low, mid, high, field_std
    # The field at each measurement: its nearest cell (a measurement off the grid is ignored).
    to_cell, at_cell = nearest(cells_xy_m, points)
    on_grid = to_cell <= length_m
    points, values, sigma, at_cell = (
        points[on_grid],
        values[on_grid],
        sigma[on_grid],
        at_cell[on_grid],
    )
    if len(values) == 0:
        low, mid, high = gaussian_bands(field_p50, field_std, floor)
        return low, mid, high, field_std
    correction = values - field_p50[at_cell]
    distance, closest = nearest(points, cells_xy_m, distance_upper_bound=3 * length_m)
    reached = np.flatnonzero(np.isfinite(distance))
    rho = np.exp(-distance[reached] / length_m)
    which = closest[reached]
    # Where the field has no value (or no band) at a cell or at the measurement, there is nothing
    # to correct: those cells stay as they are (the measurement's own cell is set below).
    ok = (
        np.isfinite(correction[which])
        & np.isfinite(field_p50[reached])
        & np.isfinite(field_std[reached])
    )
    cells, rho, which = reached[ok], rho[ok], which[ok]
    field_p50[cells] += rho * correction[which]
    field_std[cells] = np.sqrt((1 - rho**2) * field_std[cells] ** 2 + rho**2 * sigma[which] ** 2)
    field_p50[at_cell], field_std[at_cell] = values, sigma
    low, mid, high = gaussian_bands(field_p50, field_std, floor)
    return low, mid, high, field_std
