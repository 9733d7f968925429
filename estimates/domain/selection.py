"""System selection by the guideline's table (MOE-GL4-2024 表-1), as printed, plus the
advisory note the table leaves out (its ※2 applies to biased loads, but the printed row
B / no groundwater shows plain ◎: inferred)."""

from __future__ import annotations

from typing import Any, Literal

HeatBalance = Literal["balanced", "biased_or_hot_water"]
GroundwaterUse = Literal["not_possible", "possible"]

# (heat balance, groundwater use) → closed loop, its notes, open loop, its notes
TABLE_1: dict[tuple[str, str], tuple[str, list[str], str, list[str]]] = {
    ("balanced", "not_possible"): ("applicable", [], "not_applicable", []),
    ("balanced", "possible"): ("applicable", ["※1"], "applicable_return_to_aquifer", ["※1", "※3"]),
    ("biased_or_hot_water", "not_possible"): ("applicable", [], "not_applicable", []),
    ("biased_or_hot_water", "possible"): (
        "applicable",
        ["※1", "※2"],
        "applicable_return_to_aquifer",
        ["※1", "※2", "※3"],
    ),
}
NOTES = {
    "※1": "large heat exchange or GHEs near a site boundary: watch the efficiency of "
    "neighbouring ground-heat users and groundwater/ground impacts",
    "※2": "a biased annual heat balance can cause long-term efficiency loss for neighbours",
    "※3": "open loop is groundwater use: comply with pumping regulations and consider "
    "surrounding groundwater users",
}
# A year whose heating and cooling ground loads differ by more than this share is biased
# (inferred; the guideline gives no number).
BALANCE_TOLERANCE = 0.3


def heat_balance(annual_extraction_j: float, annual_injection_j: float) -> HeatBalance:
    total = annual_extraction_j + annual_injection_j
    if total <= 0:
        return "balanced"
    imbalance = abs(annual_extraction_j - annual_injection_j) / total
    return "balanced" if imbalance <= BALANCE_TOLERANCE else "biased_or_hot_water"


def select_system(balance: HeatBalance, groundwater: GroundwaterUse) -> dict[str, Any]:
    """表-1's answer, and the recommendation it implies: an open loop where groundwater may be
    used (cheaper per kW, MOE 2012 via YOSHIOKA-2014 §1), else a closed loop."""
    closed, closed_notes, open_, open_notes = TABLE_1[(balance, groundwater)]
    advisory = ["※2"] if balance == "biased_or_hot_water" and "※2" not in closed_notes else []
    recommended = "open_loop" if open_ != "not_applicable" else "closed_loop"
    return {
        "closed_loop": closed,
        "closed_notes": closed_notes,
        "open_loop": open_,
        "open_notes": open_notes,
        "advisory_notes": advisory,
        "recommended": recommended,
        "notes": {k: NOTES[k] for k in {*closed_notes, *open_notes, *advisory}},
    }
