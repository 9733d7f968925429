"""Design estimate: the closed-loop sizing and the layout search against ONE bare GHEtool 2.3.4
L3 sizing of the same field, measured in the same run (issue #21, item 6).

1. The domain pipeline from loads to the three bands (estimates.domain.sizing.size_bands: the
   P50, P10 and P90 of λ on one g-function store), with the process's store emptied before
   each run (a field shape this worker has never seen: the slowest case), against one bare
   sizing of the P50 field as today's code makes it (a fresh GHEtool Borefield, size_L3 from
   100 m; goal ≤ 1.5×). Then the same estimate again on the filled store (a later estimate
   with the same field shapes: another house nearby).
2. The layout search (estimates.domain.layout_search) over ≥ 50 candidate layouts of a 600 m²
   office's plot, store emptied, against one bare sizing of the best layout's field (goal ≤ 3×).
3. The whole estimate through the services at Yoshioka (Gunma fixture, development database),
   store emptied before each run, against one bare sizing of its P50 field; and the reuse of an
   identical request.

Medians of RUNS runs, each ratio taken run by run against a bare sizing made right after it.
`--domain-only` skips part 3 (no database needed).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
warnings.filterwarnings("ignore")  # GHEtool's deprecation notes, once per field

from bench._report import record  # noqa: E402

RUNS = 5
# Maebashi 1991–2020 monthly means (the Gunma fixture's climate normal), K
MAEBASHI_K = np.array([3.7, 4.6, 8.1, 13.4, 18.6, 22.1, 25.8, 26.9, 22.9, 17.1, 11.1, 6.1]) + 273.15
# Gunma's map parameters (fixtures/gunma/region.json): ground 16.5 °C, fluid −2 … 35 °C; λ
# bands as a sandy-gravel terrace gives them (P10/P50/P90, W/(m·K)); heat pump as the region's
# reference values (ETV rating: COP 4.04, EER 4.59)
GROUND_K, FLUID_MIN_K, FLUID_MAX_K = 289.65, 271.15, 308.15
CONDUCTIVITY = {"p10": 1.5, "p50": 1.9, "p90": 2.4}
COP, EER = 4.04, 4.59


def bare_sizing_s(building, conductivity: float, x_m, y_m, ground_k: float = GROUND_K):  # type: ignore[no-untyped-def]
    """One sizing as today's code makes it: a fresh GHEtool field, size_L3 from 100 m."""
    import pygfunction as gt
    from GHEtool import Borefield, GroundConstantTemperature, MonthlyBuildingLoadAbsolute

    start = time.perf_counter()
    borefield = Borefield()
    borefield.set_ground_parameters(
        GroundConstantTemperature(conductivity, ground_k - 273.15, 2.4e6)
    )
    borefield.set_Rb(0.1)
    borefield.set_max_avg_fluid_temperature(FLUID_MAX_K - 273.15)
    borefield.set_min_avg_fluid_temperature(FLUID_MIN_K - 273.15)
    borefield.set_load(
        MonthlyBuildingLoadAbsolute(
            building.heating_j / 3.6e6,
            building.cooling_j / 3.6e6,
            building.heating_peak_w / 1000,
            building.cooling_peak_w / 1000,
            25,
            COP,
            EER,
        )
    )
    borefield.set_borefield(gt.borefield.Borefield(100.0, 1.0, 0.075, x_m, y_m))
    length = float(borefield.size_L3(100.0))
    return time.perf_counter() - start, length


def bands_bench(use: str, floor_area_m2: float) -> None:
    from estimates.domain import gfunctions, loads, sizing

    building = loads.loads_from_use(use, floor_area_m2, MAEBASHI_K)
    problem = sizing.SizingProblem(
        building, GROUND_K, 2.4e6, 0.1, FLUID_MIN_K, FLUID_MAX_K, COP, EER, 6.0, 200
    )
    # the G.POT first guess the services give (annual ground load ÷ 8.4 W/m ÷ 100 m)
    start = sizing.start_count(building.annual_heating_j * (1 - 1 / COP), 8.4)
    ratios, cold, bare, warm, nodes = [], [], [], [], []
    for _ in range(RUNS):
        gfunctions.STORE.clear()
        began = time.perf_counter()
        bands = sizing.size_bands(problem, CONDUCTIVITY, start_count=start)
        cold.append(time.perf_counter() - began)
        nodes.append(gfunctions.STORE.stats.nodes)
        began = time.perf_counter()
        sizing.size_bands(problem, CONDUCTIVITY, start_count=start)
        warm.append(time.perf_counter() - began)
        p50 = bands["p50"]
        assert isinstance(p50, sizing.Sizing)
        shape = gfunctions.FieldShape.rectangle(p50.rows, p50.columns, 6.0)
        seconds, length = bare_sizing_s(building, CONDUCTIVITY["p50"], shape.x_m, shape.y_m)
        bare.append(seconds)
        ratios.append(cold[-1] / seconds)
    label = f"{use.replace('_', ' ')}, {floor_area_m2:g} m²"
    summary = ", ".join(
        f"{b} {v.count} × {v.length_m:.1f} m" if isinstance(v, sizing.Sizing) else f"{b} refused"
        for b, v in bands.items()
    )
    print(f"closed-loop P10/P50/P90, {label} (λ {CONDUCTIVITY}): {summary}")
    print(
        f"  bare GHEtool size_L3 of the P50 field: {statistics.median(bare) * 1e3:8.0f} ms "
        f"({length:.2f} m)"
    )
    print(
        f"  three bands, empty store:             {statistics.median(cold) * 1e3:8.0f} ms, "
        f"{statistics.median(nodes):.0f} g-functions; ratio {statistics.median(ratios):.2f} "
        "(goal ≤ 1.5)"
    )
    print(f"  three bands, filled store:            {statistics.median(warm) * 1e3:8.0f} ms")
    record(
        "estimate",
        f"P10/P50/P90 sizing, {label}, empty store",
        statistics.median(cold) * 1e3,
        "ms",
        baseline="one bare GHEtool L3 sizing",
        baseline_value=statistics.median(cold) * 1e3 / statistics.median(ratios),
        goal="ratio <= 1.5",
    )
    record("estimate", f"P10/P50/P90 sizing, {label}, filled store",
           statistics.median(warm) * 1e3, "ms")  # fmt: skip


def layout_bench() -> None:
    import shapely

    from estimates.domain import gfunctions, layout_search, loads, sizing

    building = loads.loads_from_use("office", 600, MAEBASHI_K)
    problem = sizing.SizingProblem(
        building, GROUND_K, 2.4e6, 0.1, FLUID_MIN_K, FLUID_MAX_K, COP, EER, 6.0, 0
    )
    plot = shapely.Polygon([(0, 0), (60, 5), (56, 48), (-4, 42)])
    footprint = shapely.box(20, 15, 36, 27)
    costs = layout_search.LayoutCosts(drilling_per_m=10_000, per_borehole=150_000, fixed=1.5e6)
    ratios, searched, bare = [], [], []
    for _ in range(RUNS):
        gfunctions.STORE.clear()
        began = time.perf_counter()
        result = layout_search.search_layouts(
            problem, CONDUCTIVITY["p50"], plot, 3.0, costs, no_drill_m=[footprint]
        )
        searched.append(time.perf_counter() - began)
        xy = np.array(result.best.positions_m)
        seconds, _ = bare_sizing_s(building, CONDUCTIVITY["p50"], xy[:, 0], xy[:, 1])
        bare.append(seconds)
        ratios.append(searched[-1] / seconds)
    print(
        f"layout search, 600 m² office on a 60 × 45 m plot: {result.considered} layouts "
        f"considered, {result.fitting} placed, {result.screened} field shapes screened, "
        f"{result.sized} sized, {result.gfunction_nodes} g-functions"
    )
    for option in result.options:
        print(
            f"  {option.kind} {option.n1} × {option.n2} at {option.spacing_m:g} m: "
            f"{option.count} × {option.length_m:.1f} m, ¥{option.cost:,.0f}"
        )
    print(
        f"  search {statistics.median(searched) * 1e3:.0f} ms, bare sizing of the best field "
        f"{statistics.median(bare) * 1e3:.0f} ms: ratio {statistics.median(ratios):.2f} "
        "(goal ≤ 3)"
    )
    record(
        "estimate",
        f"layout search, {result.considered} layouts, empty store",
        statistics.median(searched) * 1e3,
        "ms",
        baseline="one bare GHEtool L3 sizing",
        baseline_value=statistics.median(searched) * 1e3 / statistics.median(ratios),
        goal="ratio <= 3",
    )
    record("estimate", "layout search, layouts considered", result.considered, "",
           goal=">= 50")  # fmt: skip


def services_bench() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.gis.geos import Point

    from core.models import Job, Region
    from estimates import services
    from estimates.domain import gfunctions
    from estimates.domain import loads as domain_loads
    from estimates.models import Estimate
    from potential_map import tasks as map_tasks
    from potential_map.models import MapLayer
    from region_fixtures.services import load_region_fixture

    yoshioka = Point(139.01028, 36.4475, srid=4326)
    inputs = {
        "loads": "use",
        "building_use": "detached_house",
        "floor_area_m2": 150,
        "system": "closed_loop",
    }
    load_region_fixture("gunma")  # idempotent: files already imported are skipped
    region = Region.objects.get(code="gunma")
    if not MapLayer.objects.filter(region=region, is_current=True).exists():
        map_tasks.recompute(Job.objects.create(kind="recompute", region=region))

    totals, ratios = [], []
    for _ in range(RUNS):
        gfunctions.STORE.clear()
        estimate = Estimate(region=region, location=yoshioka, inputs=inputs, inputs_hash="bench")
        began = time.perf_counter()
        result = services.compute(estimate, AnonymousUser())
        totals.append(time.perf_counter() - began)
        design = result["design"]
        building = domain_loads.MonthlyLoads(
            **{k: np.asarray(v) for k, v in result["loads"].items() if k in _LOAD_FIELDS},
            method=result["loads"]["method"],
        )
        shape = gfunctions.FieldShape.rectangle(design["rows"], design["columns"], 6.0)
        seconds, _ = bare_sizing_s(
            building,
            result["ground"]["conductivity_w_per_m_k"]["p50"],
            shape.x_m,
            shape.y_m,
            result["ground"]["ground_temperature_k"],
        )
        ratios.append(totals[-1] / seconds)
    stored = services.request_estimate(yoshioka, None, inputs, AnonymousUser(), background=False)
    began = time.perf_counter()
    again = services.request_estimate(yoshioka, None, inputs, AnonymousUser())
    reuse_ms = (time.perf_counter() - began) * 1e3
    assert again.pk == stored.pk
    print(
        f"whole estimate through the services at Yoshioka, 150 m² house (three size_field "
        f"calls until the services use size_bands): {statistics.median(totals) * 1e3:.0f} ms, "
        f"ratio to one bare sizing of its P50 field {statistics.median(ratios):.2f}"
    )
    print(f"identical inputs, reused: {reuse_ms:.0f} ms")
    record(
        "estimate",
        "whole closed-loop estimate (services), empty store",
        statistics.median(totals) * 1e3,
        "ms",
        baseline="one bare GHEtool L3 sizing",
        baseline_value=statistics.median(totals) * 1e3 / statistics.median(ratios),
        goal="ratio <= 1.5",
    )
    record("estimate", "identical inputs, reused", reuse_ms, "ms")


_LOAD_FIELDS = ("heating_j", "cooling_j", "heating_peak_w", "cooling_peak_w")


def main() -> None:
    from GHEtool import Borefield  # noqa: F401 - imported once per worker, not per estimate

    bands_bench("detached_house", 150)
    bands_bench("office", 600)
    layout_bench()
    if "--domain-only" not in sys.argv:  # the services part needs the development database
        services_bench()


if __name__ == "__main__":
    main()
