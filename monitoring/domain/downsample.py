"""Server-side downsampling for plotting: a year of 1-minute data (525 600 points) reduced to
a few thousand that draw the same picture. Pure numpy; indices are returned so every channel
on a shared time axis can be cut the same way.

- `minmax_indices`: per bucket the minimum and the maximum (M4-like; keeps every peak).
- `lttb_indices`: Largest-Triangle-Three-Buckets (Steinarsson 2013, "Downsampling time
  series for visual representation", MSc thesis, Univ. of Iceland), plus the extremes.

Both keep the first and last sample and the global minimum and maximum, and return at most
`n_out` sorted, unique indices. NaN is no value: it is never chosen as an extreme.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from monitoring.domain import timebase

MIN_POINTS = 4  # first, last, minimum, maximum


def _check(n_points: int, n_out: int) -> None:
    if n_out < MIN_POINTS:
        raise ValueError(f"n_out must be at least {MIN_POINTS} (first, last, min, max)")
    if n_points == 0:
        raise ValueError("nothing to downsample")


def _extremes(y: NDArray[np.float64]) -> list[int]:
    finite = np.isfinite(y)
    if not finite.any():
        return []
    low = np.where(finite, y, np.inf)
    high = np.where(finite, y, -np.inf)
    return [int(np.argmin(low)), int(np.argmax(high))]


def minmax_indices(y: ArrayLike, n_out: int) -> NDArray[np.intp]:
    """Indices of the first and last samples and, for each of ⌊(n_out − 2)/2⌋ equal buckets
    of the samples between them, the bucket's minimum and maximum. Vectorised: the interior
    is padded to a (buckets × width) block and reduced along rows."""
    values = np.asarray(y, dtype=np.float64)
    n = values.size
    _check(n, n_out)
    if n <= n_out:
        return np.arange(n)
    interior = values[1:-1]
    buckets = (n_out - 2) // 2
    width = -(-interior.size // buckets)  # ceil
    buckets = -(-interior.size // width)  # fewer when the division leaves empty rows
    padded_size = buckets * width
    low: NDArray[np.float64] = np.full(padded_size, np.inf)
    high: NDArray[np.float64] = np.full(padded_size, -np.inf)
    finite = np.isfinite(interior)
    low[: interior.size] = np.where(finite, interior, np.inf)
    high[: interior.size] = np.where(finite, interior, -np.inf)
    low, high = low.reshape(buckets, width), high.reshape(buckets, width)
    offsets = np.arange(buckets) * width + 1  # +1: interior starts at sample 1
    picks = [offsets + low.argmin(axis=1), offsets + high.argmax(axis=1)]
    # rows of NaN only: argmin lands on their first sample, which is a real sample; keep it
    # only if it is inside the series
    chosen = np.concatenate([[0, n - 1], *picks])
    chosen = chosen[chosen < n]
    return np.unique(chosen)


def lttb_indices(x: ArrayLike, y: ArrayLike, n_out: int) -> NDArray[np.intp]:
    """Largest-Triangle-Three-Buckets on n_out − 2 points, then the global minimum and
    maximum added (so at most n_out). Within a bucket the triangle areas are vectorised; the
    loop runs over buckets (each depends on the point chosen before it). NaN samples get no
    area, so a bucket of NaN only keeps its first sample."""
    xs = timebase.as_seconds(x)
    ys = np.asarray(y, dtype=np.float64)
    n = ys.size
    _check(n, n_out)
    if xs.shape != ys.shape:
        raise ValueError("x and y must have the same length")
    if n <= n_out:
        return np.arange(n)
    target = n_out - 2
    edges = np.linspace(1, n - 1, target - 1).astype(np.intp)  # target − 2 interior buckets
    chosen = [0]
    previous = 0
    for k in range(target - 2):
        start, stop = edges[k], edges[k + 1]
        nxt_start, nxt_stop = edges[k + 1], edges[k + 2] if k + 2 < len(edges) else n
        if nxt_stop <= nxt_start:
            nxt_stop = nxt_start + 1
        next_x = xs[nxt_start:nxt_stop].mean()
        next_ys = ys[nxt_start:nxt_stop]
        px, py = xs[previous], ys[previous]
        next_y = next_ys[np.isfinite(next_ys)].mean() if np.isfinite(next_ys).any() else py
        area = np.abs((px - next_x) * (ys[start:stop] - py) - (px - xs[start:stop]) * (next_y - py))
        area = np.where(np.isfinite(area), area, -1.0)
        previous = int(start + np.argmax(area))
        chosen.append(previous)
    chosen.append(n - 1)
    return np.unique(np.concatenate([chosen, _extremes(ys)]).astype(np.intp))


def downsample(
    times: ArrayLike,
    values: ArrayLike,
    n_out: int,
    method: Literal["minmax", "lttb"] = "minmax",
) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """(times, values) cut to at most `n_out` points for a plot, by `minmax_indices` (default:
    peaks never vanish, which matters for freeze and clogging alarms) or `lttb_indices`."""
    t = np.asarray(times)
    v = np.asarray(values, dtype=np.float64)
    if t.shape != v.shape:
        raise ValueError("times and values must have the same length")
    if method == "minmax":
        index = minmax_indices(v, n_out)
    elif method == "lttb":
        index = lttb_indices(t, v, n_out)
    else:
        raise ValueError(f"unknown method {method!r}")
    return t[index], v[index]
