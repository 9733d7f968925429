"""Technical potential of ground heat per district, summed from the map's cells.

Closed loop (G.POT, CASASSO-SETHI-2016): boreholes per cell = adoption × cell area / spacing²,
each exchanging the cell's annual-mean W/m × BHE length all year; open loop: doublets per cell
= adoption × cell area / doublet spacing², each giving its sustainable heat rate through the
season. Ground-side energy becomes building-side heat by COP/(COP − 1) (heating) and
EER/(EER + 1) (cooling) (COP = Q_heat / W, EER = Q_cool / W: ETV-052-2101 Table 3-3's rating
balance). Red cells of the constraint layer contribute
nothing; no value (NaN) contributes nothing. Pure numpy: one bincount per quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

SECONDS_PER_YEAR = 365 * 86400.0
RED = 2


@dataclass(frozen=True)
class Scenario:
    adoption_share: float = 0.2  # share of each cell's area that takes up ground heat
    bhe_spacing_m: float = 10.0
    bhe_length_m: float = 100.0  # the G.POT layer's reference length unless changed
    cop_heating: float = 4.0
    eer_cooling: float = 4.5

    def __post_init__(self) -> None:
        if not 0 <= self.adoption_share <= 1:
            raise ValueError("the adoption share is between 0 and 1")
        if self.bhe_spacing_m <= 0 or self.bhe_length_m <= 0:
            raise ValueError("spacing and length must be positive")
        if self.cop_heating <= 1 or self.eer_cooling <= 0:
            raise ValueError("COP must exceed 1 and EER must be positive")


def _sum(
    index: NDArray[np.int64], values: NDArray[np.float64], districts: int
) -> NDArray[np.float64]:
    ok = (index >= 0) & np.isfinite(values)
    sums = np.bincount(index[ok], weights=values[ok], minlength=districts)  # float64 (weights)
    return np.asarray(sums[:districts], dtype=np.float64)


def closed_loop_supply_j(
    district_index: NDArray[np.int64],
    districts: int,
    cell_area_m2: float,
    heating_w_per_m: NDArray[np.float64],
    cooling_w_per_m: NDArray[np.float64],
    constraint_class: NDArray[np.float64],
    scenario: Scenario,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(heating, cooling) building-side energy per district, J/yr."""
    usable = constraint_class != RED
    boreholes = scenario.adoption_share * cell_area_m2 / scenario.bhe_spacing_m**2
    per_cell = boreholes * scenario.bhe_length_m * SECONDS_PER_YEAR
    cop, eer = scenario.cop_heating, scenario.eer_cooling
    heating = np.where(usable, heating_w_per_m * per_cell * cop / (cop - 1), np.nan)
    cooling = np.where(usable, cooling_w_per_m * per_cell * eer / (eer + 1), np.nan)
    return _sum(district_index, heating, districts), _sum(district_index, cooling, districts)


def open_loop_supply_j(
    district_index: NDArray[np.int64],
    districts: int,
    cell_area_m2: float,
    doublet_heat_rate_w: NDArray[np.float64],
    doublet_spacing_m: NDArray[np.float64],
    constraint_class: NDArray[np.float64],
    heating_season_s: float,
    cooling_season_s: float,
    scenario: Scenario,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(heating, cooling) building-side energy per district, J/yr; a doublet occupies its
    thermal-breakthrough spacing squared."""
    usable = constraint_class != RED
    doublets = scenario.adoption_share * cell_area_m2 / np.square(doublet_spacing_m)
    ground_w = np.where(usable, doublets * doublet_heat_rate_w, np.nan)
    cop, eer = scenario.cop_heating, scenario.eer_cooling
    heating = ground_w * heating_season_s * cop / (cop - 1)
    cooling = ground_w * cooling_season_s * eer / (eer + 1)
    return _sum(district_index, heating, districts), _sum(district_index, cooling, districts)


def coverage(supply_j: NDArray[np.float64], demand_j: NDArray[np.float64]) -> NDArray[np.float64]:
    """min(supply, demand) / demand; NaN where the demand is unknown or zero."""
    supply = np.asarray(supply_j, dtype=np.float64)
    demand = np.asarray(demand_j, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(demand > 0, np.minimum(supply, demand) / demand, np.nan)
