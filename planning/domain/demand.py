"""Heating and cooling demand of a district: from its building stock (floor area by use) when
one is given, else an estimate from its population × floor area per person as housing,
marked as an estimate. Loads by unit load and degree-days (estimates.domain.loads)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from estimates.domain.loads import loads_from_use


def demand_from_stock(
    floor_area_by_use_m2: dict[str, float], monthly_mean_k: ArrayLike
) -> dict[str, Any]:
    heating = cooling = heating_peak = cooling_peak = 0.0
    for use, area in floor_area_by_use_m2.items():
        if area <= 0:
            continue
        loads = loads_from_use(use, area, monthly_mean_k)
        heating += loads.annual_heating_j
        cooling += loads.annual_cooling_j
        heating_peak += float(np.max(loads.heating_peak_w))
        cooling_peak += float(np.max(loads.cooling_peak_w))
    return {
        "heating_j": heating,
        "cooling_j": cooling,
        "heating_peak_w": heating_peak,
        "cooling_peak_w": cooling_peak,
    }


def demand_from_population(
    population: int, floor_m2_per_person: float, monthly_mean_k: ArrayLike
) -> dict[str, Any]:
    """Housing only: population × floor area per person, as apartments (an estimate)."""
    return demand_from_stock({"apartment": population * floor_m2_per_person}, monthly_mean_k)
