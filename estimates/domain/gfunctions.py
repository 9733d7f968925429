"""A per-process store of borefield g-functions in dimensionless time, shared by every λ band,
every search step and every later estimate that asks for the same field shape.

A borefield's g-function depends on the ground only through dimensionless time:
g = g(t/t_s; B/H, D/H, r_b/H) with t_s = H²/(9α) (Eskilson 1987, "Thermal analysis of heat
extraction boreholes", ch. 3; the finite line source of Claesson & Eskilson 1988 has the same
groups). So one pygfunction computation for a field shape (the boreholes' relative positions,
their burial depth D and radius r_b) at one length H serves any diffusivity α: here it is
stored against t̃ = t·α/H² (t_s up to the constant 9) and read back for any α.

What changes with H at fixed t̃ (B/H, D/H, r_b/H) is interpolated: lengths are computed on a
geometric lattice H_k = anchor × LENGTH_RATIO^k and read between lattice points by quadratic
Lagrange interpolation in ln H over the three nearest points (measured against pygfunction at
the length itself: a relative error of a few 10⁻⁴ at most; the sizing test bounds its effect on
lengths).

GHEtool 2.3.4 reads its g-functions through `Borefield.gfunction_calculation_object` (a
`GFunction`); `StoreGFunction` is one that answers from this store. It keeps GHEtool's own
time discretisation: GHEtool computes a field's g-function on the Claesson–Javed time grid of
the simulation (`_time_values`, 1 h steps growing to the simulation's end) and interpolates
linearly in time between those points (`GFunction.calculate`); we sample the stored curve on
the same grid and interpolate the same way, so the monthly L3 temperatures are GHEtool's.

No Django. pygfunction and GHEtool are imported on first use (GHEtool patches pygfunction with
its cylindrical correction when imported; the store's g-functions are computed with it, as
GHEtool's own are).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_YEAR = 8760 * SECONDS_PER_HOUR  # GHEtool's year (no leap days)
# Lengths computed are H_k = anchor × 1.5^k (or any length already computed); between them,
# quadratic interpolation in ln H over three, at equal real time (see GFunctionStore.g).
LENGTH_RATIO = 1.5
# The shortest time a node must answer: GHEtool's peak pulse (6 h) lies between the 5 h and 7 h
# points of its Claesson–Javed grid, and nothing shorter is read.
SHORTEST_TIME_S = 5 * SECONDS_PER_HOUR
# Points per e-fold of dimensionless time in a node (geometric grid, cubic spline in ln t̃).
# pygfunction solves the uniform-wall-temperature condition step by step over the times it is
# given (heat rates constant between them), so its g depends on the grid, to first order in
# the step. What the L3 sizing feels is the density over the long run, from about the second
# year on: GHEtool's own grid has about 7 points per e-fold there. Measured on a 6 × 6 field at
# 8 m in Okinawa against GHEtool's own grid (lengths, m): 3 per e-fold throughout −0.27;
# 6 from the first month −0.02; 1 until the second year and 6 after −0.02, 7 after +0.01.
EARLY_POINTS_PER_E_FOLD = 1.0
POINTS_PER_E_FOLD = 6.5
DENSE_FROM_S = 2 * SECONDS_PER_YEAR  # from here on (at the lowest diffusivity covered), dense
# A node covers diffusivities from 1/1.6 to 1.6 times the one that asked for it (unless told
# the bands' span), and a little beyond its own length, so that neighbouring lengths read it
# at the same dimensionless times. A request outside recomputes the node wider.
DIFFUSIVITY_MARGIN = 1.6
# The reference diffusivity of stored times (any value gives the same dimensionless curve).
REFERENCE_DIFFUSIVITY_M2_PER_S = 1.0e-6
MAX_SHAPES = 256  # field shapes kept per process, least recently used dropped first
SHAPE_DECIMALS = 3  # positions rounded to the millimetre in a shape's key


@dataclass(frozen=True)
class FieldShape:
    """The geometry a g-function depends on, in a canonical form: borehole positions relative to
    the field (translated to start at 0, and the one of the 8 rotations/reflections whose sorted
    coordinates come first), burial depth and radius. Two fields that differ by a translation,
    a quarter turn or a mirror have the same shape, hence the same g-function.
    """

    positions_m: tuple[tuple[float, float], ...]
    burial_depth_m: float = 1.0
    borehole_radius_m: float = 0.075

    @classmethod
    def from_positions(
        cls,
        positions_m: ArrayLike,
        burial_depth_m: float = 1.0,
        borehole_radius_m: float = 0.075,
    ) -> FieldShape:
        """The canonical shape of boreholes at `positions_m` ((n, 2) array, metres)."""
        xy = np.asarray(positions_m, dtype=np.float64).reshape(-1, 2)
        if len(xy) == 0:
            raise ValueError("a field needs at least one borehole")
        best: tuple[tuple[float, float], ...] | None = None
        for sx, sy, swap in (
            (1, 1, False),
            (-1, 1, False),
            (1, -1, False),
            (-1, -1, False),
            (1, 1, True),
            (-1, 1, True),
            (1, -1, True),
            (-1, -1, True),
        ):
            x, y = sx * xy[:, 0], sy * xy[:, 1]
            if swap:
                x, y = y, x
            x = np.round(x - x.min(), SHAPE_DECIMALS) + 0.0  # + 0.0: no -0.0 in keys
            y = np.round(y - y.min(), SHAPE_DECIMALS) + 0.0
            candidate = tuple(sorted(zip(x.tolist(), y.tolist(), strict=True)))
            if best is None or candidate < best:
                best = candidate
        assert best is not None
        return cls(best, round(float(burial_depth_m), 4), round(float(borehole_radius_m), 5))

    @classmethod
    def rectangle(
        cls,
        rows: int,
        columns: int,
        spacing_m: float,
        burial_depth_m: float = 1.0,
        borehole_radius_m: float = 0.075,
    ) -> FieldShape:
        """rows × columns boreholes on a square grid (pygfunction's `rectangle_field`)."""
        x, y = np.meshgrid(np.arange(columns) * spacing_m, np.arange(rows) * spacing_m)
        return cls.from_positions(
            np.column_stack([x.ravel(), y.ravel()]), burial_depth_m, borehole_radius_m
        )

    @property
    def count(self) -> int:
        return len(self.positions_m)

    @property
    def x_m(self) -> NDArray[np.float64]:
        return np.array([p[0] for p in self.positions_m])

    @property
    def y_m(self) -> NDArray[np.float64]:
        return np.array([p[1] for p in self.positions_m])


@dataclass
class _Node:
    """pygfunction's g at one length over a geometric grid of dimensionless time."""

    length_m: float
    log_time_low: float  # ln t̃ covered
    log_time_high: float
    spline: Any  # scipy CubicSpline of g against ln t̃

    def covers(self, log_times: NDArray[np.float64]) -> bool:
        return bool(log_times.min() >= self.log_time_low - 1e-9) and bool(
            log_times.max() <= self.log_time_high + 1e-9
        )


@dataclass
class StoreStats:
    """What the store computed (for benchmarks and tests): pygfunction calls and time points."""

    nodes: int = 0
    points: int = 0
    seconds: float = 0.0
    hits: int = 0

    def copy(self) -> StoreStats:
        return StoreStats(self.nodes, self.points, self.seconds, self.hits)


@dataclass
class GFunctionStore:
    """Bounded per-process store: shape → {lattice length → node}. Thread-safe (one lock: a
    node is computed once even when two threads ask for it)."""

    max_shapes: int = MAX_SHAPES
    points_per_e_fold: float = POINTS_PER_E_FOLD
    length_ratio: float = LENGTH_RATIO
    stats: StoreStats = field(default_factory=StoreStats)
    _shapes: OrderedDict[FieldShape, dict[float, _Node]] = field(default_factory=OrderedDict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def clear(self) -> None:
        with self._lock:
            self._shapes.clear()
            self.stats = StoreStats()

    def __len__(self) -> int:
        return len(self._shapes)

    def nodes_of(self, shape: FieldShape) -> list[float]:
        """Lengths computed for a shape (m), ascending."""
        with self._lock:
            return sorted(self._shapes.get(shape, {}))

    def lattice_index(self, length_m: float, anchor_m: float) -> float:
        return math.log(length_m / anchor_m) / math.log(self.length_ratio)

    def lattice_length(self, index: int, anchor_m: float) -> float:
        return round(anchor_m * self.length_ratio**index, 6)

    def g(
        self,
        shape: FieldShape,
        length_m: float,
        dimensionless_time: ArrayLike,
        anchor_m: float,
        diffusivity_span: tuple[float, float] | None = None,
    ) -> NDArray[np.float64]:
        """g at t̃ = t·α/H² for a field of `shape` with boreholes `length_m` long.

        Between computed lengths, quadratic Lagrange interpolation in ln H over three of them,
        each read at the same real time (t̃ scaled by (H/H_i)²): at equal time the short-time
        response (an infinite line source, independent of H) is common to all, and what is left
        varies smoothly with H. Measured against pygfunction at the length itself: 2–6 × 10⁻⁴
        of g for lengths up to 1.5 apart (1 × 2 to 5 × 5 fields). The three are chosen among
        the lengths already computed and the lattice anchor × LENGTH_RATIO^k, fewest new ones
        first, so long as the interpolation error bound |Π(ln H − ln H_i)| stays within that of
        three neighbouring lattice lengths.

        anchor_m: a length of the lattice (the sizing's maximum length, so that the feasibility
        probe at it is one computation). diffusivity_span: (α_low/α, α_high/α) a new node should
        also cover for later bands (default: 1/DIFFUSIVITY_MARGIN to DIFFUSIVITY_MARGIN).
        """
        if length_m <= 0:
            raise ValueError("the borehole length must be positive")
        log_t = np.log(np.asarray(dimensionless_time, dtype=np.float64))
        lengths = self._stencil(shape, length_m, anchor_m)
        x = math.log(length_m)
        values = []
        for node_length in lengths:
            node_log_t = log_t + 2 * (x - math.log(node_length))  # same real time
            node = self._node(shape, node_length, node_log_t, diffusivity_span)
            values.append(np.asarray(node.spline(node_log_t), dtype=np.float64))
        if len(values) == 1:
            return values[0]
        xs = [math.log(h) for h in lengths]
        result = np.zeros_like(values[0])
        for i, xi in enumerate(xs):
            weight = 1.0
            for j, xj in enumerate(xs):
                if i != j:
                    weight *= (x - xj) / (xi - xj)
            result += weight * values[i]
        return result

    def _stencil(self, shape: FieldShape, length_m: float, anchor_m: float) -> list[float]:
        """The computed (or to-compute) lengths g at `length_m` is interpolated from."""
        with self._lock:
            known = list(self._shapes.get(shape, {}))
        x = math.log(length_m)
        for h in known:
            if abs(math.log(h) - x) < 1e-9:
                return [h]
        step = math.log(self.length_ratio)
        index = self.lattice_index(length_m, anchor_m)
        if abs(index - round(index)) < 1e-7:
            return [self.lattice_length(round(index), anchor_m)]
        lattice = [
            self.lattice_length(k, anchor_m)
            for k in range(math.floor(index) - 2, math.ceil(index) + 3)
        ]
        candidates = sorted({*known, *lattice}, key=lambda h: abs(math.log(h) - x))[:10]
        bound = 0.385 * step**3  # max |Π| of three equally spaced points, over their span
        best: tuple[int, float, list[float]] | None = None
        for i, a in enumerate(candidates):
            for j in range(i + 1, len(candidates)):
                for k in range(j + 1, len(candidates)):
                    trio = [a, candidates[j], candidates[k]]
                    product = abs(math.prod(x - math.log(h) for h in trio))
                    if product > bound * (1 + 1e-9):
                        continue
                    new = sum(h not in known for h in trio)
                    key = (new, product, trio)
                    if best is None or key[:2] < best[:2]:
                        best = key
        assert best is not None  # three neighbouring lattice lengths always qualify
        return sorted(best[2])

    def g_nearest(
        self,
        shape: FieldShape,
        length_m: float,
        dimensionless_time: ArrayLike,
        anchor_m: float,
    ) -> NDArray[np.float64]:
        """A rough g for searching: the stored node nearest in ln H, read at the same time (no
        interpolation in H; computes only when the shape has no node yet, then at the lattice
        length nearest `length_m`). Never used for a reported length."""
        log_t = np.log(np.asarray(dimensionless_time, dtype=np.float64))
        with self._lock:
            nodes = self._shapes.get(shape)
            if nodes:
                node = nodes[min(nodes, key=lambda h: abs(math.log(h / length_m)))]
            else:
                index = round(self.lattice_index(length_m, anchor_m))
                node = self._node(shape, self.lattice_length(index, anchor_m), log_t, None)
        # at the same real time (t̃ scaled by (H/H_node)²), as GHEtool reads a nearby length
        log_t_node = log_t + 2 * math.log(length_m / node.length_m)
        return np.asarray(node.spline(np.clip(log_t_node, node.log_time_low, node.log_time_high)))

    def _node(
        self,
        shape: FieldShape,
        length_m: float,
        log_t: NDArray[np.float64],
        diffusivity_span: tuple[float, float] | None,
    ) -> _Node:
        with self._lock:
            nodes = self._shapes.get(shape)
            if nodes is None:
                nodes = self._shapes[shape] = {}
                while len(self._shapes) > self.max_shapes:
                    self._shapes.popitem(last=False)
            else:
                self._shapes.move_to_end(shape)
            node = nodes.get(length_m)
            if node is not None and node.covers(log_t):
                self.stats.hits += 1
                return node
            low, high = diffusivity_span or (1 / DIFFUSIVITY_MARGIN, DIFFUSIVITY_MARGIN)
            log_low = float(log_t.min()) + math.log(low)
            log_high = float(log_t.max()) + math.log(high)
            if node is not None:  # widen, never narrow, what was there
                log_low = min(log_low, node.log_time_low)
                log_high = max(log_high, node.log_time_high)
            node = self._compute(shape, length_m, log_low, log_high)
            nodes[length_m] = node
            return node

    def _compute(
        self, shape: FieldShape, length_m: float, log_low: float, log_high: float
    ) -> _Node:
        import GHEtool  # noqa: F401 - patches pygfunction with the cylindrical correction
        import pygfunction as gt
        from scipy.interpolate import CubicSpline

        # coarse before DENSE_FROM_S (at the lowest diffusivity covered), dense after
        log_split = log_low + math.log(DENSE_FROM_S / SHORTEST_TIME_S)
        if log_split >= log_high - 1e-6:
            log_grid = np.linspace(
                log_low, log_high, max(8, math.ceil(self.points_per_e_fold * (log_high - log_low)))
            )
        else:
            early = max(2, math.ceil(EARLY_POINTS_PER_E_FOLD * (log_split - log_low)) + 1)
            late = max(8, math.ceil(self.points_per_e_fold * (log_high - log_split)) + 1)
            log_grid = np.concatenate(
                [
                    np.linspace(log_low, log_split, early)[:-1],
                    np.linspace(log_split, log_high, late),
                ]
            )
        count = len(log_grid)
        alpha = REFERENCE_DIFFUSIVITY_M2_PER_S
        seconds = np.exp(log_grid) * length_m**2 / alpha
        borefield = gt.borefield.Borefield(
            length_m, shape.burial_depth_m, shape.borehole_radius_m, shape.x_m, shape.y_m
        )
        started = time.perf_counter()
        # As GHEtool 2.3.4's GFunction.calculate: 'equivalent' method, uniform wall temperature,
        # and the cylindrical correction when the line source goes negative (large radii).
        options: dict[str, Any] = {"method": "equivalent"}
        values = gt.gfunction.gFunction(
            borefield, alpha, seconds, options=options, method="equivalent"
        ).gFunc
        if np.any(values < 0):
            options["cylindrical_correction"] = True
            values = gt.gfunction.gFunction(
                borefield, alpha, seconds, options=options, method="equivalent"
            ).gFunc
        self.stats.seconds += time.perf_counter() - started
        self.stats.nodes += 1
        self.stats.points += count
        return _Node(length_m, log_low, log_high, CubicSpline(log_grid, np.asarray(values)))


# The process's store: every sizing in a worker shares it (bounded, see MAX_SHAPES).
STORE = GFunctionStore()


@lru_cache(maxsize=8)
def ghetool_time_grid(end_s: float) -> NDArray[np.float64]:
    """GHEtool's Claesson–Javed grid up to `end_s` (1 h cells doubling), as its
    `GFunction.calculate` uses for a monthly simulation (read-only)."""
    from GHEtool.VariableClasses.CustomGFunction import _time_values

    grid = np.asarray(_time_values(t_max=end_s), dtype=np.float64)
    grid.setflags(write=False)
    return grid


def make_store_gfunction(
    store: GFunctionStore,
    shape: FieldShape,
    anchor_m: float,
    simulation_end_s: float,
    diffusivity_span: tuple[float, float] | None = None,
) -> Any:
    """A GHEtool `GFunction` that answers from `store` for a field of `shape`: set it as a
    `Borefield.gfunction_calculation_object` after the field is set."""
    from GHEtool.VariableClasses import GFunction

    class StoreGFunction(GFunction):  # type: ignore[misc]
        """GHEtool's g-function object, read from the store (see the module docstring)."""

        _last_key: tuple[float, float, float, float, bool] | None
        _last_grid: NDArray[np.float64]
        _last_values: NDArray[np.float64]
        exact: bool
        emulate: bool
        previous_borehole_length: float  # GHEtool's own, set in GFunction.__init__

        def calculate(
            self,
            time_value: Any,
            borefield: Any,
            alpha: float,
            interpolate: bool | None = None,
        ) -> NDArray[np.float64]:
            if self.emulate:
                return self._as_ghetool(time_value, borefield, alpha, interpolate)
            times = np.atleast_1d(np.asarray(time_value, dtype=np.float64))
            length = float(borefield.H[0])
            end = max(simulation_end_s, float(times.max()))
            shortest = min(SHORTEST_TIME_S, float(times.min()))
            key = (length, alpha, end, shortest, self.exact)
            if self._last_key != key:
                grid = ghetool_time_grid(end)
                # from the grid point at or before the shortest time read (GHEtool interpolates
                # the 6 h peak between its 5 h and 7 h points)
                start = max(0, int(np.searchsorted(grid, shortest, side="right")) - 1)
                grid = grid[start:]
                self._last_grid = grid
                dimensionless = grid * alpha / length**2
                self._last_values = (
                    store.g(shape, length, dimensionless, anchor_m, diffusivity_span)
                    if self.exact
                    else store.g_nearest(shape, length, dimensionless, anchor_m)
                )
                self._last_key = key
            return np.interp(times, self._last_grid, self._last_values)

        def _computed(self, times: NDArray[np.float64], length: float, alpha: float) -> Any:
            """What pygfunction would give GHEtool at these times and length: the store's g
            (times under SHORTEST_TIME_S, which the monthly L3 never reads, get its value)."""
            read = np.maximum(times, SHORTEST_TIME_S)
            return store.g(shape, length, read * alpha / length**2, anchor_m, diffusivity_span)

        def _as_ghetool(
            self, time_value: Any, borefield: Any, alpha: float, interpolate: bool | None
        ) -> NDArray[np.float64]:
            """GHEtool 2.3.4's GFunction.calculate (BSD-3-Clause, © the GHEtool developers),
            line for line but for where a length's g comes from: the lengths it asks for, the
            1 m reuse of the previous length, the linear interpolation between stored lengths
            and in time stay GHEtool's, so `size_L3` takes the path it takes today."""

            def gvalues(times: Any, length: float) -> Any:
                if self.fifo_list.in_fifo_list(length) and length not in self.borehole_length_array:
                    computed = self._computed(times, float(borefield.H[0]), alpha)
                    self.set_new_calculated_data(times, length, computed, borefield, alpha)
                    self.fifo_list.add(length)
                    return computed
                self.fifo_list.add(length)
                if np.abs(self.previous_borehole_length - length) < 1:
                    length = self.previous_borehole_length
                else:
                    self.previous_borehole_length = length
                use = interpolate if interpolate is not None else self.store_previous_values
                interpolated = (
                    self.interpolate_gfunctions(times, length, alpha, borefield)
                    if use
                    else np.array([])
                )
                if np.any(interpolated):
                    return interpolated
                computed = self._computed(times, float(borefield.H[0]), alpha)
                self.set_new_calculated_data(times, length, computed, borefield, alpha)
                return computed

            length = borefield[0].H
            if isinstance(time_value, float | int):
                times = np.array([time_value], dtype=np.float64)
            else:
                times = np.array(time_value, dtype=np.float64)
            if (
                not isinstance(time_value, float | int)
                and times.size > self.DEFAULT_NUMBER_OF_TIMESTEPS
            ):
                grid = ghetool_time_grid(float(time_value[-1]))
                return np.asarray(
                    np.interp(time_value, grid, gvalues(grid, length)), dtype=np.float64
                )
            if not isinstance(time_value, float | int) and times.size != np.unique(times).size:
                unique = np.unique(times)
                return np.asarray(
                    np.interp(time_value, unique, gvalues(unique, length)), dtype=np.float64
                )
            return np.asarray(gvalues(times, length))

    gfunction = StoreGFunction()
    gfunction._last_key = None
    gfunction.exact = True  # False: g_nearest, for locating a root before it is polished
    gfunction.emulate = False  # True: GHEtool's own caching path (for size_L3)
    return gfunction


def shapes_of(store: GFunctionStore) -> Iterable[FieldShape]:
    """The shapes the store holds (least recently used first)."""
    with store._lock:
        return list(store._shapes)
