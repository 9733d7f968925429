"""What the estimate page and the printed report show: figures in display units and three
small SVG charts (monthly loads, fluid temperature over the years, cumulative cash flow)."""

from __future__ import annotations

import math
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from estimates.models import Estimate
from field_tests.presentation import chemistry_names
from potential_map.choices import LayerKind
from reference.models import Provenance

J_PER_MWH = 3.6e9
WIDTH, HEIGHT, MARGIN = 520, 200, 40


def _scale(values: list[float], low: float | None = None, high: float | None = None):  # type: ignore[no-untyped-def]
    finite = [v for v in values if v is not None]
    lo = min(finite + ([low] if low is not None else [])) if finite else 0.0
    hi = max(finite + ([high] if high is not None else [])) if finite else 1.0
    if hi - lo < 1e-9:
        hi = lo + 1.0
    return lo, hi


def _y(value: float, lo: float, hi: float) -> float:
    return round(MARGIN / 2 + (hi - value) / (hi - lo) * (HEIGHT - MARGIN), 1)


def monthly_loads_chart(loads: dict[str, Any]) -> dict[str, Any]:
    heating = [v / J_PER_MWH for v in loads["heating_j"]]
    cooling = [v / J_PER_MWH for v in loads["cooling_j"]]
    lo, hi = _scale(heating + cooling, 0.0)
    step = (WIDTH - 2 * MARGIN) / 12
    bars = []
    for month in range(12):
        x = MARGIN + month * step
        for offset, value, colour in (
            (0.1, heating[month], "#d62728"),
            (0.5, cooling[month], "#1f77b4"),
        ):
            top = _y(value, lo, hi)
            bars.append(
                {
                    "x": round(x + offset * step, 1),
                    "y": top,
                    "width": round(0.38 * step, 1),
                    "height": round(_y(0, lo, hi) - top, 1),
                    "colour": colour,
                    "title": f"{month + 1}: {value:.1f} MWh",
                }
            )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "axis_y": _y(0, lo, hi),
        "labels": [
            {"x": round(MARGIN + (m + 0.5) * step, 1), "text": str(m + 1)} for m in range(12)
        ],
        "max_label": f"{hi:.1f} MWh",
        "title": _("Monthly heating (red) and cooling (blue)"),
    }


def _line(values: list[float], lo: float, hi: float) -> str:
    count = max(len(values) - 1, 1)
    return " ".join(
        f"{MARGIN + i * (WIDTH - 2 * MARGIN) / count:.1f},{_y(v, lo, hi)}"
        for i, v in enumerate(values)
        if v is not None
    )


def fluid_chart(design: dict[str, Any]) -> dict[str, Any] | None:
    low_series, high_series = design.get("fluid_min_c"), design.get("fluid_max_c")
    if not low_series:
        return None
    limits = design["fluid_limits_c"]
    lo, hi = _scale(low_series + high_series, limits[0], limits[1])
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": [
            {"points": _line(low_series, lo, hi), "colour": "#1f77b4"},
            {"points": _line(high_series, lo, hi), "colour": "#d62728"},
        ],
        "limits": [{"y": _y(v, lo, hi), "text": f"{v:g} °C"} for v in limits],
        "title": _("Mean fluid temperature at the monthly peaks over %(years)s years")
        % {"years": len(low_series) // 12},
    }


def cash_chart(cash_flow: list[float] | None, currency: str) -> dict[str, Any] | None:
    if not cash_flow:
        return None
    lo, hi = _scale(cash_flow, 0.0)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": [{"points": _line(cash_flow, lo, hi), "colour": "#2ca02c"}],
        "limits": [{"y": _y(0, lo, hi), "text": f"0 {currency}"}],
        "title": _("Cumulative cash flow over %(years)s years (%(currency)s)")
        % {"years": len(cash_flow) - 1, "currency": currency},
    }


# What the estimate's "where the numbers come from" calls each value it used. The stored keys
# stay in the result JSON (and the API); the page and the report show these names.
REFERENCE_LABELS = {
    "bhe_cost_per_m": gettext_lazy("borehole heat exchanger cost per metre"),
    "chiller_cop": gettext_lazy("chiller COP"),
    "coal_co2_kg_per_j": gettext_lazy("CO2 of coal"),
    "coal_heating_value_j_per_kg": gettext_lazy("heating value of coal"),
    "coal_price_per_kg": gettext_lazy("coal price"),
    "electricity_base_price_per_w_month": gettext_lazy("electricity base charge"),
    "electricity_price_per_j": gettext_lazy("electricity price"),
    "electricity_primary_energy_j_per_j": gettext_lazy("primary energy of electricity"),
    "grid_co2_kg_per_j": gettext_lazy("CO2 of grid electricity"),
    "ground_temperature_k": gettext_lazy("ground temperature"),
    "heat_exchanger_cost_per_w": gettext_lazy("heat exchanger cost"),
    "heat_pump_cop_heating": gettext_lazy("heat pump COP, heating"),
    "heat_pump_cost_per_w": gettext_lazy("heat pump cost"),
    "heat_pump_eer_cooling": gettext_lazy("heat pump EER, cooling"),
    "kerosene_boiler_efficiency": gettext_lazy("kerosene boiler efficiency"),
    "kerosene_co2_kg_per_j": gettext_lazy("CO2 of kerosene"),
    "kerosene_heating_value_j_per_m3": gettext_lazy("heating value of kerosene"),
    "kerosene_price_per_m3": gettext_lazy("kerosene price"),
    "kerosene_lower_heating_value_j_per_m3": gettext_lazy("lower heating value of kerosene"),
    "kerosene_primary_energy_j_per_j": gettext_lazy("primary energy of kerosene"),
    "lpg_lower_heating_value_j_per_kg": gettext_lazy("lower heating value of LPG"),
    "lpg_primary_energy_j_per_j": gettext_lazy("primary energy of LPG"),
    "coal_lower_heating_value_j_per_kg": gettext_lazy("lower heating value of coal"),
    "coal_primary_energy_j_per_j": gettext_lazy("primary energy of coal"),
    "lpg_co2_kg_per_j": gettext_lazy("CO2 of LPG"),
    "lpg_heating_value_j_per_kg": gettext_lazy("heating value of LPG"),
    "lpg_price_per_kg": gettext_lazy("LPG price"),
    "pumping_well_cost_per_m": gettext_lazy("pumping well cost per metre"),
    "reinjection_well_cost_per_m": gettext_lazy("reinjection well cost per metre"),
    "system_fixed_cost": gettext_lazy("fixed system cost"),
    # the design's defaults (estimates.services.lifecycle._defaults_used)
    "spacing_m": gettext_lazy("borehole spacing (m)"),
    "setback_m": gettext_lazy("setback from the parcel edge (m)"),
    "max_length_m": gettext_lazy("longest borehole (m)"),
    "borehole_resistance_m_k_per_w": gettext_lazy("borehole thermal resistance (m·K/W)"),
    "circulation_pump_share": gettext_lazy("circulation pump share of the heat pump's power"),
}


def label_of(key: str) -> str:
    """The name of a reference value, default or map layer in the active language; a key
    nobody named yet is shown as it is stored."""
    if key in REFERENCE_LABELS:
        return str(REFERENCE_LABELS[key])
    if key.startswith("baseline_") and key.endswith("_cost_per_w"):  # economics.baseline_capex_key
        return str(gettext_lazy("purchase price of a replaced system per W"))
    if key in LayerKind.values:
        return str(LayerKind(key).label)
    return key


def _four_significant(number: float) -> str:
    """A reference value to four significant digits in the active language's number format
    (500,000 / 500 000; 0,2588 in ru and tg), never in exponent form."""
    if not math.isfinite(number) or number == 0:
        return number_format(number, decimal_pos=0, force_grouping=True)
    decimals = max(0, 3 - math.floor(math.log10(abs(number))))
    return number_format(round(number, decimals), decimal_pos=decimals, force_grouping=True)


def reference_lines(used: dict[str, Any]) -> list[dict[str, Any]]:
    """Reference values in display units: per joule as per kWh, and so on."""
    lines = []
    for key, value in used.items():
        number, unit = value["value"], value["unit"]
        if key.endswith("_per_j"):
            number, unit = number * 3.6e6, unit.replace("/J", "/kWh")
        provenance = value["provenance"]
        lines.append(
            {
                "key": key,
                "label": label_of(key),
                "value": _four_significant(number),
                "unit": unit,
                "provenance": Provenance(provenance).label
                if provenance in Provenance.values
                else provenance,
                "source": value["source"],
            }
        )
    return lines


def layer_lines(layers: dict[str, Any]) -> list[dict[str, Any]]:
    """The map layers an estimate read, named in the active language."""
    return [{"kind": kind, "label": label_of(kind), **layer} for kind, layer in layers.items()]


def default_lines(defaults: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": key, "label": label_of(key), **value} for key, value in defaults.items()]


def selection_text(choice: dict[str, Any]) -> dict[str, Any]:
    """表-1's answer in the user's language."""
    verdicts = {
        "applicable": _("applicable"),
        "applicable_return_to_aquifer": _("applicable; the water must return to its aquifer"),
        "not_applicable": _("not applicable"),
    }
    notes = {
        "※1": _(
            "large heat exchange or ground heat exchangers near a site boundary: watch "
            "the efficiency of neighbouring users and the groundwater"
        ),
        "※2": _("a biased yearly heat balance can lower neighbours' efficiency in the long run"),
        "※3": _("an open loop uses groundwater: follow the pumping rules and mind other users"),
    }
    return {
        "closed_loop": verdicts.get(choice["closed_loop"], choice["closed_loop"]),
        "open_loop": verdicts.get(choice["open_loop"], choice["open_loop"]),
        "notes": [(key, notes[key]) for key in sorted(choice["notes"]) if key in notes],
    }


def baseline_rows(money: dict[str, Any]) -> list[dict[str, Any]]:
    """The systems the estimate was compared against, in the user's language, and whether each
    is the region's default or the installer's choice."""
    language = (get_language() or "en").split("-")[0]
    modes = {"heating": _("Heating"), "cooling": _("Cooling")}
    rows = []
    for mode, label in modes.items():
        chosen = money["baselines"].get(mode)
        if chosen is None:
            continue
        names = chosen.get("names") or {}
        rows.append(
            {
                "mode": label,
                "name": names.get(language) or chosen["name"],
                "efficiency": chosen["efficiency"],
                "how": _("chosen") if chosen.get("chosen_by_user") else _("the region's default"),
            }
        )
    return rows


def estimate_context(estimate: Estimate) -> dict[str, Any]:
    result = estimate.result
    if estimate.state != Estimate.State.DONE:
        return {"estimate": estimate}
    design, money, loads = result["design"], result["economics"], result["loads"]
    bands = money["bands"]

    def band_row(label: str, getter) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return {"label": label, **{b: getter(b) for b in ("p10", "p50", "p90")}}

    def capex(b: str) -> float | None:
        return bands[b]["capex"] if bands.get(b) else None

    def payback(b: str) -> float | None:
        return bands[b]["payback"].get("years") if bands.get(b) else None

    rows = [
        band_row(_("Investment (%(currency)s)") % {"currency": result["currency"]}, capex),
        band_row(_("Simple payback (years)"), payback),
    ]
    if design["kind"] == "closed_loop":
        rows.insert(
            0,
            band_row(
                _("Total borehole length (m)"),
                lambda b: design["bands"].get(b, {}).get("total_length_m"),
            ),
        )
    else:
        rows.insert(0, band_row(_("Pumping wells"), lambda b: design["bands"][b]["pumping_wells"]))
    return {
        "estimate": estimate,
        "result": result,
        "design": design,
        "money": money,
        "band_rows": rows,
        "annual_heating_mwh": loads["annual_heating_j"] / J_PER_MWH,
        "annual_cooling_mwh": loads["annual_cooling_j"] / J_PER_MWH,
        "system_mwh": money["system"]["electricity_j"] / J_PER_MWH,
        "co2_saved_t": money["co2_saved_kg"] / 1000,
        "baseline_rows": baseline_rows(money),
        # an estimate stored before the purchase was weighed has no flag: it was not credited
        "baseline_capex_credited": money.get("baseline_capex_credited", False),
        "loads_chart": monthly_loads_chart(loads),
        "chart_list": [
            fluid_chart(design),
            cash_chart(money.get("cash_flow"), result["currency"]),
        ],
        "provenance": result["provenance"],
        "selection_text": selection_text(result["selection"]),
        "regulation_text": {
            0: _("no rule"),
            1: _("notification or application"),
            2: _("prohibited"),
        }.get(int(result["regulation"]["class"] or 0), _("no rule layer here")),
        "exchanger_basis": _("no water sample within 5 km: assumed")
        if design.get("water_chemistry") is None
        else _("the nearest water sample's screening"),
        "reference_lines": reference_lines(result["provenance"]["reference_values"]),
        "clogging_risk": chemistry_names(
            (design.get("water_chemistry") or {}).get("clogging_risk") or []
        ),
        "layer_lines": layer_lines(result["provenance"]["layers"]),
        "default_lines": default_lines(result["provenance"]["defaults"]),
    }
