"""Ordinary kriging in a local neighbourhood, with its variance, for 10⁶ cells in seconds.

Global kriging does not scale (gstools: 500 points onto 10⁶ cells took 412 s and 19 GB,
PERFORMANCE.md). Each cell is estimated from its k nearest data points instead, the small
kriging systems solved in batches with numpy. The variogram is exponential; its sill, range
and nugget are fitted to the data by least squares on the empirical variogram.
Pure numpy and scipy: no Django.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

# z of the standard normal distribution at 90 %: P10/P90 = mean ∓ 1.2816 σ
Z90 = 1.2815515655446004
CELLS_PER_BATCH = 20_000  # about 60 MB of kriging systems at k = 16


@dataclass(frozen=True)
class Variogram:
    """Exponential variogram γ(h) = nugget + sill · (1 − exp(−h / range)); h in m."""

    sill: float
    range_m: float
    nugget: float = 0.0

    def __call__(self, distance_m: NDArray[np.float64]) -> NDArray[np.float64]:
        gamma = self.nugget + self.sill * (1 - np.exp(-distance_m / self.range_m))
        return np.where(distance_m > 0, gamma, 0.0)

    @property
    def total_sill(self) -> float:
        return self.sill + self.nugget

    def as_dict(self) -> dict[str, float]:
        """The parameters as stored in a layer's definition."""
        return {"sill": self.sill, "range_m": self.range_m, "nugget": self.nugget}


def fit_variogram(
    xy_m: NDArray[np.float64], values: NDArray[np.float64], bins: int = 12, nugget: bool = True
) -> Variogram:
    """Fit an exponential variogram with gstools (empirical variogram, then least squares).

    Few points or no spatial structure fall back to a pure sill at the sample variance, with a
    range of a third of the extent: an honest "we know little" that widens the bands fast.
    nugget=False fits none: kriging then honours each datum at and near its location (a cell
    50 m from a well takes nearly the well's value) instead of smoothing it towards the mean.
    """
    import gstools as gs

    n = len(values)
    variance = float(np.var(values)) if n > 1 else 0.0
    extent = float(np.ptp(xy_m, axis=0).max()) if n > 1 else 1000.0
    fallback = Variogram(sill=max(variance, 1e-12), range_m=max(extent / 3, 1.0))
    if n < 8 or variance <= 0:
        return fallback
    edges = np.linspace(0, extent * 0.6, bins + 1)
    sample = min(n, 2000)  # gstools samples pairs of this many points for large sets
    centres, gamma, counts = gs.vario_estimate(
        (xy_m[:, 0], xy_m[:, 1]),
        values,
        edges,
        sampling_size=sample if n > sample else None,
        sampling_seed=0,
        return_counts=True,
    )
    usable = counts >= 3
    if usable.sum() < 3:
        return fallback
    # Bounds keep the fit physical: the sill near the sample variance, the range within the
    # area the data span (an unbounded fit of a still-rising variogram runs off to infinity).
    model = gs.Exponential(dim=2)
    model.var_bounds = [1e-12, 2 * variance]
    model.len_scale_bounds = [extent / 200, extent]
    if nugget:
        model.nugget_bounds = [0.0, variance]
    try:
        model.fit_variogram(centres[usable], gamma[usable], nugget=nugget)
    except (RuntimeError, ValueError):
        return fallback
    # gstools' exponential is sill·(1 − exp(−h/len_scale)) + nugget: the same form as ours.
    return Variogram(float(model.var), float(model.len_scale), float(model.nugget))


def nearest(
    points_xy_m: NDArray[np.float64] | cKDTree,
    targets_xy_m: NDArray[np.float64],
    k: int = 1,
    **options: Any,
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """(distance m, index) of the k nearest points to each target (scipy cKDTree.query, its
    options passed on: p, distance_upper_bound); arrays even for a single target."""
    tree = points_xy_m if isinstance(points_xy_m, cKDTree) else cKDTree(points_xy_m)
    distance, index = tree.query(targets_xy_m, k=k, **options)
    return np.asarray(distance, dtype=np.float64), np.asarray(index, dtype=np.intp)


def _kriging_batches(
    xy_m: NDArray[np.float64],
    targets_xy_m: NDArray[np.float64],
    variogram: Variogram,
    neighbours: int,
) -> Iterator[tuple[int, NDArray[np.float64], NDArray[np.intp], NDArray[np.float64]]]:
    """(first target, weights (m, k), data index (m, k), kriging variance (m,)) per batch.

    Ordinary kriging (weights sum to 1, Lagrange multiplier μ): Σ w_j γ(x_i, x_j) + μ = γ(x_i, x0),
    variance = Σ w_i γ(x_i, x0) + μ (e.g. Webster & Oliver 2007, Geostatistics for Environmental
    Scientists, §8.2; literature, check before citing).
    """
    k = min(neighbours, len(xy_m))
    tree = cKDTree(xy_m)
    for start in range(0, len(targets_xy_m), CELLS_PER_BATCH):
        targets = targets_xy_m[start : start + CELLS_PER_BATCH]
        distance, index = nearest(tree, targets, k=k)
        if k == 1:
            distance, index = distance[:, None], index[:, None]
        # Neighbouring cells mostly share their k nearest boreholes: build and invert each
        # distinct kriging matrix once, then apply it to every cell that uses it.
        order = np.argsort(index, axis=1)
        index = np.take_along_axis(index, order, axis=1)
        distance = np.take_along_axis(distance, order, axis=1)
        sets, which = np.unique(index, axis=0, return_inverse=True)
        which = which.reshape(-1)
        points = xy_m[sets]  # (u, k, 2)
        between = np.linalg.norm(points[:, :, None, :] - points[:, None, :, :], axis=-1)
        system = np.ones((len(sets), k + 1, k + 1))
        system[:, :k, :k] = variogram(between)
        system[:, k, k] = 0.0
        inverse = np.linalg.inv(system)
        m = len(targets)
        rhs = np.ones((m, k + 1))
        rhs[:, :k] = variogram(distance)
        # A target on a data point: its γ(h=0) is 0 and the weights put 1 there.
        solution = np.einsum("mij,mj->mi", inverse[which], rhs)
        weights, mu = solution[:, :k], solution[:, k]
        variance = np.sum(weights * rhs[:, :k], axis=1) + mu
        yield start, weights, index, variance


def local_ordinary_kriging(
    xy_m: NDArray[np.float64],
    values: NDArray[np.float64],
    targets_xy_m: NDArray[np.float64],
    variogram: Variogram,
    neighbours: int = 16,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Estimate and kriging variance at each target from its `neighbours` nearest data points.

    Ordinary kriging (weights sum to 1, Lagrange multiplier μ): Σ w_j γ(x_i, x_j) + μ = γ(x_i, x0),
    variance = Σ w_i γ(x_i, x0) + μ. Exact at a data point (variance 0 without nugget), and the
    variance grows towards the sill away from the data.
    """
    result = local_ordinary_kriging_with_data(xy_m, values, targets_xy_m, variogram, neighbours)
    return result.estimate, result.variance


@dataclass(frozen=True)
class KrigingResult:
    """Ordinary kriging at each target, with what its weights carry from the data.

    estimate: Σ w_j z_j. variance: the kriging variance (spatial uncertainty only).
    data_std: Σ w_j σ_j, the data's own error carried by the weights, taken as fully correlated
    between data (a lithology table's error is the same at every borehole of that lithology, so
    it does not average out between boreholes); 0 when no data error was given.
    indicator_share: Σ |w_j| I_j / Σ |w_j| for a 0/1 attribute of the data (e.g. synthetic);
    NaN when no indicator was given.
    """

    estimate: NDArray[np.float64]
    variance: NDArray[np.float64]
    data_std: NDArray[np.float64]
    indicator_share: NDArray[np.float64]


def local_ordinary_kriging_with_data(
    xy_m: NDArray[np.float64],
    values: NDArray[np.float64],
    targets_xy_m: NDArray[np.float64],
    variogram: Variogram,
    neighbours: int = 16,
    data_std: NDArray[np.float64] | None = None,
    indicator: NDArray[np.bool_] | None = None,
) -> KrigingResult:
    """Local ordinary kriging (as `local_ordinary_kriging`) that also carries, through the same
    weights, each datum's own standard deviation and a 0/1 attribute (see KrigingResult).

    data_std: σ of each datum (e.g. the spread of the lithology table behind a borehole's λ);
    a datum that is not a measurement keeps its error at its own location, so the band does not
    collapse to zero width there.
    """
    n, m = len(values), len(targets_xy_m)
    if n == 0:
        nan = np.full(m, np.nan)
        return KrigingResult(nan, nan.copy(), nan.copy(), nan.copy())
    sigma = None if data_std is None else np.asarray(data_std, dtype=np.float64)
    flag = None if indicator is None else np.asarray(indicator, dtype=np.float64)
    estimate = np.empty(m)
    variance = np.empty(m)
    carried = np.zeros(m)
    share = np.full(m, np.nan)
    for start, weights, index, batch_variance in _kriging_batches(
        xy_m, targets_xy_m, variogram, neighbours
    ):
        rows = slice(start, start + len(weights))
        estimate[rows] = np.sum(weights * values[index], axis=1)
        variance[rows] = batch_variance
        if sigma is not None:
            carried[rows] = np.abs(np.sum(weights * sigma[index], axis=1))
        if flag is not None:
            magnitude = np.abs(weights)
            share[rows] = np.sum(magnitude * flag[index], axis=1) / np.sum(magnitude, axis=1)
    return KrigingResult(estimate, np.clip(variance, 0.0, None), carried, share)


def percentile_bands(
    estimate: NDArray[np.float64], variance: NDArray[np.float64], floor: float | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """P10, P50, P90 of a Gaussian with the kriging mean and variance (clipped at `floor`)."""
    sigma = np.sqrt(variance)
    low, high = estimate - Z90 * sigma, estimate + Z90 * sigma
    if floor is not None:
        low = np.maximum(low, floor)
    return low, estimate, high
