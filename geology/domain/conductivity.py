"""Depth-averaged ground properties along a borehole heat exchanger. Pure numpy: no Django."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike


def depth_weighted_mean(
    tops_m: ArrayLike, bottoms_m: ArrayLike, values: ArrayLike, length_m: float
) -> float:
    """Thickness-weighted mean of a layered property over 0–length_m (NaN if nothing logged).

    Layers are cut at length_m; the part of the length below the deepest layer counts with the
    deepest layer's value (the column is taken to continue), as is usual for a BHE longer than
    the log. λ is averaged arithmetically, as for heat flowing radially through layers in
    parallel (VDI 4640-1; G.POT takes the depth-averaged λ, CASASSO-SETHI-2016).
    """
    tops = np.asarray(tops_m, dtype=np.float64)
    bottoms = np.asarray(bottoms_m, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if tops.size == 0 or length_m <= 0:
        return float("nan")
    order = np.argsort(tops)
    tops, bottoms, v = tops[order], bottoms[order].copy(), v[order]
    bottoms[-1] = max(bottoms[-1], length_m)  # extend the deepest layer to the BHE's end
    thickness = np.clip(np.minimum(bottoms, length_m) - np.clip(tops, 0, length_m), 0, None)
    if thickness.sum() <= 0:
        return float("nan")
    return float(np.sum(thickness * v) / thickness.sum())


def depth_weighted_std(
    tops_m: ArrayLike,
    bottoms_m: ArrayLike,
    stds: ArrayLike,
    groups: Sequence[str],
    length_m: float,
) -> float:
    """Standard deviation of `depth_weighted_mean` when each layer's value is a table lookup
    with standard deviation `stds` (e.g. the PERT σ of its lithology's λ range), NaN if nothing
    is logged.

    Layers of the same group (lithology) share one table error, so their thickness weights add
    before squaring; different lithologies are taken as independent:
    σ² = Σ_g (Σ_{i∈g} w_i σ_i)², w_i = thickness_i / Σ thickness (cut and extended as in
    depth_weighted_mean). A lookup is not a measurement: σ > 0 wherever the table has a range.
    """
    tops = np.asarray(tops_m, dtype=np.float64)
    bottoms = np.asarray(bottoms_m, dtype=np.float64)
    sigma = np.asarray(stds, dtype=np.float64)
    labels = np.asarray(list(groups), dtype=object)
    if tops.size == 0 or length_m <= 0:
        return float("nan")
    if not tops.size == bottoms.size == sigma.size == labels.size:
        raise ValueError("tops, bottoms, stds and groups need one entry per layer")
    order = np.argsort(tops)
    tops, bottoms, sigma, labels = tops[order], bottoms[order].copy(), sigma[order], labels[order]
    bottoms[-1] = max(bottoms[-1], length_m)
    thickness = np.clip(np.minimum(bottoms, length_m) - np.clip(tops, 0, length_m), 0, None)
    if thickness.sum() <= 0:
        return float("nan")
    weighted = thickness / thickness.sum() * sigma
    total = sum(float(weighted[labels == label].sum()) ** 2 for label in set(labels.tolist()))
    return float(np.sqrt(total))
