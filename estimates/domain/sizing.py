"""Closed-loop sizing with GHEtool 2.3.4 (monthly L3 method, Peere et al. 2021) on g-functions
from the process's store (estimates.domain.gfunctions: pygfunction's 'equivalent' solver,
reused across λ bands, search steps and estimates through dimensionless time).

The answer is GHEtool's: the smallest near-square field whose L3 length is within the maximum,
and that length. GHEtool computes the fluid temperatures (`Borefield.calculate_temperatures`,
the same monthly superposition, borehole resistance and heat-pump COP/EER as `size_L3`); the
length is the root of "limit reached", found by Brent's method instead of `size_L3`'s
fixed-point iteration, and decided the way `size_L3` decides it: sized for the maximum fluid
temperature, unless the minimum is then more than GHEtool's 0.05 K below its limit, in which
case for the minimum. A field is feasible when its fluid stays within both limits at the
maximum length, which is what "its L3 length is within the maximum" means for a ground of
constant temperature (temperatures move monotonically towards the ground's with length).

No Django; GHEtool and pygfunction imported on first use, once per worker process.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from estimates.domain.gfunctions import (
    SECONDS_PER_YEAR,
    STORE,
    FieldShape,
    GFunctionStore,
    make_store_gfunction,
)
from estimates.domain.layout import field_shape
from estimates.domain.loads import MonthlyLoads

J_PER_KWH = 3.6e6
KELVIN_AT_0_C = 273.15
# GHEtool's own tolerance when it checks the other limit after sizing for one (Borefield.
# _size_based_on_temperature_profile: "Tf_min - 0.05"), K.
GHETOOL_LIMIT_TOLERANCE_K = 0.05
MAX_ITERATIONS = 12  # kept for the services' message; the search is bounded by the shapes


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
    ghetool_seconds: float  # wall time of the sizing (GHEtool and the g-functions it needed)
    ghetool_calls: int  # GHEtool temperature calculations
    notes: list[str] = field(default_factory=list)
    gfunction_computations: int = 0  # pygfunction calls this sizing made (the store's misses)

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
            "gfunction_computations": self.gfunction_computations,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class SizingProblem:
    """Everything a sizing needs but the ground's conductivity (which differs by band).

    Temperatures in K, loads in J and W (MonthlyLoads), lengths in m. `max_boreholes` is what
    the parcel fits at `spacing_m`.
    """

    loads: MonthlyLoads
    ground_temperature_k: float
    volumetric_heat_capacity_j_per_m3_k: float
    borehole_resistance_m_k_per_w: float
    fluid_min_k: float
    fluid_max_k: float
    cop_heating: float
    eer_cooling: float
    spacing_m: float
    max_boreholes: int
    min_length_m: float = 30.0
    max_length_m: float = 150.0
    borehole_radius_m: float = 0.075
    burial_depth_m: float = 1.0
    years: int = 25

    @property
    def simulation_end_s(self) -> float:
        return self.years * SECONDS_PER_YEAR


class _Field:
    """A GHEtool Borefield for one ground (one λ), reading g from the store; one shape at a
    time. `violations(H)` are the limits' excess at length H: (max fluid − its limit,
    its limit − min fluid), K; ≤ 0 is within."""

    def __init__(
        self,
        problem: SizingProblem,
        conductivity_w_per_m_k: float,
        store: GFunctionStore,
        diffusivity_span: tuple[float, float] | None = None,
    ) -> None:
        from GHEtool import Borefield, GroundConstantTemperature, MonthlyBuildingLoadAbsolute

        self.problem = problem
        self.store = store
        self.diffusivity_span = diffusivity_span
        borefield = Borefield()
        borefield.set_ground_parameters(
            GroundConstantTemperature(
                conductivity_w_per_m_k,
                problem.ground_temperature_k - KELVIN_AT_0_C,
                problem.volumetric_heat_capacity_j_per_m3_k,
            )
        )
        borefield.set_Rb(problem.borehole_resistance_m_k_per_w)
        borefield.set_max_avg_fluid_temperature(problem.fluid_max_k - KELVIN_AT_0_C)
        borefield.set_min_avg_fluid_temperature(problem.fluid_min_k - KELVIN_AT_0_C)
        loads = problem.loads
        borefield.set_load(
            MonthlyBuildingLoadAbsolute(
                loads.heating_j / J_PER_KWH,
                loads.cooling_j / J_PER_KWH,
                loads.heating_peak_w / 1000,
                loads.cooling_peak_w / 1000,
                problem.years,
                problem.cop_heating,
                problem.eer_cooling,
            )
        )
        self.borefield = borefield
        self.shape: FieldShape | None = None
        self._gfunction: Any = None
        self._cache: dict[tuple[float, bool], tuple[float, float]] = {}
        self.calculations = 0  # GHEtool temperature calculations

    def use(self, shape: FieldShape) -> None:
        if shape == self.shape:
            return
        import pygfunction as gt

        p = self.problem
        self.borefield.set_borefield(
            gt.borefield.Borefield(
                p.max_length_m, p.burial_depth_m, p.borehole_radius_m, shape.x_m, shape.y_m
            )
        )
        self._gfunction = make_store_gfunction(
            self.store, shape, p.max_length_m, p.simulation_end_s, self.diffusivity_span
        )
        self.borefield.gfunction_calculation_object = self._gfunction
        self.shape = shape
        self._cache = {}

    def violations(self, length_m: float, exact: bool = True) -> tuple[float, float]:
        key = (round(length_m, 9), exact)
        if key not in self._cache:
            self._gfunction.exact = exact
            self.borefield.calculate_temperatures(length_m)
            self.calculations += 1
            results = self.borefield.results
            highest = float(np.max(results.peak_injection))
            lowest = float(np.min(results.peak_extraction))
            if not (math.isfinite(highest) and math.isfinite(lowest)):
                raise SizingError("GHEtool found no finite borehole length")
            p = self.problem
            self._cache[key] = (
                highest - (p.fluid_max_k - KELVIN_AT_0_C),
                (p.fluid_min_k - KELVIN_AT_0_C) - lowest,
            )
        return self._cache[key]

    def ghetool_length(self) -> float:
        """GHEtool's `size_L3` from 100 m, as today's sizing calls it, its g-functions read from
        the store through GHEtool's own caching (see gfunctions.make_store_gfunction)."""
        gfunction = self._gfunction
        gfunction.emulate, gfunction.exact = True, True
        gfunction.remove_previous_data()
        gfunction.previous_borehole_length = 0.0
        try:
            length = float(self.borefield.size_L3(100.0))
        except Exception as exc:  # GHEtool raises its own classes for unsolvable limits
            p = self.problem
            raise SizingError(
                "no borehole length keeps the fluid within "
                f"{p.fluid_min_k - KELVIN_AT_0_C:g}–{p.fluid_max_k - KELVIN_AT_0_C:g} °C with this "
                f"ground ({type(exc).__name__})"
            ) from exc
        finally:
            gfunction.emulate = False
            gfunction._last_key = None
        self.calculations += 1
        if not math.isfinite(length) or length <= 0:
            raise SizingError("GHEtool found no finite borehole length")
        return length

    def fluid_temperatures_c(self, length_m: float) -> tuple[list[float], list[float]]:
        self._gfunction.exact = True
        self.borefield.calculate_temperatures(length_m)
        self.calculations += 1
        results = self.borefield.results
        return (
            [round(float(v), 3) for v in np.asarray(results.peak_extraction)],
            [round(float(v), 3) for v in np.asarray(results.peak_injection)],
        )


# Within this of a limit at the maximum length, a field's fate is decided by GHEtool's own
# length (its 1 m reuse of g-functions moves lengths by up to about 0.1 m, some 0.01 K), K.
NEAR_LIMIT_K = 0.05


def _verdict_at_maximum(shape_field: _Field) -> bool | None:
    """Whether the field in use is within the limits at the maximum length: True, False, or
    None when too near a limit to say without GHEtool's length."""
    too_hot, too_cold = shape_field.violations(shape_field.problem.max_length_m)
    if too_hot > NEAR_LIMIT_K or too_cold > GHETOOL_LIMIT_TOLERANCE_K + NEAR_LIMIT_K:
        return False
    if too_hot < -NEAR_LIMIT_K and too_cold < -NEAR_LIMIT_K:
        return True
    return None


def required_length_m(shape_field: _Field, hint_m: float | None = None) -> float | None:
    """GHEtool's L3 length of the field in use (`size_L3` from 100 m, as today's sizing calls
    it, on the store's g-functions) when it is at most the maximum length, None when longer.

    hint_m: an expected length (a screen's): when the fluid is within its limits at the lattice
    length above it, that settles "at most the maximum" without computing the maximum's g."""
    p = shape_field.problem
    settled = False
    if hint_m is not None and hint_m < p.max_length_m / shape_field.store.length_ratio:
        store = shape_field.store
        index = math.ceil(store.lattice_index(max(hint_m, p.min_length_m) * 1.05, p.max_length_m))
        too_hot, too_cold = shape_field.violations(
            store.lattice_length(min(index, 0), p.max_length_m)
        )
        settled = too_hot < -NEAR_LIMIT_K and too_cold < -NEAR_LIMIT_K
    if not settled and _verdict_at_maximum(shape_field) is False:
        return None
    length = shape_field.ghetool_length()
    return length if length <= p.max_length_m else None


def _near_square_shapes(max_boreholes: int) -> list[tuple[int, int]]:
    """(rows, columns) of the near-square fields the sizing tries, by size; as today's search
    (`layout.field_shape`) builds them, up to what the parcel fits."""
    shapes: list[tuple[int, int]] = []
    for count in range(1, max(1, max_boreholes) + 1):
        rows, columns = field_shape(count)
        if rows * columns <= max_boreholes and (rows, columns) not in shapes:
            shapes.append((rows, columns))
    return shapes or [field_shape(1)]


# How far beyond the parcel the search looks to say how many boreholes a field needs.
NEEDED_SEARCH_LIMIT = 400


def _needed(problem: SizingProblem, shape_field: _Field) -> int | None:
    """The smallest near-square field beyond the parcel that is within the limits at the
    maximum length (for "needs about N"), None beyond NEEDED_SEARCH_LIMIT boreholes."""
    cached = getattr(shape_field, "needed", False)
    if cached is not False:
        return cached
    wider = replace(problem, max_boreholes=NEEDED_SEARCH_LIMIT)
    shapes = _near_square_shapes(NEEDED_SEARCH_LIMIT)
    first = next(i for i, (r, c) in enumerate(shapes) if r * c > problem.max_boreholes)

    def works(index: int) -> bool:
        rows, columns = shapes[index]
        shape_field.use(
            FieldShape.rectangle(
                rows, columns, wider.spacing_m, wider.burial_depth_m, wider.borehole_radius_m
            )
        )
        return required_length_m(shape_field) is not None

    low, high, step = first - 1, None, 1
    while low < len(shapes) - 1:
        trial = min(len(shapes) - 1, low + step)
        if works(trial):
            high = trial
            break
        low, step = trial, step * 2
    needed = None
    if high is not None:
        while high - low > 1:
            middle = (low + high) // 2
            if works(middle):
                high = middle
            else:
                low = middle
        rows, columns = shapes[high]
        needed = rows * columns
    shape_field.needed = needed  # type: ignore[attr-defined]
    return needed


def _check_solvable(problem: SizingProblem) -> None:
    ground_c = problem.ground_temperature_k - KELVIN_AT_0_C
    low_c = problem.fluid_min_k - KELVIN_AT_0_C
    high_c = problem.fluid_max_k - KELVIN_AT_0_C
    if not low_c < ground_c < high_c:
        # With a ground of constant temperature, the fluid tends to the ground's temperature
        # as the field grows: outside the limits, no field keeps it within them.
        raise SizingError(
            f"no borehole length keeps the fluid within {low_c:g}–{high_c:g} °C with this "
            f"ground ({ground_c:g} °C)"
        )


def _rough_length_m(shape_field: _Field) -> float:
    """A rough L3 length of the field in use, from the nearest stored g (no new g-function):
    where the search looks next. GHEtool's own update (size_L3: H ← H·(T − T_g)/(T_lim − T_g)
    for the limiting side), a few steps from the maximum length."""
    p = shape_field.problem
    ground_c = p.ground_temperature_k - KELVIN_AT_0_C
    hot_room = p.fluid_max_k - KELVIN_AT_0_C - ground_c
    cold_room = ground_c - (p.fluid_min_k - KELVIN_AT_0_C)
    length = p.max_length_m
    for _ in range(4):
        too_hot, too_cold = shape_field.violations(length, False)
        ratio = max((too_hot + hot_room) / hot_room, (too_cold + cold_room) / cold_room)
        following = length * max(ratio, 0.05)
        if abs(following - length) < 0.01 * length:
            return following
        length = following
    return length


def _search(
    problem: SizingProblem,
    conductivity_w_per_m_k: float,
    store: GFunctionStore,
    start_count: int,
    lowest_index: int = 0,
    highest_index: int | None = None,
    diffusivity_span: tuple[float, float] | None = None,
) -> tuple[int, Sizing]:
    """The smallest near-square field (index in `_near_square_shapes`) within the limits at the
    maximum length, and its sizing. Known bounds narrow the search: every field below
    lowest_index fails, the one at highest_index works.

    Each field tried costs one g-function (at the maximum length); the next one tried is the
    field whose size the rough length asks for (as today's search grows a field by its length
    ratio), kept strictly between the largest that failed and the smallest that worked.
    """
    started = time.perf_counter()
    nodes_before = store.stats.nodes
    _check_solvable(problem)
    shapes = _near_square_shapes(problem.max_boreholes)
    shape_field = _Field(problem, conductivity_w_per_m_k, store, diffusivity_span)

    def use(index: int) -> None:
        rows, columns = shapes[index]
        shape_field.use(
            FieldShape.rectangle(
                rows, columns, problem.spacing_m, problem.burial_depth_m, problem.borehole_radius_m
            )
        )

    def feasible(index: int) -> bool:
        use(index)
        verdict = _verdict_at_maximum(shape_field)
        if verdict is None:  # too near a limit: GHEtool's own length decides
            return required_length_m(shape_field) is not None
        return verdict

    def index_for(cells: float) -> int:
        return next((i for i, (r, c) in enumerate(shapes) if r * c >= cells), len(shapes) - 1)

    last = len(shapes) - 1 if highest_index is None else highest_index
    low, high = lowest_index - 1, highest_index  # low fails (or is below), high works
    index = min(max(index_for(start_count), lowest_index), last)
    while True:
        works = feasible(index)
        if works:
            high = index
        else:
            low = index
        if high is None and low >= last:
            needed = _needed(problem, shape_field)
            raise SizingError(
                f"needs about {needed} boreholes of at most {problem.max_length_m:g} m; "
                f"the parcel fits {problem.max_boreholes} at {problem.spacing_m:g} m spacing",
                needed=needed,
                fits=problem.max_boreholes,
            )
        if high is not None and high - low <= 1:
            break
        rows, columns = shapes[index]
        wanted = index_for(rows * columns * _rough_length_m(shape_field) / problem.max_length_m)
        index = min(max(wanted, low + 1), last if high is None else high - 1)
    use(high)
    length = required_length_m(shape_field)
    if length is None:  # only when the rough search and GHEtool's tolerance disagree
        raise SizingError("the sizing did not settle; try a larger spacing or a smaller load")
    rows, columns = shapes[high]
    notes = []
    if length <= problem.min_length_m:
        length = problem.min_length_m
        notes.append(f"shorter than {problem.min_length_m:g} m: {problem.min_length_m:g} m kept")
    fluid_min_c, fluid_max_c = shape_field.fluid_temperatures_c(length)
    return high, Sizing(
        rows * columns,
        rows,
        columns,
        length,
        fluid_min_c,
        fluid_max_c,
        time.perf_counter() - started,
        shape_field.calculations,
        notes,
        store.stats.nodes - nodes_before,
    )


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
    store: GFunctionStore | None = None,
) -> Sizing:
    """The smallest near-square field of at most `max_boreholes` whose GHEtool L3 length is at
    most `max_length_m`, and that length (at least `min_length_m`). Raises SizingError."""
    problem = SizingProblem(
        loads,
        ground_temperature_k,
        volumetric_heat_capacity_j_per_m3_k,
        borehole_resistance_m_k_per_w,
        fluid_min_k,
        fluid_max_k,
        cop_heating,
        eer_cooling,
        spacing_m,
        max_boreholes,
        min_length_m,
        max_length_m,
        borehole_radius_m,
        years=years,
    )
    return _search(
        problem, conductivity_w_per_m_k, store if store is not None else STORE, start_count
    )[1]


# λ bands and the length band each gives: the P10 of λ gives the longest field (the P90 of
# length), its P90 the shortest.
LENGTH_BAND_OF_CONDUCTIVITY_BAND = {"p50": "p50", "p10": "p90", "p90": "p10"}


def size_bands(
    problem: SizingProblem,
    conductivity_w_per_m_k: Mapping[str, float | None],
    start_count: int = 1,
    store: GFunctionStore | None = None,
) -> dict[str, Sizing | SizingError]:
    """P50, P10 and P90 of λ sized on one store, keyed by λ band ("p50", "p10", "p90"; a band
    without a value takes P50's).

    P50 first: its SizingError is raised (no estimate without it). The lower λ (P10) starts
    from P50's field: every smaller field failed at a better ground, so it fails here too. The
    higher λ (P90) looks only at P50's field and smaller: P50's field works at a better ground.
    A band beyond the parcel comes back as its SizingError.
    """
    store = store if store is not None else STORE
    median = conductivity_w_per_m_k.get("p50")
    if median is None:
        raise ValueError("the P50 conductivity is needed")
    values = [v for v in conductivity_w_per_m_k.values() if v]
    # the nodes P50 computes cover the other bands' diffusivities too (same heat capacity)
    span = (min(values) / median / 1.05, max(values) / median * 1.05)
    index, p50 = _search(problem, median, store, start_count, diffusivity_span=span)
    results: dict[str, Sizing | SizingError] = {"p50": p50}
    for band in ("p10", "p90"):
        value = conductivity_w_per_m_k.get(band) or median
        if value == median:
            results[band] = replace(
                p50, ghetool_seconds=0.0, ghetool_calls=0, gfunction_computations=0
            )
            continue
        own_span = (span[0] * median / value, span[1] * median / value)
        try:
            if value < median:
                results[band] = _search(
                    problem, value, store, p50.count, lowest_index=index, diffusivity_span=own_span
                )[1]
            else:
                results[band] = _search(
                    problem, value, store, p50.count, highest_index=index, diffusivity_span=own_span
                )[1]
        except SizingError as exc:
            results[band] = exc
    return results


def start_count(annual_ground_j: float, specific_w_per_m: float, length_m: float = 100.0) -> int:
    """A first guess from the map's G.POT annual-mean W/m (fewer probes)."""
    if not specific_w_per_m or specific_w_per_m <= 0:
        return 1
    mean_w = annual_ground_j / (365 * 86400)
    return max(1, math.ceil(mean_w / specific_w_per_m / length_m))
