"""What the borehole page shows of each analysis: its result in display units, its method and
parameters, a plot where one helps (TRT: T against ln t with the window), older versions."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from field_tests.domain import trt
from field_tests.models import AnalysisKind, FieldTestAnalysis
from wells.models import ThermalResponseTest

PLOT_WIDTH_PX, PLOT_HEIGHT_PX, PLOT_MARGIN_PX = 420, 220, 36
WINDOWED = (AnalysisKind.TRT, AnalysisKind.CONSTANT_RATE)
SECONDS_PER_HOUR = 3600.0


# The water-quality items by the keys the screening stores (domain/limit_sets.json, the
# clogging check and the ion balance); pages name them in the reader's language.
CHEMISTRY_LABELS = {
    "acid_consumption": gettext_lazy("M-alkalinity"),
    "ammonium": gettext_lazy("ammonium"),
    "bicarbonate": gettext_lazy("bicarbonate"),
    "calcium": gettext_lazy("calcium"),
    "calcium_hardness": gettext_lazy("calcium hardness"),
    "chloride": gettext_lazy("chloride"),
    "copper": gettext_lazy("copper"),
    "electrical_conductivity": gettext_lazy("electrical conductivity"),
    "free_co2": gettext_lazy("free CO2"),
    "ionic_silica": gettext_lazy("ionic silica"),
    "iron": gettext_lazy("iron"),
    "magnesium": gettext_lazy("magnesium"),
    "manganese": gettext_lazy("manganese"),
    "nitrate": gettext_lazy("nitrate"),
    "ph": "pH",
    "potassium": gettext_lazy("potassium"),
    "residual_chlorine": gettext_lazy("residual chlorine"),
    "sodium": gettext_lazy("sodium"),
    "stability_index": gettext_lazy("stability index"),
    "sulfate": gettext_lazy("sulfate"),
    "sulfide": gettext_lazy("sulfide"),
    "total_hardness": gettext_lazy("total hardness"),
}
RYZNAR_TENDENCIES = {  # water_quality.rsi_tendency
    "scale": gettext_lazy("scale-forming"),
    "stable": gettext_lazy("stable"),
    "corrosive": gettext_lazy("corrosive"),
}


def chemistry_names(keys: list[str]) -> str:
    """Water-quality items, named in the active language ("—" for none); an unknown key is
    shown as it is stored."""
    return ", ".join(str(CHEMISTRY_LABELS.get(key, key)) for key in keys) or "—"


def _rows(analysis: FieldTestAnalysis) -> list[tuple[str, str]]:
    """(label, value with unit) lines of a result."""
    r = analysis.result
    if analysis.kind == AnalysisKind.TRT:
        rows = [
            (_("Thermal conductivity λ"), f"{r['conductivity_w_per_m_k']:.3f} W/(m·K)"),
            (_("Heat rate q"), f"{r['heat_rate_w_per_m']:.1f} W/m"),
            (_("Slope"), f"{r['slope_k']:.4f} K"),
            (_("R²"), f"{r['r_squared']:.5f}"),
            (_("Residual RMS"), f"{r['residual_rms_k']:.3f} K"),
            (_("Readings in the window"), str(r["points_used"])),
        ]
        if r.get("borehole_resistance_m_k_per_w") is not None:
            rows.append(
                (_("Borehole resistance R_b"), f"{r['borehole_resistance_m_k_per_w']:.3f} m·K/W")
            )
        return rows
    if analysis.kind == AnalysisKind.CONSTANT_RATE:
        rows = [
            (_("Transmissivity T"), f"{r['transmissivity_m2_per_s']:.3e} m²/s"),
            (_("Drawdown per log cycle"), f"{r['drawdown_per_log_cycle_m']:.3f} m"),
            (_("R²"), f"{r['r_squared']:.4f}"),
        ]
        if r.get("hydraulic_conductivity_m_per_s"):
            rows.append(
                (_("Hydraulic conductivity k"), f"{r['hydraulic_conductivity_m_per_s']:.3e} m/s")
            )
        return rows
    if analysis.kind == AnalysisKind.STEP_TEST:
        capacities = ", ".join(f"{v * 86400:.1f}" for v in r["specific_capacity_m2_per_s"])
        return [
            (_("Specific capacity per step"), f"{capacities} m³/d/m"),
            (_("Falls at every step"), _("yes") if r["monotonic_decreasing"] else _("no")),
            (_("Largest drop between steps"), f"{r['max_relative_drop']:.1%}"),
            (
                _("Rate at the allowed drawdown"),
                f"{r['sustainable_rate_m3_per_s'] * 60000:.0f} L/min",
            ),
            (_("Transmissivity T (Logan)"), f"{r['transmissivity_m2_per_s']:.3e} m²/s"),
        ]
    if analysis.kind == AnalysisKind.TEMPERATURE_LOG:
        rows = []
        if r.get("mean_below_10_m_k") is not None:
            rows.append((_("Mean below 10 m"), f"{r['mean_below_10_m_k'] - 273.15:.2f} °C"))
        if r.get("overall_gradient_k_per_m") is not None:
            rows.append((_("Gradient"), f"{r['overall_gradient_k_per_m'] * 100:.2f} K/100 m"))
        for flag in r["inflow_flags"]:
            label = (
                _("Colder water below") if flag["below_is"] == "colder" else _("Warmer water below")
            )
            rows.append(
                (
                    label,
                    f"{flag['top_m']:g}–{flag['bottom_m']:g} m "
                    f"({flag['gradient_k_per_m']:+.2f} K/m)",
                )
            )
        return rows
    if analysis.kind == AnalysisKind.GROUNDWATER_FLOW:
        return [
            (
                f"{d['depth_m']:g} m",
                f"{d['direction_deg']:.0f}° ({d['compass_8']}), "
                f"{_('up to')} {d['max_velocity_m_per_s'] * 86400 * 100:.1f} cm/d",
            )
            for d in r["depths"]
        ]
    if analysis.kind == AnalysisKind.WATER_CHEMISTRY:
        screening = r["screening"]
        rows = [
            (
                _("Intermediate heat exchanger"),
                _("needed") if r["heat_exchanger_needed"] else _("not needed"),
            ),
            (_("Standard items failed"), chemistry_names(screening["standard_failures"])),
            (_("Reference items failed"), chemistry_names(screening["reference_failures"])),
            (_("Clogging risk"), chemistry_names(r["clogging_risk"])),
        ]
        indices = r.get("saturation_indices")
        if indices:
            tendency = indices["ryznar_tendency"]
            rows.append(
                (
                    _("Langelier / Ryznar index"),
                    f"{indices['langelier_index']:+.2f} / {indices['ryznar_index']:.2f} "
                    f"({RYZNAR_TENDENCIES.get(tendency, tendency)})",
                )
            )
        if r.get("ion_balance_error_percent") is not None:
            rows.append((_("Ion balance error"), f"{r['ion_balance_error_percent']:+.1f} %"))
        return rows
    return []


def _trt_plot(analysis: FieldTestAnalysis) -> dict[str, Any] | None:
    """Mean fluid temperature against ln t (SVG coordinates), the fitted line over the window
    and the window's edges."""
    test = analysis.thermal_response_test
    if test is None:
        return None
    t = np.asarray(test.time_s, dtype=float)
    fluid = (np.asarray(test.inlet_temperature_k) + np.asarray(test.outlet_temperature_k)) / 2
    keep = t > 0
    x, y = np.log(t[keep]), fluid[keep] - 273.15
    step = max(1, len(x) // 300)  # at most ~300 points drawn
    x_low, x_high, y_low, y_high = x.min(), x.max(), y.min(), y.max()
    width = PLOT_WIDTH_PX - 2 * PLOT_MARGIN_PX
    height = PLOT_HEIGHT_PX - 2 * PLOT_MARGIN_PX

    def sx(value: float) -> float:
        return PLOT_MARGIN_PX + (value - x_low) / (x_high - x_low) * width

    def sy(value: float) -> float:
        return PLOT_MARGIN_PX + (y_high - value) / max(y_high - y_low, 1e-9) * height

    start, end = analysis.parameters["window_s"]
    slope, intercept = analysis.result["slope_k"], analysis.result["intercept_k"] - 273.15
    line_x = [math.log(start), math.log(min(end, t[-1]))]
    return {
        "width": PLOT_WIDTH_PX,
        "height": PLOT_HEIGHT_PX,
        "points": " ".join(
            f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(x[::step], y[::step], strict=False)
        ),
        "fit": [(round(sx(v), 1), round(sy(slope * v + intercept), 1)) for v in line_x],
        "window": [round(sx(v), 1) for v in line_x],
        "top": PLOT_MARGIN_PX,
        "bottom": PLOT_HEIGHT_PX - PLOT_MARGIN_PX,
        "y_labels": [(round(sy(v), 1), f"{v:.1f} °C") for v in (y_low, y_high)],
        "x_labels": [
            (round(sx(math.log(h * 3600)), 1), f"{h} h")
            for h in (1, 10, 50)
            if x_low <= math.log(h * 3600) <= x_high
        ],
    }


STIFF_HALF_WIDTH_PX, STIFF_ROW_PX = 110, 22


def _stiff(analysis: FieldTestAnalysis) -> dict[str, Any] | None:
    """A Stiff diagram: cations left (Na+K, Ca, Mg), anions right (Cl, HCO₃, SO₄), meq/L on a
    common scale (Stiff 1951)."""
    stiff = analysis.result.get("stiff_meq_per_l")
    if not stiff:
        return None
    largest = max(stiff.values()) or 1.0
    centre = STIFF_HALF_WIDTH_PX + 40

    def x(value: float, side: int) -> float:
        return round(centre + side * value / largest * STIFF_HALF_WIDTH_PX, 1)

    rows = (("na_k", "cl"), ("ca", "hco3"), ("mg", "so4"))
    left = [(x(stiff[c], -1), 12 + i * STIFF_ROW_PX) for i, (c, _a) in enumerate(rows)]
    right = [(x(stiff[a], 1), 12 + i * STIFF_ROW_PX) for i, (_c, a) in enumerate(rows)]
    points = " ".join(f"{px},{py}" for px, py in [*left, *reversed(right)])
    labels = [("Na⁺+K⁺", "Cl⁻"), ("Ca²⁺", "HCO₃⁻"), ("Mg²⁺", "SO₄²⁻")]
    return {
        "width": 2 * centre,
        "height": 12 + 2 * STIFF_ROW_PX + 16,
        "centre": centre,
        "points": points,
        "labels": [
            {"y": 12 + i * STIFF_ROW_PX, "left": c, "right": a} for i, (c, a) in enumerate(labels)
        ],
        "scale": f"{largest:.2f} meq/L",
    }


def analyses_context(borehole: Any, user: Any, may_refit: bool) -> list[dict[str, Any]]:
    analyses = list(
        FieldTestAnalysis.objects.visible_to(user)
        .filter(borehole=borehole)
        .select_related("thermal_response_test", "created_by")
        .order_by("kind", "thermal_response_test", "pumping_test", "-version")
    )
    current = [a for a in analyses if a.is_current]
    shown = []
    for analysis in current:
        older = [
            a
            for a in analyses
            if not a.is_current and a.kind == analysis.kind and a.source_id == analysis.source_id
        ]
        window = analysis.parameters.get("window_s")
        shown.append(
            {
                "analysis": analysis,
                "label": analysis.get_kind_display(),
                "rows": _rows(analysis),
                "parameters": analysis.parameters,
                "plot": _trt_plot(analysis) if analysis.kind == AnalysisKind.TRT else None,
                "stiff": _stiff(analysis)
                if analysis.kind == AnalysisKind.WATER_CHEMISTRY
                else None,
                "window_h": [round(w / 3600, 2) for w in window] if window else None,
                "refit": may_refit and analysis.kind in WINDOWED,
                "older": older,
            }
        )
    return shown


def too_short_trts(borehole: Any, user: Any) -> list[dict[str, Any]]:
    """The borehole's TRTs (those `user` sees) that have no current fit because their readings
    end before the default window (from 12 h, Gehlin 2002) holds enough of them: the page says
    why no λ is shown rather than showing nothing."""
    fitted = FieldTestAnalysis.objects.filter(
        kind=AnalysisKind.TRT, is_current=True, thermal_response_test=OuterRef("pk")
    )
    tests = (
        ThermalResponseTest.objects.visible_to(user)
        .filter(borehole=borehole)
        .exclude(Exists(fitted))
        .only("pk", "started_at", "time_s")
        .order_by("started_at")
    )
    return [
        {
            "test": test,
            "duration_h": test.time_s[-1] / SECONDS_PER_HOUR if test.time_s else 0.0,
            "window_start_h": trt.DEFAULT_WINDOW_START_S / SECONDS_PER_HOUR,
            "min_readings": trt.MIN_POINTS_IN_WINDOW,
        }
        for test in tests
        if trt.too_short_to_fit(test.time_s or [])
    ]


def borehole_panel(borehole: Any, user: Any, steward: bool) -> dict[str, Any] | None:
    """The analyses part of the borehole page (wells.panels): a steward may refit a window;
    a TRT too short to fit is named with a warning."""
    analyses = analyses_context(borehole, user, steward)
    short = too_short_trts(borehole, user)
    return {"analyses": analyses, "short_trts": short} if analyses or short else None
