"""A property table's (minimum, typical, maximum) as a distribution. Pure numpy and scipy.

The lithology table (VDI 4640-1 Table B1, geology/migrations/0003) gives λ as a minimum, a
design ("typical") value and a maximum. Those are the range's extremes, not its P10 and P90:
shown as a band they overstate the spread, and a lookup at a borehole shown with no band at all
claims a measurement that was never made.

Distribution: beta-PERT (Malcolm, Roseboom, Clark & Fazar 1959, Operations Research 7:646; the
modified form with shape γ = 4, Vose 2008, Risk Analysis: A Quantitative Guide, §9.1.4;
literature, check before citing). Chosen because it
- uses all three numbers the table gives (a uniform ignores the typical value),
- is bounded by the table's extremes (a normal is not), so its P10/P90 are strictly inside them,
- puts less weight near the extremes than a triangular with the same three numbers (the table's
  extremes are rare rocks of the class, not equally likely ones), and
- is the usual reading of an expert's (min, most likely, max) in risk analysis.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import beta as beta_distribution

PERT_SHAPE = 4.0  # γ of the modified PERT; 4 is the classical PERT (Vose 2008)
P10, P90 = 0.1, 0.9


def _checked(
    minimum: ArrayLike, mode: ArrayLike, maximum: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    low = np.asarray(minimum, dtype=np.float64)
    typical = np.asarray(mode, dtype=np.float64)
    high = np.asarray(maximum, dtype=np.float64)
    bad = (low > typical) | (typical > high)
    if np.any(bad):
        raise ValueError("a range needs minimum ≤ typical ≤ maximum")
    return low, typical, high


def pert_shape_parameters(
    minimum: ArrayLike, mode: ArrayLike, maximum: ArrayLike, shape: float = PERT_SHAPE
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(α, β) of the beta-PERT on [min, max]: α = 1 + γ (mode − min)/(max − min),
    β = 1 + γ (max − mode)/(max − min) (Vose 2008 §9.1.4). A zero-width range gives α = β = 1 + γ/2
    (any value; the quantiles then all equal the one value)."""
    low, typical, high = _checked(minimum, mode, maximum)
    width = high - low
    fraction = np.divide(typical - low, width, out=np.full(width.shape, 0.5), where=width > 0)
    return 1 + shape * fraction, 1 + shape * (1 - fraction)


def pert_quantile(
    minimum: ArrayLike,
    mode: ArrayLike,
    maximum: ArrayLike,
    probability: float,
    shape: float = PERT_SHAPE,
) -> NDArray[np.float64]:
    """The `probability` quantile of the beta-PERT of (min, typical, max). For 0 < p < 1 it is
    strictly inside (min, max) whenever max > min. NaN inputs give NaN."""
    if not 0 < probability < 1:
        raise ValueError("probability must be strictly between 0 and 1")
    low, typical, high = _checked(minimum, mode, maximum)
    alpha, beta = pert_shape_parameters(low, typical, high, shape)
    return np.asarray(low + (high - low) * beta_distribution.ppf(probability, alpha, beta))


def pert_mean(
    minimum: ArrayLike, mode: ArrayLike, maximum: ArrayLike, shape: float = PERT_SHAPE
) -> NDArray[np.float64]:
    """Mean of the beta-PERT: (min + γ·mode + max) / (γ + 2), (min + 4 mode + max)/6 for γ = 4."""
    low, typical, high = _checked(minimum, mode, maximum)
    return np.asarray((low + shape * typical + high) / (shape + 2))


def pert_std(
    minimum: ArrayLike, mode: ArrayLike, maximum: ArrayLike, shape: float = PERT_SHAPE
) -> NDArray[np.float64]:
    """Standard deviation of the beta-PERT: (max − min)·√(αβ / ((α+β)²(α+β+1))) (the beta's
    variance scaled to [min, max]); for γ = 4, var = (μ − min)(max − μ)/7."""
    low, typical, high = _checked(minimum, mode, maximum)
    alpha, beta = pert_shape_parameters(low, typical, high, shape)
    total = alpha + beta
    return np.asarray((high - low) * np.sqrt(alpha * beta / (total**2 * (total + 1))))


def pert_bands(
    minimum: ArrayLike, mode: ArrayLike, maximum: ArrayLike, shape: float = PERT_SHAPE
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(P10, P50, P90) to show for a unit's range: the PERT's 10th, 50th and 90th percentiles.

    P50 is the median, not the table's typical value (the mode): where the typical value sits at
    an extreme (tuff: 1.1, 1.1, 1.5 W/(m·K)) the mode lies outside its own P10–P90, and a band
    must contain its middle value. For a symmetric range median = mode = mean.
    """
    return (
        pert_quantile(minimum, mode, maximum, P10, shape),
        pert_quantile(minimum, mode, maximum, 0.5, shape),
        pert_quantile(minimum, mode, maximum, P90, shape),
    )
