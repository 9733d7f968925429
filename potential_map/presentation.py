"""What the map shows of a layer, in units people use and the reader's language.

Layers store SI values (K, W, m³/s); the legend, the point answer and the layer's definition
are converted here, at the edge, through core.lib.units: °C, kW per doublet and per borehole,
m³/h per well. The definition is told as a sentence ("Heating, annual mean over 50 years,
fluid limit −2 °C, 100 m borehole."); the stored JSON stays one click away for experts.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from rio_tiler.colormap import cmap

from core.lib.legend import legend_values
from core.lib.units import display_unit, kelvin_to_celsius, to_display
from core.presentation import format_number, format_quantity, unit_symbol
from potential_map.choices import GROUP_OF_KIND, LayerKind
from potential_map.models import MapLayer
from potential_map.tiles import TRAFFIC_LIGHT

COLOURS_IN_A_MAP = 256  # rio-tiler colour maps have 256 entries


def constraint_class_labels() -> dict[int, str]:
    """The traffic-light classes of the constraint layer, in the active language."""
    return {
        0: _("no rule"),
        1: _("notification or application"),
        2: _("prohibited"),
    }


def _hex(rgba: tuple[int, ...]) -> str:
    red, green, blue = rgba[:3]
    return f"#{red:02x}{green:02x}{blue:02x}"


def legend(layer: MapLayer) -> dict[str, Any]:
    """Legend of `layer`: round, distinct values in display units with the colour the tiles
    give them, the display unit, and the definition as a sentence and as stored."""
    symbol = unit_symbol(display_unit(layer.units))
    if layer.colormap == "traffic_light":
        labels = constraint_class_labels()
        entries = [
            {"value": value, "display_value": value, "colour": _hex(rgba), "label": labels[value]}
            for value, rgba in TRAFFIC_LIGHT.items()
        ]
    else:
        colours = cmap.get(layer.colormap)
        low = layer.value_min if layer.value_min is not None else 0.0
        high = layer.value_max if layer.value_max is not None else low
        # The tiles stretch the colours over [low, high] in stored units (tiles.render); the
        # display conversion is linear, so a display value keeps its place in the stretch.
        low_shown, high_shown = (float(v) for v in to_display([low, high], layer.units))
        entries = []
        for shown in legend_values(low_shown, high_shown):
            # a constant layer is drawn in the middle colour (tiles.render)
            share = (
                0.5 if high_shown <= low_shown else (shown - low_shown) / (high_shown - low_shown)
            )
            # truncated as rio-tiler's rescale to uint8 truncates (2.0 in 1–3 → 127)
            index = int(min(max(share, 0.0), 1.0) * (COLOURS_IN_A_MAP - 1))
            entries.append(
                {
                    "value": low + share * (high - low),
                    "display_value": shown,
                    "colour": _hex(colours[index]),
                    "label": format_quantity(shown, display_unit(layer.units)),
                }
            )
    return {
        "layer": layer.pk,
        "kind": layer.kind,
        "units": layer.units,
        "display_units": symbol,
        "title": str(layer.get_kind_display()),
        "summary": definition_sentence(layer.kind, layer.definition),
        "definition": layer.definition,
        "entries": entries,
    }


def _join(parts: list[str]) -> str:
    """Parts of a definition as one sentence, capitalised, with the language's list comma."""
    parts = [part for part in parts if part]
    if not parts:
        return ""
    sentence = pgettext("list separator", ", ").join(parts)
    return sentence[0].upper() + sentence[1:] + pgettext("end of sentence", ".")


def _temperature_c(value_c: float) -> str:
    return format_quantity(value_c, "°C")


def definition_sentence(kind: str, definition: dict[str, Any]) -> str:
    """What a layer's number means, in one translated sentence built from its definition."""
    get = definition.get
    parts: list[str] = []
    mode = {"heating": _("heating"), "cooling": _("cooling")}.get(get("mode") or "", "")
    length = get("bhe_length_m")
    borehole = (
        _("%(length)s borehole") % {"length": format_quantity(float(length), "m")} if length else ""
    )
    if kind in (LayerKind.CLOSED_LOOP_HEATING, LayerKind.CLOSED_LOOP_COOLING):
        parts.append(mode)
        years = get("horizon_years")
        if get("statistic") == "annual_mean" and years:
            parts.append(_("annual mean over %(years)s years") % {"years": format_number(years)})
        elif get("statistic") == "annual_mean":
            parts.append(_("annual mean"))
        if get("fluid_limit_c") is not None:
            parts.append(
                _("fluid limit %(temperature)s")
                % {"temperature": _temperature_c(float(get("fluid_limit_c")))}
            )
        parts.append(borehole)
    elif kind in (LayerKind.VDI4640_1800, LayerKind.VDI4640_2400):
        parts.append(mode)
        if get("full_load_hours"):
            parts.append(
                _("peak rate at %(hours)s full-load hours a year")
                % {"hours": format_number(float(get("full_load_hours")))}
            )
        parts.append(borehole)
        if get("rule_of_thumb"):
            parts.append(_("rule of thumb for small systems up to 30 kW"))
    elif kind == LayerKind.CONDUCTIVITY:
        if length:
            parts.append(
                _("averaged over a %(length)s borehole")
                % {"length": format_quantity(float(length), "m")}
            )
        parts.append(_("kriged from boreholes, geological unit values elsewhere"))
    elif kind == LayerKind.GROUND_TEMPERATURE:
        parts.append(_("undisturbed ground, averaged over the borehole length"))
        if get("is_fallback"):
            parts.append(
                _("one regional value of %(temperature)s (no climate station)")
                % {"temperature": _temperature_c(float(kelvin_to_celsius(get("fallback_k"))))}
                if get("fallback_k") is not None
                else _("one regional value (no climate station)")
            )
        elif get("stations"):
            parts.append(
                _("kriged from %(count)s climate stations, %(offset)s warmer than the air")
                % {
                    "count": format_number(float(get("stations"))),
                    "offset": format_quantity(float(get("ground_offset_k") or 0.0), "K"),
                }
            )
            parts.append(_("P10 and P90 from the kriging variance and the offset's spread"))
        if get("temperature_logs"):
            parts.append(_("temperature logs override it near their boreholes"))
    elif kind == LayerKind.GROUNDWATER_DEPTH:
        parts.append(_("mean depth to water below ground, kriged from wells"))
        parts.append(_("no value farther than one variogram range from a well"))
    elif kind == LayerKind.OPEN_LOOP_FLOW:
        parts.append(_("sustainable pumping rate of one well"))
        if get("allowed_drawdown_m") is not None:
            parts.append(
                _("drawdown limited to %(drawdown)s")
                % {"drawdown": format_quantity(float(get("allowed_drawdown_m")), "m")}
            )
        parts.append(_("no value where there is no aquifer"))
    elif kind == LayerKind.OPEN_LOOP_HEAT_RATE:
        parts.append(_("thermal power of one doublet (a pumping and a reinjection well)"))
        if get("delta_t_k") is not None:
            parts.append(
                _("groundwater cooled or warmed by %(delta)s")
                % {"delta": format_quantity(float(get("delta_t_k")), "K")}
            )
        parts.append(_("continuous at the sustainable pumping rate"))
    elif kind == LayerKind.OPEN_LOOP_SPACING:
        parts.append(_("distance between the two wells of a doublet"))
        season_s = get("season_s")
        if season_s:
            parts.append(
                _("no thermal breakthrough within a season of %(days)s days")
                % {"days": format_number(round(float(season_s) / 86400))}
            )
    elif kind == LayerKind.CONSTRAINTS_OPEN_LOOP:
        parts.append(_("groundwater rules for open loops, by municipality"))
        parts.append(
            _("a rule that covers part of a municipality is shown over all of it (conservative)")
        )
    return _join(parts)


def _display_values(values: dict[str, Any], si_unit: str) -> dict[str, float | None]:
    return {
        band: (None if value is None else float(to_display(value, si_unit)))
        for band, value in values.items()
    }


def add_display(answer: dict[str, Any]) -> dict[str, Any]:
    """The point answer with each layer's values also in display units and words:
    `display` holds the unit symbol, the values (°C, kW, m³/h ...), a kW-per-borehole line for
    W/m layers and the class name of the constraint layer. Stored values are left as they are.
    """
    labels = constraint_class_labels()
    for kind, layer in answer.get("layers", {}).items():
        values = layer.get("values") or {}
        display: dict[str, Any] = {
            "units": unit_symbol(display_unit(layer["units"])),
            "values": _display_values(values, layer["units"]),
        }
        if kind == LayerKind.CONSTRAINTS_OPEN_LOOP and values.get("class") is not None:
            display["label"] = labels.get(int(values["class"]), "")
        per_borehole = layer.get("per_borehole_w")
        if per_borehole:
            length = (layer.get("definition") or {}).get("bhe_length_m")
            display["per_borehole"] = {
                "units": unit_symbol("kW"),
                "values": _display_values(per_borehole, "W"),
                "label": _("per %(length)s borehole")
                % {"length": format_quantity(float(length), "m")}
                if length
                else "",
            }
        group = GROUP_OF_KIND.get(kind)
        if group is not None:
            display["group"], display["group_label"] = str(group.value), str(group.label)
        if kind == LayerKind.OPEN_LOOP_HEAT_RATE:
            display["note"] = _("per doublet")
        elif kind == LayerKind.OPEN_LOOP_FLOW:
            display["note"] = _("per well")
        layer["display"] = display
        layer["summary"] = definition_sentence(kind, layer.get("definition") or {})
    return answer


def display_units(layer: MapLayer) -> str:
    """The unit symbol the layer is shown in, in the active language."""
    return unit_symbol(display_unit(layer.units))
