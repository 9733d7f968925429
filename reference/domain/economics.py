"""Economic rules of the reference data. Pure numpy: no Django."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def subsidy(eligible_cost: ArrayLike, rate: float | None, cap: float | None) -> NDArray[np.float64]:
    """Subsidy of a programme: min(rate × eligible cost, cap) (YOSHIOKA-2014 §5.4, rule form).

    eligible_cost: the cost the programme covers, in its currency; rate: share 0–1, None when
    the programme pays a fixed amount (then the cap, up to the cost); cap: per project, None
    when there is none.
    """
    cost = np.asarray(eligible_cost, dtype=np.float64)
    if np.any(cost < 0):
        raise ValueError("eligible_cost must not be negative")
    amount = cost * rate if rate is not None else cost
    return np.minimum(amount, cap) if cap is not None else amount
