"""Today's closed-loop sizing, kept as the reference the store-backed sizing is tested against:
the code of estimates/domain/sizing.py before the g-function store (commit c4e5c89), as it was.
Every GHEtool call builds its field afresh (create_rectangular_borefield clears GHEtool's stored
g-functions) and sizes it with size_L3 from 100 m. Slow: seconds per sizing. Tests only.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from estimates.domain.layout import field_shape
from estimates.domain.loads import MonthlyLoads

J_PER_KWH = 3.6e6
MAX_ITERATIONS = 12


class SizingError(ValueError):
    """No field within the limits: `needed` boreholes (when known) and why."""

    def __init__(self, message: str, needed: int | None = None, fits: int | None = None) -> None:
        super().__init__(message)
        self.needed = needed
        self.fits = fits


@dataclass
class Sizing:
    count: int
    rows: int
    columns: int
    length_m: float
    fluid_min_c: list[float]
    fluid_max_c: list[float]
    ghetool_seconds: float
    ghetool_calls: int
    notes: list[str] = field(default_factory=list)

    @property
    def total_length_m(self) -> float:
        return self.count * self.length_m

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "rows": self.rows,
            "columns": self.columns,
            "length_m": self.length_m,
            "total_length_m": self.total_length_m,
            "fluid_min_c": self.fluid_min_c,
            "fluid_max_c": self.fluid_max_c,
            "ghetool_seconds": self.ghetool_seconds,
            "ghetool_calls": self.ghetool_calls,
            "notes": self.notes,
        }


def size_field(
    loads: MonthlyLoads,
    conductivity_w_per_m_k: float,
    ground_temperature_k: float,
    volumetric_heat_capacity_j_per_m3_k: float,
    borehole_resistance_m_k_per_w: float,
    fluid_min_k: float,
    fluid_max_k: float,
    cop_heating: float,
    eer_cooling: float,
    spacing_m: float,
    max_boreholes: int,
    start_count: int = 1,
    min_length_m: float = 30.0,
    max_length_m: float = 150.0,
    borehole_radius_m: float = 0.075,
    years: int = 25,
) -> Sizing:
    from GHEtool import Borefield, GroundConstantTemperature, MonthlyBuildingLoadAbsolute

    borefield = Borefield()
    borefield.set_ground_parameters(
        GroundConstantTemperature(
            conductivity_w_per_m_k,
            ground_temperature_k - 273.15,
            volumetric_heat_capacity_j_per_m3_k,
        )
    )
    borefield.set_Rb(borehole_resistance_m_k_per_w)
    borefield.set_max_avg_fluid_temperature(fluid_max_k - 273.15)
    borefield.set_min_avg_fluid_temperature(fluid_min_k - 273.15)
    borefield.set_load(
        MonthlyBuildingLoadAbsolute(
            loads.heating_j / J_PER_KWH,
            loads.cooling_j / J_PER_KWH,
            loads.heating_peak_w / 1000,
            loads.cooling_peak_w / 1000,
            years,
            cop_heating,
            eer_cooling,
        )
    )
    seconds, calls = 0.0, 0

    def length_for(count: int) -> tuple[float, int, int]:
        """GHEtool's L3 length for a near-square field of at least `count` boreholes."""
        nonlocal seconds, calls
        rows, columns = field_shape(count)
        if rows * columns > max_boreholes:
            raise SizingError(
                f"needs about {rows * columns} boreholes of at most {max_length_m:g} m; "
                f"the parcel fits {max_boreholes} at {spacing_m:g} m spacing",
                needed=rows * columns,
                fits=max_boreholes,
            )
        borefield.create_rectangular_borefield(
            rows, columns, spacing_m, spacing_m, 100.0, 1.0, borehole_radius_m
        )
        start = time.perf_counter()
        try:
            length = float(borefield.size_L3(100.0))
        except Exception as exc:  # GHEtool raises its own classes for unsolvable limits
            raise SizingError(
                "no borehole length keeps the fluid within "
                f"{fluid_min_k - 273.15:g}–{fluid_max_k - 273.15:g} °C with this ground "
                f"({type(exc).__name__})"
            ) from exc
        finally:
            seconds += time.perf_counter() - start
            calls += 1
        if not math.isfinite(length) or length <= 0:
            raise SizingError("GHEtool found no finite borehole length")
        return length, rows, columns

    # Grow the field until its boreholes are short enough, then search back for the smallest
    # field that still is (a jump from the length ratio can overshoot).
    count = max(1, start_count)
    too_few = 0
    for _ in range(MAX_ITERATIONS):
        length, rows, columns = length_for(count)
        if length <= max_length_m:
            break
        too_few = rows * columns
        count = max(too_few + 1, math.ceil(too_few * length / max_length_m))
    else:
        raise SizingError("the sizing did not settle; try a larger spacing or a smaller load")
    best = (rows * columns, length, rows, columns)
    low, high = too_few, rows * columns  # low fails (or 0: not tried), high works
    while low == 0 and high > 1:  # the first guess worked: probe the next smaller field
        smaller = high - 1
        while smaller > 1 and _cells(smaller) >= high:
            smaller -= 1
        if _cells(smaller) >= high:
            break
        trial, rows, columns = length_for(smaller)
        if trial > max_length_m:
            low = rows * columns
            break
        high = rows * columns
        best = (high, trial, rows, columns)
    while high - low > 1 and calls < 2 * MAX_ITERATIONS:
        middle = (low + high) // 2
        rows, columns = field_shape(middle)
        if rows * columns >= high:
            low = middle
            continue
        trial, rows, columns = length_for(middle)
        if trial <= max_length_m:
            high = rows * columns
            best = (high, trial, rows, columns)
        else:
            low = middle
    count, length, rows, columns = best
    notes = []
    if length < min_length_m:
        notes.append(f"shorter than {min_length_m:g} m: {min_length_m:g} m kept")
        length = min_length_m
    start = time.perf_counter()  # the fluid temperatures of the chosen field: GHEtool too
    borefield.create_rectangular_borefield(
        rows, columns, spacing_m, spacing_m, length, 1.0, borehole_radius_m
    )
    borefield.calculate_temperatures(length)
    seconds += time.perf_counter() - start
    return Sizing(
        count,
        rows,
        columns,
        length,
        [round(float(v), 3) for v in np.asarray(borefield.results.peak_extraction)],
        [round(float(v), 3) for v in np.asarray(borefield.results.peak_injection)],
        seconds,
        calls,
        notes,
    )


def _cells(count: int) -> int:
    rows, columns = field_shape(count)
    return rows * columns


def start_count(annual_ground_j: float, specific_w_per_m: float, length_m: float = 100.0) -> int:
    """A first guess from the map's G.POT annual-mean W/m (fewer GHEtool calls)."""
    if not specific_w_per_m or specific_w_per_m <= 0:
        return 1
    mean_w = annual_ground_j / (365 * 86400)
    return max(1, math.ceil(mean_w / specific_w_per_m / length_m))
