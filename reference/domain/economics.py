"""Economic rules of the reference data. Pure numpy: no Django."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

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


# The sides a cost line can be on (YOSHIOKA-2014 §5.1 Table 13, the sides inferred from its
# items: primary = the ground side and the heat pump; secondary = the building's
# distribution, fan coils; other = outdoor piping, antifreeze, ...).
Side = Literal["primary", "secondary", "other"]
SIDES: tuple[Side, ...] = ("primary", "secondary", "other")


@dataclass(frozen=True)
class CostLine:
    """One line of an estimate's investment: what, how much (currency), on which side."""

    item: str
    amount: float
    side: Side

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"unknown side {self.side!r}: one of {', '.join(SIDES)}")
        if not math.isfinite(self.amount) or self.amount < 0:
            raise ValueError(f"the cost of {self.item!r} must be a non-negative number")


def eligible_sides(eligible_costs: str | None) -> frozenset[Side] | None:
    """The sides a programme's `eligible_costs` text names, None when it names none (then the
    whole investment is eligible, as the programme states no restriction).

    The programmes of YOSHIOKA-2014 §5.4 say "HP system primary side only", "primary side",
    "primary side (cap per year per project)" or nothing; a text that names a side we do not
    know raises, so a new programme is read by a person, not guessed.
    """
    text = (eligible_costs or "").strip().lower()
    if not text:
        return None
    named: tuple[Side, ...] = ("primary", "secondary")
    found = frozenset(side for side in named if f"{side} side" in text)
    if not found:
        raise ValueError(f"eligible costs {eligible_costs!r} name no known side")
    return found


def eligible_cost(lines: Iterable[CostLine], sides: frozenset[Side] | None) -> float:
    """Σ amount of the lines on the eligible sides (all lines when sides is None)."""
    return float(sum(line.amount for line in lines if sides is None or line.side in sides))


def subsidy_for_lines(
    lines: Iterable[CostLine], rate: float | None, cap: float | None, eligible_costs: str | None
) -> float:
    """min(rate × eligible cost, cap), the eligible cost summed over the lines on the sides the
    programme covers (YOSHIOKA-2014 §5.4: METI's schemes cover the primary side only)."""
    return float(subsidy(eligible_cost(lines, eligible_sides(eligible_costs)), rate, cap))
