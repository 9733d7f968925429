"""What the borehole page shows, in display units (°C, mg/L, mS/m): converted here, at the edge.

The column log and temperature profile are drawn as SVG coordinates computed here, so the page
needs no charting library and stays small on a slow line.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.lib.units import kelvin_to_celsius
from geology.choices import Lithology
from wells.models import Borehole

LOG_HEIGHT_PX = 480
LOG_WIDTH_PX = 60
PROFILE_WIDTH_PX = 260
# Colours by lithology, after the usual log conventions (sand yellow, clay green-grey, ...).
LITHOLOGY_COLOURS = {
    "fill": "#b0a090",
    "topsoil": "#8d6e4f",
    "peat": "#4e3b2a",
    "clay": "#9fb39b",
    "silt": "#c2c9a4",
    "loam": "#b5946a",
    "loess": "#d8c48a",
    "sand": "#f2dc7c",
    "gravel": "#e0a85a",
    "sandy_gravel": "#e9c16b",
    "cobbles": "#c98c4a",
    "pumice": "#e6e1d3",
    "mudstone": "#7d8b8c",
    "sandstone": "#d9b26f",
    "conglomerate": "#c7925a",
    "limestone": "#b9d3e6",
    "tuff": "#cfc1dd",
    "andesite": "#8f7f9f",
    "basalt": "#5d5d6e",
    "granite": "#e3b7b7",
    "schist": "#8fa5a0",
    "gneiss": "#a38b8b",
    "weathered_rock": "#a7a18f",
    "unclassified": "#dddddd",
}
CONCENTRATION_FIELDS = (
    ("calcium_kg_per_m3", "Ca²⁺"),
    ("magnesium_kg_per_m3", "Mg²⁺"),
    ("sodium_kg_per_m3", "Na⁺"),
    ("potassium_kg_per_m3", "K⁺"),
    ("bicarbonate_kg_per_m3", "HCO₃⁻"),
    ("sulfate_kg_per_m3", "SO₄²⁻"),
    ("chloride_kg_per_m3", "Cl⁻"),
    ("nitrate_kg_per_m3", "NO₃⁻"),
    ("iron_kg_per_m3", "Fe"),
    ("manganese_kg_per_m3", "Mn"),
    ("copper_kg_per_m3", "Cu"),
    ("ammonium_kg_per_m3", "NH₄⁺"),
    ("ionic_silica_kg_per_m3", "SiO₂"),
    ("free_co2_kg_per_m3", "CO₂"),
    ("total_hardness_kg_per_m3", gettext_lazy("total hardness")),
    ("calcium_hardness_kg_per_m3", gettext_lazy("calcium hardness")),
    ("acid_consumption_kg_per_m3", gettext_lazy("M-alkalinity")),
)  # chemical formulas read the same in every language; the three sums are named
MG_PER_L_PER_KG_PER_M3 = 1000.0
MS_PER_M_PER_S_PER_M = 1000.0


def borehole_context(borehole: Borehole, user: Any) -> dict[str, Any]:
    """Template context of the borehole page; children filtered by the same visibility rule."""
    layers = list(borehole.geologicallayers.visible_to(user).order_by("top_m"))
    bottom_m = max([borehole.depth_m, *[layer.bottom_m for layer in layers]])
    scale = LOG_HEIGHT_PX / bottom_m if bottom_m else 1.0
    column = [
        {
            "y": round(layer.top_m * scale, 1),
            "height": round(max(1.0, (layer.bottom_m - layer.top_m) * scale), 1),
            "colour": LITHOLOGY_COLOURS.get(layer.lithology, "#dddddd"),
            "label": layer.lithology_text or Lithology(layer.lithology).label,
            "lithology": Lithology(layer.lithology).label,
            "top_m": layer.top_m,
            "bottom_m": layer.bottom_m,
            "below_hole": layer.bottom_m > borehole.depth_m,
        }
        for layer in layers
    ]
    logs = list(borehole.temperaturelogs.visible_to(user).order_by("measured_at"))
    levels = list(borehole.groundwaterlevels.visible_to(user).order_by("measured_at"))
    profiles = [_profile(log, scale) for log in logs]
    return {
        "borehole": borehole,
        "column": column,
        "log_height": LOG_HEIGHT_PX,
        "log_width": LOG_WIDTH_PX,
        "profile_width": PROFILE_WIDTH_PX,
        "bottom_m": bottom_m,
        "depth_ticks": _ticks(bottom_m, scale),
        "profiles": profiles,
        "levels": levels,
        "levels_chart": _levels_chart(levels),
        "chemistry": [_chemistry(s) for s in borehole.waterchemistrysamples.visible_to(user)],
        "chemistry_headers": [str(label) for _f, label in CONCENTRATION_FIELDS],
        "trts": list(borehole.thermalresponsetests.visible_to(user)),
        "pumping_tests": list(borehole.pumpingtests.visible_to(user)),
        "intervals": list(borehole.wellintervals.visible_to(user)),
    }


def _ticks(bottom_m: float, scale: float) -> list[dict[str, float]]:
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if bottom_m / s <= 12)
    return [{"y": round(d * scale, 1), "depth": d} for d in range(0, int(bottom_m) + 1, step)]


def _profile(log: Any, scale: float) -> dict[str, Any]:
    celsius = [float(t) for t in kelvin_to_celsius(log.temperatures_k)]
    low, high = min(celsius), max(celsius)
    span = max(high - low, 0.5)
    points = " ".join(
        f"{(t - low) / span * (PROFILE_WIDTH_PX - 40) + 20:.1f},{d * scale:.1f}"
        for d, t in zip(log.depths_m, celsius, strict=True)
    )
    return {
        "log": log,
        "points": points,
        "low_c": round(low, 1),
        "high_c": round(high, 1),
        "rows": list(zip(log.depths_m, [round(t, 2) for t in celsius], strict=True)),
    }


def _chemistry(sample: Any) -> dict[str, Any]:
    values = []
    for field, _label in CONCENTRATION_FIELDS:
        value = getattr(sample, field)
        qualifier = sample.qualifiers.get(field, "")
        if qualifier == "nd":
            values.append(_("n.d."))
        elif value is None:
            values.append("")
        else:
            shown = f"{value * MG_PER_L_PER_KG_PER_M3:.3g}"
            values.append(f"<{shown}" if qualifier == "<" else shown)
    ec = sample.electrical_conductivity_s_per_m
    return {
        "sample": sample,
        "water_temperature_c": None
        if sample.water_temperature_k is None
        else round(float(kelvin_to_celsius(sample.water_temperature_k)), 1),
        "ec_ms_per_m": None if ec is None else round(ec * MS_PER_M_PER_S_PER_M, 2),
        "values": values,
    }


LEVELS_WIDTH_PX = 480
LEVELS_HEIGHT_PX = 160


def _levels_chart(levels: list[Any]) -> dict[str, Any] | None:
    """Depth to water over time as SVG points (deeper is lower), with the axis ranges."""
    if len(levels) < 2:
        return None
    times = [level.measured_at.timestamp() for level in levels]
    depths = [level.depth_to_water_m for level in levels]
    t0, t1 = min(times), max(times)
    d0, d1 = min(depths), max(depths)
    t_span, d_span = max(t1 - t0, 1.0), max(d1 - d0, 0.1)
    points = [
        (
            round(30 + (t - t0) / t_span * (LEVELS_WIDTH_PX - 60), 1),
            round(15 + (d - d0) / d_span * (LEVELS_HEIGHT_PX - 30), 1),
        )
        for t, d in zip(times, depths, strict=True)
    ]
    return {
        "width": LEVELS_WIDTH_PX,
        "height": LEVELS_HEIGHT_PX,
        "points": " ".join(f"{x},{y}" for x, y in points),
        "dots": points,
        "shallowest_m": d0,
        "deepest_m": d1,
        "first": levels[0].measured_at,
        "last": levels[-1].measured_at,
    }
