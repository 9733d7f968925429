"""Ordinary kriging in a local neighbourhood, with its variance, for 10⁶ cells in seconds.

Global kriging does not scale (gstools: 500 points onto 10⁶ cells took 412 s and 19 GB,
PERFORMANCE.md). Each cell is estimated from its k nearest data points instead, the small
kriging systems solved in batches with numpy. The variogram is exponential; its sill, range
and nugget are fitted to the data by least squares on the empirical variogram.
Pure numpy and scipy: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    xy_m: NDArray[np.float64], values: NDArray[np.float64], bins: int = 12
) -> Variogram:
    """Fit an exponential variogram with gstools (empirical variogram, then least squares).

    Few points or no spatial structure fall back to a pure sill at the sample variance, with a
    range of a third of the extent: an honest "we know little" that widens the bands fast.
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
    model.nugget_bounds = [0.0, variance]
    try:
        model.fit_variogram(centres[usable], gamma[usable], nugget=True)
    except (RuntimeError, ValueError):
        return fallback
    # gstools' exponential is sill·(1 − exp(−h/len_scale)) + nugget: the same form as ours.
    return Variogram(float(model.var), float(model.len_scale), float(model.nugget))


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
    n = len(values)
    if n == 0:
        nan = np.full(len(targets_xy_m), np.nan)
        return nan, nan.copy()
    k = min(neighbours, n)
    tree = cKDTree(xy_m)
    estimate = np.empty(len(targets_xy_m))
    variance = np.empty(len(targets_xy_m))
    for start in range(0, len(targets_xy_m), CELLS_PER_BATCH):
        targets = targets_xy_m[start : start + CELLS_PER_BATCH]
        distance, index = tree.query(targets, k=k)
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
        estimate[start : start + m] = np.sum(weights * values[index], axis=1)
        variance[start : start + m] = np.sum(weights * rhs[:, :k], axis=1) + mu
    return estimate, np.clip(variance, 0.0, None)


def percentile_bands(
    estimate: NDArray[np.float64], variance: NDArray[np.float64], floor: float | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """P10, P50, P90 of a Gaussian with the kriging mean and variance (clipped at `floor`)."""
    sigma = np.sqrt(variance)
    low, high = estimate - Z90 * sigma, estimate + Z90 * sigma
    if floor is not None:
        low = np.maximum(low, floor)
    return low, estimate, high
