"""How much of a layer rests on demonstration data (synthetic boreholes, schematic geology).

Definition (per cell): the share of the cell's value that comes from demonstration inputs.
- A kriged cell: Σ |w_j| I_j / Σ |w_j| over the kriging weights w_j of its data, I_j = 1 for a
  synthetic datum (interpolation.KrigingResult.indicator_share). The weights are exactly how
  much each datum contributes to the value shown; absolute values because ordinary-kriging
  weights can be slightly negative.
- A fallback cell (a unit's table value): 1 when the unit is schematic, else 0.
- A cell computed from several layers (G.POT from λ and T0): the largest share of its inputs
  (combined_share): a value is demonstration data as soon as one input it cannot do without is.
- The layer: the mean over the cells that have a value (layer_share), i.e. the share of the
  mapped area's value that is demonstration data.

Why not a count of inputs ("43 of 44 boreholes are synthetic"): a count says nothing about
where the map's values come from. One real borehole in a corner and 43 synthetic ones covering
the rest is a map that is demonstration data almost everywhere; a count would report the same
98 % for a map where the real borehole sits in the only populated valley. The weight share is
what the point answer needs at a cell, and its mean is what the legend needs for the layer.
The mark rule (issue 20): show "demonstration data" wherever the share is not zero.
Pure numpy.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def combined_share(*cell_shares: ArrayLike) -> NDArray[np.float64]:
    """Per cell, the largest share among the input layers (NaN where an input has none)."""
    if not cell_shares:
        raise ValueError("at least one share is needed")
    stacked = np.stack([np.asarray(s, dtype=np.float64) for s in np.broadcast_arrays(*cell_shares)])
    result = stacked.max(axis=0)  # NaN if any input is NaN: no value, no share
    return np.asarray(result)


def layer_share(cell_share: ArrayLike, has_value: ArrayLike | None = None) -> float:
    """The layer's share: the mean of the cell shares over the cells with a value (NaN shares
    and cells without a value are left out); 0.0 for a layer with no cell."""
    share = np.asarray(cell_share, dtype=np.float64)
    keep = np.isfinite(share)
    if has_value is not None:
        keep &= np.asarray(has_value, dtype=bool)
    if not keep.any():
        return 0.0
    return float(np.clip(share[keep].mean(), 0.0, 1.0))


def is_demonstration(share: float | ArrayLike) -> bool | NDArray[np.bool_]:
    """Whether to mark "demonstration data": any share above zero (issue 20's rule)."""
    value = np.asarray(share, dtype=np.float64)
    marked = np.isfinite(value) & (value > 0)
    return bool(marked) if marked.ndim == 0 else marked
