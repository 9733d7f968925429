"""Building loads from use, floor area and the climate: the peak by the SHASE simplified
method (unit load × area, YOSHIOKA-2014 §1.9), the yearly energy and its months by the
degree-day method (energy ∝ degree-days, peak ∝ design temperature difference; CIBSE TM41,
literature, check before citing). Pure numpy, SI units (W, J, K).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=float)
SECONDS_PER_DAY = 86400.0
HEATING_BASE_K = 291.15  # 18 °C: Japan's D18-18 degree-days (YOSHIOKA-2014 §2)
COOLING_BASE_K = 295.15  # 22 °C (inferred: a common cooling base)
# The design day is colder (warmer) than the coldest (warmest) month's mean (inferred).
DESIGN_BELOW_COLDEST_MONTH_K = 6.0
DESIGN_ABOVE_WARMEST_MONTH_K = 5.0


@dataclass(frozen=True)
class BuildingUse:
    """Unit loads (W/m² of floor area) and the share of hours the building is conditioned."""

    code: str
    heating_w_per_m2: float
    cooling_w_per_m2: float
    occupancy: float  # share of degree-day hours conditioned (offices run weekdays by day)
    provenance: str
    source: str


# SHASE simplified unit loads as printed in YOSHIOKA-2014 Table 9 where it has the use; the
# others are inferred, labelled so, and editable: an explicit load always overrides them.
BUILDING_USES: dict[str, BuildingUse] = {
    u.code: u
    for u in (
        BuildingUse(
            "detached_house",
            117,
            117,
            0.7,
            "source",
            "YOSHIOKA-2014 §1.9: Tamamura demo 10 kW for 85.5 m² ≈ 117 W/m²",
        ),
        BuildingUse("apartment", 100, 100, 0.7, "inferred", "inferred from the house value"),
        BuildingUse(
            "office",
            114,
            114,
            0.4,
            "source",
            "YOSHIOKA-2014 Table 9: office 99–129 W/m² (mid-range)",
        ),
        BuildingUse(
            "school",
            150,
            150,
            0.35,
            "inferred",
            "inferred: between office and training room (233 W/m²)",
        ),
        BuildingUse("hospital_welfare", 140, 140, 1.0, "inferred", "inferred; runs day and night"),
        BuildingUse(
            "public_hall",
            233,
            233,
            0.35,
            "source",
            "YOSHIOKA-2014 Table 9: community hall training room 233 W/m²",
        ),
        BuildingUse("greenhouse", 300, 150, 0.8, "inferred", "inferred; glazing-dominated"),
        BuildingUse("factory", 80, 80, 0.45, "inferred", "inferred; process heat excluded"),
    )
}


@dataclass(frozen=True)
class MonthlyLoads:
    """Twelve months of heating and cooling: energy J per month, peak W per month."""

    heating_j: NDArray[np.float64]
    cooling_j: NDArray[np.float64]
    heating_peak_w: NDArray[np.float64]
    cooling_peak_w: NDArray[np.float64]
    method: str

    @property
    def annual_heating_j(self) -> float:
        return float(self.heating_j.sum())

    @property
    def annual_cooling_j(self) -> float:
        return float(self.cooling_j.sum())

    def as_dict(self) -> dict[str, Any]:
        out = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in asdict(self).items()}
        out["annual_heating_j"] = self.annual_heating_j
        out["annual_cooling_j"] = self.annual_cooling_j
        return out


def degree_days_k_day(
    monthly_mean_k: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(heating, cooling) degree-days per month, K·day, from monthly mean temperatures."""
    t = np.asarray(monthly_mean_k, dtype=np.float64)
    return (
        np.clip(HEATING_BASE_K - t, 0, None) * DAYS_IN_MONTH,
        np.clip(t - COOLING_BASE_K, 0, None) * DAYS_IN_MONTH,
    )


def loads_from_use(use: str, floor_area_m2: float, monthly_mean_k: ArrayLike) -> MonthlyLoads:
    """Peak = unit load × area; the design temperature difference is the coldest (warmest)
    month's degree-day depth, so energy = peak × occupancy × degree-days × 86400 / ΔT_design.
    """
    if floor_area_m2 <= 0:
        raise ValueError("the floor area must be positive")
    building = BUILDING_USES[use]
    t = np.asarray(monthly_mean_k, dtype=np.float64)
    if t.shape != (12,):
        raise ValueError("twelve monthly mean temperatures are needed")
    heating_dd, cooling_dd = degree_days_k_day(t)
    heating_peak = building.heating_w_per_m2 * floor_area_m2
    cooling_peak = building.cooling_w_per_m2 * floor_area_m2
    return _from_degree_days(
        heating_dd,
        cooling_dd,
        t,
        heating_peak,
        cooling_peak,
        building.occupancy,
        f"unit loads ({use}) × degree-days",
    )


def loads_from_peaks(
    heating_peak_w: float,
    cooling_peak_w: float,
    annual_heating_j: float | None,
    annual_cooling_j: float | None,
    monthly_mean_k: ArrayLike,
) -> MonthlyLoads:
    """Explicit peaks (and yearly energies when known), spread over the months by degree-days."""
    t = np.asarray(monthly_mean_k, dtype=np.float64)
    heating_dd, cooling_dd = degree_days_k_day(t)
    loads = _from_degree_days(
        heating_dd,
        cooling_dd,
        t,
        heating_peak_w,
        cooling_peak_w,
        1.0,
        "explicit peaks × degree-days",
    )
    heating, cooling = loads.heating_j, loads.cooling_j
    if annual_heating_j is not None and heating.sum() > 0:
        heating = heating * annual_heating_j / heating.sum()
    if annual_cooling_j is not None and cooling.sum() > 0:
        cooling = cooling * annual_cooling_j / cooling.sum()
    return MonthlyLoads(
        heating,
        cooling,
        loads.heating_peak_w,
        loads.cooling_peak_w,
        "explicit peaks and yearly energies, months by degree-days",
    )


def loads_from_table(
    heating_j: ArrayLike,
    cooling_j: ArrayLike,
    heating_peak_w: ArrayLike,
    cooling_peak_w: ArrayLike,
) -> MonthlyLoads:
    """A monthly load table as given (J per month, W peak per month)."""
    arrays = [
        np.asarray(a, dtype=np.float64)
        for a in (heating_j, cooling_j, heating_peak_w, cooling_peak_w)
    ]
    if any(a.shape != (12,) for a in arrays) or any(np.any(a < 0) for a in arrays):
        raise ValueError("a monthly table needs twelve non-negative values per column")
    heating, cooling, heating_peak, cooling_peak = arrays
    return MonthlyLoads(heating, cooling, heating_peak, cooling_peak, "monthly table as given")


def _from_degree_days(
    heating_dd: NDArray[np.float64],
    cooling_dd: NDArray[np.float64],
    t: NDArray[np.float64],
    heating_peak: float,
    cooling_peak: float,
    occupancy: float,
    method: str,
) -> MonthlyLoads:
    design_heating_k = float(HEATING_BASE_K - (t.min() - DESIGN_BELOW_COLDEST_MONTH_K))
    design_cooling_k = float((t.max() + DESIGN_ABOVE_WARMEST_MONTH_K) - COOLING_BASE_K)
    heating_j = heating_peak * occupancy * heating_dd * SECONDS_PER_DAY / design_heating_k
    cooling_j = cooling_peak * occupancy * cooling_dd * SECONDS_PER_DAY / design_cooling_k
    heating_share = heating_dd / heating_dd.max() if heating_dd.max() > 0 else heating_dd
    cooling_share = cooling_dd / cooling_dd.max() if cooling_dd.max() > 0 else cooling_dd
    return MonthlyLoads(
        heating_j,
        cooling_j,
        heating_peak * np.sqrt(heating_share),  # a month's peak falls slower than its energy
        cooling_peak * np.sqrt(cooling_share),
        method,
    )
