"""Districts compared: demand, closed- and open-loop supply, coverage and CO2 saved, with
P10/P50/P90 from the layers' bands. Reads the current layers the user may see."""

from __future__ import annotations

from typing import Any

import numpy as np
import rasterio
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.models import District, Region
from estimates.services import Refused
from planning.domain import demand, supply
from planning.models import BuildingStock
from potential_map import rasters
from potential_map.choices import LayerKind
from potential_map.models import MapLayer
from reference.services import CARRIER_KEYS, default_baseline, monthly_temperatures, reference_value

BANDS = ("p10", "p50", "p90")
J_PER_MWH = 3.6e9
# Housing floor area per person when a district has no building stock (an estimate):
# Japan ≈ 119.94 m² per Yoshioka household (YOSHIOKA-2014 §6-1-②) / ≈ 3 persons; Tajikistan
# inferred. Both labelled in every answer that uses them.
FLOOR_M2_PER_PERSON = {"JPY": 40.0, "TJS": 12.0}
# Ground heat is drawn where the buildings are: land under and around them per m² of floor
# (a floor-area ratio of 1, inferred). Supply on built land = the district's supply density ×
# this land; the whole-district technical potential is reported beside it.
LAND_M2_PER_FLOOR_M2 = 1.0


def _read(layer: MapLayer | None, band_name: str) -> np.ndarray | None:
    if layer is None or band_name not in layer.bands:
        return None
    with rasterio.open(layer.cog_path) as source:
        return source.read(layer.bands.index(band_name) + 1).astype(np.float64).ravel()


def district_index(region: Region, layer: MapLayer, districts: list[District]) -> np.ndarray:
    """Each cell's position in `districts` (−1: none), on the layer's own grid."""
    with rasterio.open(layer.cog_path) as source:
        transform = source.transform
    grid = rasters.Grid(
        layer.crs_epsg,
        layer.resolution_m,
        transform.c,
        transform.f,
        layer.width,
        layer.height,
        np.ones((layer.height, layer.width), dtype=bool),
    )
    burnt = rasters.rasterize_values(
        grid, [(bytes(d.geometry.wkb), float(i)) for i, d in enumerate(districts)], fill=-1
    )
    return burnt.astype(np.int64)


def compare(region: Region, scenario: supply.Scenario, user: Any) -> dict[str, Any]:
    layers = {
        layer.kind: layer
        for layer in MapLayer.objects.visible_to(user).filter(region=region, is_current=True)
    }
    heating_layer = layers.get(LayerKind.CLOSED_LOOP_HEATING)
    if heating_layer is None:
        raise Refused(_("This region has no closed-loop map yet."))
    districts = list(District.objects.visible_to(user).filter(region=region).order_by("code"))
    if not districts:
        raise Refused(_("This region has no districts."))
    index = district_index(region, heating_layer, districts)
    cell_area = heating_layer.resolution_m**2
    constraint = _read(layers.get(LayerKind.CONSTRAINTS_OPEN_LOOP), "class")
    if constraint is None:
        constraint = np.zeros(index.shape)
    params = {k: v["value"] for k, v in region.map_parameters.items()}
    count = len(districts)
    district_area_m2 = np.bincount(index[index >= 0], minlength=count)[:count] * cell_area

    closed, opened = {}, {}
    for band in BANDS:
        closed[band] = supply.closed_loop_supply_j(
            index,
            count,
            cell_area,
            _read(heating_layer, band),
            _read(layers.get(LayerKind.CLOSED_LOOP_COOLING), band),
            constraint,
            scenario,
        )
        heat_rate = _read(layers.get(LayerKind.OPEN_LOOP_HEAT_RATE), band)
        spacing = _read(layers.get(LayerKind.OPEN_LOOP_SPACING), band)
        if heat_rate is not None and spacing is not None:
            opened[band] = supply.open_loop_supply_j(
                index,
                count,
                cell_area,
                heat_rate,
                spacing,
                constraint,
                float(params["heating_season_s"]),
                float(params["cooling_season_s"]),
                scenario,
            )

    temperatures, climate = monthly_temperatures(region)
    stock: dict[int, dict[str, float]] = {}
    for row in BuildingStock.objects.visible_to(user).filter(district__region=region):
        stock.setdefault(row.district_id, {})[row.use] = row.floor_area_m2
    per_person = FLOOR_M2_PER_PERSON.get(region.currency, 30.0)
    factors = _co2_factors(region)

    rows = []
    for i, district in enumerate(districts):
        if district.pk in stock:
            need = demand.demand_from_stock(stock[district.pk], temperatures)
            floor_m2 = sum(stock[district.pk].values())
            basis, basis_kind = "building stock", "stock"
        elif district.population:
            need = demand.demand_from_population(district.population, per_person, temperatures)
            floor_m2 = district.population * per_person
            basis, basis_kind = (
                (
                    f"estimate: population {district.population:,} × {per_person:g} m² per "
                    f"person as housing ({district.population_source})"
                ),
                "population",
            )
        else:
            need, floor_m2 = None, 0.0
            basis, basis_kind = "unknown: no building stock and no population", "unknown"
        basis_label, basis_text = demand_basis_text(
            basis_kind, district.population, per_person, district.population_source
        )
        built_share = (
            min(1.0, floor_m2 * LAND_M2_PER_FLOOR_M2 / district_area_m2[i])
            if district_area_m2[i] > 0
            else 0.0
        )
        row: dict[str, Any] = {
            "code": district.code,
            "name": district.name,
            "demand_basis": basis,
            # the same, said in the page's language (the English one stays for machines)
            "demand_basis_label": basis_label,
            "demand_basis_text": basis_text,
            "demand_is_estimate": district.pk not in stock,
            "heating_demand_mwh": need["heating_j"] / J_PER_MWH if need else None,
            "cooling_demand_mwh": need["cooling_j"] / J_PER_MWH if need else None,
            "heating_peak_kw": need["heating_peak_w"] / 1000 if need else None,
            "cooling_peak_kw": need["cooling_peak_w"] / 1000 if need else None,
            "district_area_km2": district_area_m2[i] / 1e6,
            "built_land_share": built_share,
        }
        for band in BANDS:
            row[f"closed_heating_mwh_whole_{band}"] = closed[band][0][i] / J_PER_MWH
            # supply where the buildings are: the district's density × its built land
            heat_c, cool_c = closed[band][0][i] * built_share, closed[band][1][i] * built_share
            row[f"closed_heating_mwh_{band}"] = heat_c / J_PER_MWH
            row[f"closed_cooling_mwh_{band}"] = cool_c / J_PER_MWH
            if band in opened:
                row[f"open_heating_mwh_{band}"] = opened[band][0][i] * built_share / J_PER_MWH
                row[f"open_cooling_mwh_{band}"] = opened[band][1][i] * built_share / J_PER_MWH
            if need:
                covered_heat = min(heat_c, need["heating_j"])
                covered_cool = min(cool_c, need["cooling_j"])
                row[f"heating_coverage_{band}"] = (
                    covered_heat / need["heating_j"] if need["heating_j"] else None
                )
                row[f"cooling_coverage_{band}"] = (
                    covered_cool / need["cooling_j"] if need["cooling_j"] else None
                )
                row[f"co2_saved_t_{band}"] = (
                    _co2_saved(covered_heat, covered_cool, scenario, factors) / 1000
                )
        rows.append(row)
    return {
        "region": region.code,
        "scenario": scenario.__dict__,
        "units": {"energy": "MWh/yr", "peak": "kW", "coverage": "share 0–1", "co2": "t/yr"},
        "layers": {k: v.version for k, v in layers.items()},
        "climate": climate,
        "co2_factors": factors,
        "floor_m2_per_person": per_person,
        "land_m2_per_floor_m2": LAND_M2_PER_FLOOR_M2,
        "supply_basis": "on built land: the district's supply density × floor area × "
        f"{LAND_M2_PER_FLOOR_M2:g} m² of land per m² of floor (inferred)",
        "districts": rows,
    }


def demand_basis_text(
    kind: str, population: int | None, floor_m2_per_person: float, population_source: str
) -> tuple[str, str]:
    """(short label, sentence) of what a district's demand stands on, in the active language:
    its building stock, an estimate from its population, or nothing."""
    if kind == "stock":
        return _("building stock"), _("Demand from the district's building stock.")
    if kind == "population":
        sentence = _(
            "Estimate: population %(population)s × %(floor)s m² of housing per person (%(source)s)."
        ) % {
            "population": number_format(population or 0, force_grouping=True),
            "floor": number_format(
                int(floor_m2_per_person)
                if float(floor_m2_per_person).is_integer()
                else floor_m2_per_person
            ),
            "source": population_source,
        }
        return _("estimate from population"), sentence
    return _("unknown"), _("Unknown: the district has no building stock and no population.")


def _co2_factors(region: Region) -> dict[str, Any]:
    """kg CO2 per J of delivered heat of the default heating baseline, of cooling by the
    default cooling baseline, and per J of grid electricity."""
    grid = reference_value(region, "grid_co2_kg_per_j")
    out: dict[str, Any] = {"grid_kg_per_j": grid["value"] if grid else None}
    for mode in ("heating", "cooling"):
        baseline = default_baseline(region, mode)
        if baseline is None:
            out[mode] = None
            continue
        factor = reference_value(region, CARRIER_KEYS[baseline.carrier][0])
        out[mode] = {
            "baseline": baseline.code,
            "kg_per_j_heat": factor["value"] / baseline.efficiency if factor else None,
        }
    return out


def _co2_saved(heat_j: float, cool_j: float, scenario: supply.Scenario, factors: dict) -> float:
    grid = factors.get("grid_kg_per_j") or 0.0
    saved = 0.0
    if factors.get("heating") and factors["heating"]["kg_per_j_heat"] is not None:
        saved += heat_j * (factors["heating"]["kg_per_j_heat"] - grid / scenario.cop_heating)
    if factors.get("cooling") and factors["cooling"]["kg_per_j_heat"] is not None:
        saved += cool_j * (factors["cooling"]["kg_per_j_heat"] - grid / scenario.eer_cooling)
    return saved
