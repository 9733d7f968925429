"""The best borefield for a plot: rectangular, L and U layouts at several spacings, inside the
parcel's setback and outside no-drill zones, for the lowest cost that keeps the fluid within
its limits (GHEtool L3 on the process's g-function store), with the two runners-up.

How the work is bounded (issue #19):
- spacing: never under the guideline's minimum, 4 m (MOE-GL4-2024 §3.2(4); 6 m or more is its
  safe side and the first spacing tried); tried at DEFAULT_SPACINGS_M, at most 6 values;
- size: at most MAX_BOREHOLES boreholes a layout, and borehole counts from the smallest the
  screen thinks can work up to COUNT_WINDOW times it (more boreholes than that only add
  interaction: a field twice as large as the smallest that works costs more);
- candidates: at most MAX_CANDIDATES (kind, dimensions, spacing) layouts enumerated, each
  placed if it fits. Every spacing stays a candidate: a wider one is not always better (a
  heating-led field limited by its first summers gains from the cooling its neighbours give
  the ground: GHEtool sizes a 3 × 3 Gunma office field at 107.5 m at 6 m, 109.3 m at 10 m);
- sizing: candidates are screened in closed form (infinite line sources, g fixed in H, the
  L3 formula of GHEtool: a ranking, not an answer) and sized exactly with GHEtool in that
  order, calibrated by the exact results so far, until the third-best exact cost is below the
  next screened cost by the screen's observed error (at most SCREEN_MARGIN), never more than
  MAX_EXACT that work and MAX_BEYOND that turn out to need more than the maximum length.
- placement: per spacing, the lattice is laid along the parcel's axes (the minimum rotated
  rectangle) and along north; four offsets of half a spacing; each layout in its four
  orientations; a layout is placed where it fits nearest the buildable area's centroid.

Positions are metres in the parcel's metric CRS (shapely geometries, no Django).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import shapely
from numpy.typing import NDArray

from estimates.domain.gfunctions import STORE, FieldShape, GFunctionStore
from estimates.domain.layout import MINIMUM_SPACING_M, SAFE_SPACING_M
from estimates.domain.sizing import (
    KELVIN_AT_0_C,
    SizingError,
    SizingProblem,
    _check_solvable,
    _Field,
    _rough_length_m,
    required_length_m,
)

LayoutKind = Literal["rectangle", "l_shape", "u_shape"]
DEFAULT_SPACINGS_M = (SAFE_SPACING_M, 8.0, 10.0, 12.0)
MAX_SPACINGS = 6
MAX_BOREHOLES = 60  # a plot's field: beyond this, a district system, not this estimate
COUNT_WINDOW = 2.0
MAX_CANDIDATES = 600
MAX_EXACT = 4  # layouts sized that work: the three shown and one more to check them
MAX_BEYOND = 2  # and that turned out to need more than the maximum length
SCREEN_MARGIN = 0.15
OFFSETS = (0.0, 0.5)  # of a spacing, on each axis
OPTIONS_RETURNED = 3


@dataclass(frozen=True)
class LayoutCosts:
    """Drilling and the rest: cost = count × length × per metre + count × per borehole + fixed
    (currency of the region; the fixed part, heat pump and plant, is the same for every
    layout and only added to the totals)."""

    drilling_per_m: float
    per_borehole: float = 0.0
    fixed: float = 0.0

    def drilling(self, count: int, length_m: float) -> float:
        return count * (length_m * self.drilling_per_m + self.per_borehole)


@dataclass
class LayoutOption:
    """One layout, sized: what the result, the map and the PDF show."""

    kind: LayoutKind
    n1: int  # rectangle: rows; L: one arm; U: the base
    n2: int  # rectangle: columns; L: the other arm; U: each leg
    spacing_m: float
    count: int
    length_m: float
    drilling_cost: float
    cost: float
    positions_m: list[list[float]]
    fluid_min_c: list[float] = field(default_factory=list)
    fluid_max_c: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total_length_m(self) -> float:
        return self.count * self.length_m

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "n1": self.n1,
            "n2": self.n2,
            "spacing_m": self.spacing_m,
            "count": self.count,
            "length_m": self.length_m,
            "total_length_m": self.total_length_m,
            "drilling_cost": self.drilling_cost,
            "cost": self.cost,
            "positions_m": self.positions_m,
            "fluid_min_c": self.fluid_min_c,
            "fluid_max_c": self.fluid_max_c,
            "notes": self.notes,
        }


@dataclass
class LayoutSearch:
    """The best layouts (cheapest first, up to three) and what the search did."""

    options: list[LayoutOption]
    considered: int  # (kind, dimensions, spacing) layouts enumerated
    fitting: int  # of those, placed inside the buildable area
    screened: int  # distinct field shapes screened
    sized: int  # sized exactly with GHEtool
    gfunction_nodes: int  # pygfunction computations the search made
    seconds: float
    bounds: dict[str, Any]

    @property
    def best(self) -> LayoutOption:
        return self.options[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "options": [o.as_dict() for o in self.options],
            "considered": self.considered,
            "fitting": self.fitting,
            "screened": self.screened,
            "sized": self.sized,
            "gfunction_nodes": self.gfunction_nodes,
            "seconds": self.seconds,
            "bounds": self.bounds,
        }


# --- layouts as lattice sites --------------------------------------------------------------


def layout_sites(kind: LayoutKind, n1: int, n2: int) -> list[tuple[int, int]]:
    """Lattice sites (i along x, j along y) of a layout in its first orientation, as
    pygfunction builds them (`rectangle_field`, `L_shaped_field`, `U_shaped_field`)."""
    if kind == "rectangle":
        return [(i, j) for j in range(n1) for i in range(n2)]
    if kind == "l_shape":  # n1 along x from the corner, n2 along y (corner shared)
        return sorted({*((i, 0) for i in range(n1)), *((0, j) for j in range(n2))})
    if kind == "u_shape":  # a base of n1 along x, legs of n2 up both ends
        return sorted(
            {*((i, 0) for i in range(n1)), *((0, j) for j in range(n2))}
            | {(n1 - 1, j) for j in range(n2)}
        )
    raise ValueError(f"unknown layout kind {kind!r}")


def _orientations(sites: Sequence[tuple[int, int]]) -> list[NDArray[np.int64]]:
    """The layout's distinct quarter turns and mirror images, each shifted to start at 0."""
    seen, result = set(), []
    base = np.array(sites, dtype=np.int64)
    for swap in (False, True):
        for sx in (1, -1):
            for sy in (1, -1):
                xy = base[:, ::-1] if swap else base.copy()
                xy = xy * np.array([sx, sy])
                xy -= xy.min(axis=0)
                key = tuple(sorted(map(tuple, xy.tolist())))
                if key not in seen:
                    seen.add(key)
                    result.append(xy)
    return result


def _layouts(max_count: int) -> list[tuple[LayoutKind, int, int, int]]:
    """(kind, n1, n2, count) for every layout of 1..max_count boreholes, one per shape: a
    rectangle n1 ≤ n2; an L with arms n1 ≥ n2 ≥ 2; a U with base n1 ≥ 3 and legs n2 ≥ 2."""
    found: list[tuple[LayoutKind, int, int, int]] = []
    for n1 in range(1, max_count + 1):
        for n2 in range(n1, max_count // n1 + 1):
            found.append(("rectangle", n1, n2, n1 * n2))
    for n1 in range(2, max_count + 1):
        for n2 in range(2, n1 + 1):
            if n1 + n2 - 1 <= max_count:
                found.append(("l_shape", n1, n2, n1 + n2 - 1))
    for n1 in range(3, max_count + 1):
        for n2 in range(2, max_count + 1):
            if n1 + 2 * (n2 - 1) <= max_count:
                found.append(("u_shape", n1, n2, n1 + 2 * (n2 - 1)))
    return sorted(found, key=lambda f: (f[3], f[0], f[1], f[2]))


@dataclass
class _Lattice:
    """Valid borehole sites of one spacing, rotation and offset: V[j, i] (y, x)."""

    spacing_m: float
    angle_rad: float
    origin_m: tuple[float, float]
    valid: NDArray[np.bool_]
    centroid_ij: tuple[float, float]

    def to_metres(self, ij: NDArray[np.float64]) -> NDArray[np.float64]:
        c, s = math.cos(self.angle_rad), math.sin(self.angle_rad)
        local = ij * self.spacing_m + np.array(self.origin_m)
        return np.column_stack(
            [local[:, 0] * c - local[:, 1] * s, local[:, 0] * s + local[:, 1] * c]
        )

    def place(self, sites: NDArray[np.int64]) -> NDArray[np.int64] | None:
        """Where (i, j) the layout's sites all fall on valid sites, nearest the centroid."""
        width, height = sites[:, 0].max() + 1, sites[:, 1].max() + 1
        rows, columns = self.valid.shape
        if width > columns or height > rows or len(sites) > int(self.valid.sum()):
            return None
        fits = np.ones((rows - height + 1, columns - width + 1), dtype=bool)
        for i, j in sites:
            fits &= self.valid[j : j + rows - height + 1, i : i + columns - width + 1]
            if not fits.any():
                return None
        js, is_ = np.nonzero(fits)
        centre = sites.mean(axis=0)
        distance = (is_ + centre[0] - self.centroid_ij[0]) ** 2 + (
            js + centre[1] - self.centroid_ij[1]
        ) ** 2
        k = int(np.argmin(distance))
        placed: NDArray[np.int64] = sites + np.array([is_[k], js[k]], dtype=np.int64)
        return placed


def _lattices(area: shapely.Geometry, spacing_m: float) -> list[_Lattice]:
    angles = [0.0]
    rectangle = shapely.minimum_rotated_rectangle(area)
    corners: NDArray[np.float64] = (
        np.asarray(rectangle.exterior.coords, dtype=np.float64)[:3]
        if rectangle.geom_type == "Polygon"
        else np.empty((0, 2))
    )
    if len(corners) == 3:
        edge = corners[1] - corners[0]
        angle = math.atan2(edge[1], edge[0]) % (math.pi / 2)
        if min(angle, math.pi / 2 - angle) > 1e-3:
            angles.append(angle)
    lattices = []
    for angle in angles:
        c, s = math.cos(-angle), math.sin(-angle)
        xy = shapely.get_coordinates(area)
        local = np.column_stack([xy[:, 0] * c - xy[:, 1] * s, xy[:, 0] * s + xy[:, 1] * c])
        west, south = local.min(axis=0)
        east, north = local.max(axis=0)
        centroid = np.asarray(area.centroid.coords[0])
        centroid_local = np.array(
            [centroid[0] * c - centroid[1] * s, centroid[0] * s + centroid[1] * c]
        )
        for fx in OFFSETS:
            for fy in OFFSETS:
                origin = (west + fx * spacing_m, south + fy * spacing_m)
                xs = np.arange(origin[0], east + 1e-9, spacing_m) - origin[0]
                ys = np.arange(origin[1], north + 1e-9, spacing_m) - origin[1]
                if len(xs) == 0 or len(ys) == 0:
                    continue
                gx, gy = np.meshgrid(xs + origin[0], ys + origin[1])
                cr, sr = math.cos(angle), math.sin(angle)
                wx, wy = gx * cr - gy * sr, gx * sr + gy * cr
                valid = shapely.intersects_xy(area, wx.ravel(), wy.ravel()).reshape(gx.shape)
                lattices.append(
                    _Lattice(
                        spacing_m,
                        angle,
                        origin,
                        valid,
                        (
                            (centroid_local[0] - origin[0]) / spacing_m,
                            (centroid_local[1] - origin[1]) / spacing_m,
                        ),
                    )
                )
    return lattices


def buildable_area(
    parcel_m: shapely.Geometry, setback_m: float, no_drill_m: Iterable[shapely.Geometry] = ()
) -> shapely.Geometry:
    """The parcel shrunk by the setback, without the no-drill zones (metres)."""
    area = parcel_m.buffer(-setback_m)
    zones = [z for z in no_drill_m if z is not None and not z.is_empty]
    if zones:
        area = area.difference(shapely.union_all(zones))
    return area


# --- screening -----------------------------------------------------------------------------


class _Screen:
    """Closed-form length of a field with g of infinite line sources (no finite-length
    effect, so g does not depend on H) through GHEtool's monthly L3 formula
    (Borefield._calculate_temperature_profile): every temperature excess is then A/H, and the
    length is the largest A over the allowed excess. A ranking only: it overstates long-term
    interaction; exact sizings replace it."""

    def __init__(self, shape_field: _Field, conductivity_w_per_m_k: float) -> None:
        from scipy.special import exp1

        self._exp1 = exp1
        p = shape_field.problem
        load = shape_field.borefield.load
        self.k = conductivity_w_per_m_k
        self.alpha = conductivity_w_per_m_k / p.volumetric_heat_capacity_j_per_m3_k
        self.times = np.asarray(load.time_L3, dtype=np.float64)
        self.peak_s = float(load.peak_injection_duration)
        self.average = np.asarray(load.monthly_average_injection_power_simulation_period) * 1e3
        self.base_injection = np.asarray(load.monthly_baseload_injection_power_simulation_period)
        self.base_extraction = np.asarray(load.monthly_baseload_extraction_power_simulation_period)
        self.peak_injection = np.asarray(load.monthly_peak_injection_simulation_period)
        self.peak_extraction = np.asarray(load.monthly_peak_extraction_simulation_period)
        self.rb = p.borehole_resistance_m_k_per_w
        ground_c = p.ground_temperature_k - KELVIN_AT_0_C
        self.hot_room = p.fluid_max_k - KELVIN_AT_0_C - ground_c
        self.cold_room = ground_c - (p.fluid_min_k - KELVIN_AT_0_C)
        self.radius = p.borehole_radius_m

    def length_m(self, positions_m: NDArray[np.float64]) -> float:
        n = len(positions_m)
        d2 = ((positions_m[:, None, :] - positions_m[None, :, :]) ** 2).sum(axis=2)
        d2[np.diag_indices(n)] = self.radius**2
        values, counts = np.unique(np.round(d2, 6), return_counts=True)
        times = np.append(self.times, self.peak_s)
        g = (counts[:, None] * 0.5 * self._exp1(values[:, None] / (4 * self.alpha * times))).sum(
            axis=0
        ) / n
        g_months, g_peak = g[:-1], g[-1]
        steps = np.diff(g_months, prepend=0.0)
        wall = np.convolve(self.average, steps)[: len(self.average)] / (2 * math.pi * self.k)
        factor = g_peak / (2 * math.pi * self.k)
        hot = (
            wall + (self.peak_injection * (factor + self.rb) - self.base_injection * factor) * 1e3
        ) / n
        cold = (
            -(
                wall
                + (-self.peak_extraction * (factor + self.rb) + self.base_extraction * factor) * 1e3
            )
            / n
        )
        return max(0.0, float(hot.max()) / self.hot_room, float(cold.max()) / self.cold_room)


# --- the search ----------------------------------------------------------------------------


@dataclass
class _Candidate:
    kind: LayoutKind
    n1: int
    n2: int
    count: int
    spacing_m: float
    positions_m: NDArray[np.float64]
    shape: FieldShape
    screened_length_m: float = math.inf


def search_layouts(
    problem: SizingProblem,
    conductivity_w_per_m_k: float,
    parcel_m: shapely.Geometry,
    setback_m: float,
    costs: LayoutCosts,
    no_drill_m: Iterable[shapely.Geometry] = (),
    spacings_m: Sequence[float] = DEFAULT_SPACINGS_M,
    store: GFunctionStore | None = None,
) -> LayoutSearch:
    """The cheapest layouts that keep the fluid within its limits, best first (up to three).

    problem: loads, ground and limits (its spacing_m and max_boreholes are not used: each
    layout has its own). Raises SizingError when no layout fits the plot or none works.
    """
    started = time.perf_counter()
    store = store if store is not None else STORE
    nodes_before = store.stats.nodes
    _check_solvable(problem)
    spacings = sorted({float(s) for s in spacings_m})[:MAX_SPACINGS]
    if not spacings or spacings[0] < MINIMUM_SPACING_M:
        raise ValueError(f"spacings must be at least {MINIMUM_SPACING_M:g} m (MOE-GL4-2024)")
    area = buildable_area(parcel_m, setback_m, no_drill_m)
    if area.is_empty:
        raise SizingError("no borehole fits in the parcel inside its setback")
    lattices = {s: _lattices(area, s) for s in spacings}
    most_sites = max((int(lat.valid.sum()) for lat in lattices[spacings[0]]), default=0)
    if most_sites == 0:
        raise SizingError("no borehole fits in the parcel inside its setback")
    max_count = min(MAX_BOREHOLES, most_sites)

    shape_field = _Field(problem, conductivity_w_per_m_k, store)
    screen = _Screen(shape_field, conductivity_w_per_m_k)
    # The fewest boreholes that can work: a straight row at the widest spacing has the least
    # interaction of any layout of its size, so no layout with fewer boreholes screens better.
    widest = spacings[-1]
    fewest = max_count
    for count in range(1, max_count + 1):
        row = np.column_stack([np.arange(count) * widest, np.zeros(count)])
        if screen.length_m(row) <= problem.max_length_m * (1 + SCREEN_MARGIN):
            fewest = count
            break
    most = min(max_count, math.ceil(COUNT_WINDOW * fewest))
    considered = fitting = 0
    best_of: dict[tuple[str, int, int, float], _Candidate] = {}
    for kind, n1, n2, count in _layouts(most):
        if count < fewest:
            continue
        if considered >= MAX_CANDIDATES:
            break
        orientations = _orientations(layout_sites(kind, n1, n2))
        for spacing in spacings:
            considered += 1
            placed = None
            for lattice in lattices[spacing]:
                for sites in orientations:
                    ij = lattice.place(sites)
                    if ij is not None:
                        placed = lattice.to_metres(ij.astype(np.float64))
                        break
                if placed is not None:
                    break
            if placed is None:
                continue
            fitting += 1
            key = (kind, n1, n2, spacing)
            candidate = _Candidate(
                kind,
                n1,
                n2,
                count,
                spacing,
                placed,
                FieldShape.from_positions(
                    placed, problem.burial_depth_m, problem.borehole_radius_m
                ),
            )
            candidate.screened_length_m = screen.length_m(placed)
            best_of[key] = candidate
    if not best_of:
        raise SizingError("no layout fits in the parcel inside its setback")

    # one candidate per field shape (an L of 2 × 2 is a 1 × 3 row bent: different shapes,
    # but a 1 × n rectangle and an n × 1 L are the same)
    by_shape: dict[FieldShape, _Candidate] = {}
    for candidate in best_of.values():
        kept = by_shape.get(candidate.shape)
        if kept is None or candidate.screened_length_m < kept.screened_length_m:
            by_shape[candidate.shape] = candidate

    def screened_cost(candidate: _Candidate, calibration: float) -> float:
        length = max(problem.min_length_m, candidate.screened_length_m * calibration)
        return costs.drilling(candidate.count, length)

    pending = list(by_shape.values())
    ratios: list[float] = []
    options: list[LayoutOption] = []
    sized = 0
    while pending and len(options) < MAX_EXACT and sized < MAX_EXACT + MAX_BEYOND:
        calibration = float(np.median(ratios)) if ratios else 1.0
        # how far the calibrated screen has been from GHEtool so far, and a little more
        spread = max((abs(r / calibration - 1) for r in ratios), default=SCREEN_MARGIN)
        margin = min(SCREEN_MARGIN, spread + 0.01)
        pending = [  # what the screen puts well beyond the maximum length is left out
            c
            for c in pending
            if c.screened_length_m * calibration <= problem.max_length_m * (1 + margin)
        ]
        if not pending:
            break
        pending.sort(key=lambda c: screened_cost(c, calibration))
        candidate = pending.pop(0)
        if len(options) >= OPTIONS_RETURNED:
            third = sorted(o.drilling_cost for o in options)[OPTIONS_RETURNED - 1]
            if screened_cost(candidate, calibration) * (1 - margin) > third:
                break
        sized += 1
        shape_field.use(candidate.shape)
        length = required_length_m(shape_field, hint_m=candidate.screened_length_m * calibration)
        if length is None:
            # beyond the maximum: its rough length (the g just computed, no new one) calibrates
            # the screen, and what the screen puts at least as long is beyond it too
            if candidate.screened_length_m > 0:
                ratios.append(_rough_length_m(shape_field) / candidate.screened_length_m)
            pending = [c for c in pending if c.screened_length_m < candidate.screened_length_m]
            continue
        if candidate.screened_length_m > 0 and length > problem.min_length_m:
            ratios.append(length / candidate.screened_length_m)
        notes = []
        if length <= problem.min_length_m:
            length = problem.min_length_m
            notes.append(
                f"shorter than {problem.min_length_m:g} m: {problem.min_length_m:g} m kept"
            )
        fluid_min_c, fluid_max_c = shape_field.fluid_temperatures_c(length)
        drilling = costs.drilling(candidate.count, length)
        options.append(
            LayoutOption(
                candidate.kind,
                candidate.n1,
                candidate.n2,
                candidate.spacing_m,
                candidate.count,
                length,
                drilling,
                drilling + costs.fixed,
                candidate.positions_m.round(2).tolist(),
                fluid_min_c,
                fluid_max_c,
                notes,
            )
        )
    if not options:
        raise SizingError(
            f"no layout of at most {max_count} boreholes of at most {problem.max_length_m:g} m "
            "fits in the parcel and keeps the fluid within its limits"
        )
    options.sort(key=lambda o: o.cost)
    return LayoutSearch(
        options[:OPTIONS_RETURNED],
        considered,
        fitting,
        len(by_shape),
        sized,
        store.stats.nodes - nodes_before,
        time.perf_counter() - started,
        {
            "spacings_m": spacings,
            "minimum_spacing_m": MINIMUM_SPACING_M,
            "max_boreholes": max_count,
            "max_candidates": MAX_CANDIDATES,
            "count_window": COUNT_WINDOW,
            "max_sized": MAX_EXACT,
            "screen_margin": SCREEN_MARGIN,
        },
    )
