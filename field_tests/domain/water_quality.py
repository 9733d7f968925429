"""Water chemistry for open loops: guideline screening, ion balance, Piper and Stiff, and the
Langelier / Ryznar indices. Pure numpy and json, no Django.

Screening follows YOSHIOKA-2014 §4-2-③(2) and JRA GL-02-1994 (readings inferred where they
say nothing): an upper limit passes at the limit; ranges are inclusive;
"< DL" passes when DL ≤ limit, else is indeterminate; "not detected" limits pass only on a
not-detected result; a failed *standard* item means an intermediate heat exchanger is
needed (YOSHIOKA-2014 rule for the once-through set); a failed *reference* item is flagged
with its tendency (C corrosion, S scale). Limits are data (limit_sets.json), one versioned
set per source, with a citation.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any, Literal

Result = Literal["pass", "fail", "indeterminate", "not_screened"]
# A value: a number, ("<", detection limit), or "nd" (not detected).
Value = float | tuple[str, float] | str | None

LIMIT_SETS_FILE = Path(__file__).with_name("limit_sets.json")
DEFAULT_SET = "JRA-GL-02-1994/public-reproduction"
DEFAULT_SYSTEM = "once_through"


@cache
def limit_sets() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(LIMIT_SETS_FILE.read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return data


def parse_reported(text: str | float | None) -> Value:
    """A lab's result as printed: 7.2, "<0.05", "ND" / "not detected"."""
    if text is None or isinstance(text, int | float):
        return None if text is None else float(text)
    cleaned = text.strip()
    if cleaned.lower() in ("nd", "n.d.", "not detected", "不検出"):
        return "nd"
    if cleaned.startswith("<"):
        return ("<", float(cleaned[1:]))
    return float(cleaned)


def screen_value(value: Value, limit: dict[str, Any] | str | None) -> Result:
    """One value against one limit (the rules in the module docstring)."""
    if limit is None:
        return "not_screened"
    not_detected = limit == "not_detected" or (
        isinstance(limit, dict) and limit.get("not_detected")
    )
    if value is None:
        return "not_screened"
    if not_detected:
        return "pass" if value == "nd" else "fail"
    if value == "nd":
        return "pass"
    assert isinstance(limit, dict)
    low, high = limit.get("min"), limit.get("max")
    if isinstance(value, tuple):  # below a detection limit
        detection = value[1]
        if low is not None:
            return "indeterminate"  # "< DL" says nothing about a lower bound
        return "pass" if high is None or detection <= high else "indeterminate"
    number = float(value)
    if low is not None and number < low:
        return "fail"
    if high is not None and number > high:
        return "fail"
    return "pass"


def screen_sample(
    values: dict[str, Value], set_name: str = DEFAULT_SET, system: str = DEFAULT_SYSTEM
) -> dict[str, Any]:
    """Every item of a limit set against a sample given in the set's units (mg/L, mS/m, pH):
    per item {value, limit, result, class, tendency}, the failures by class, and the verdict."""
    limit_set = limit_sets()[set_name]
    limits = limit_set["systems"][system]
    items = []
    for item, limit in limits.items():
        value = values.get(item)
        result = screen_value(value, limit)
        items.append(
            {
                "item": item,
                "value": list(value) if isinstance(value, tuple) else value,
                "limit": {k: v for k, v in limit.items() if k not in ("class", "tendency")},
                "result": result,
                "class": limit["class"],
                "tendency": limit["tendency"],
            }
        )
    standard = [i["item"] for i in items if i["class"] == "standard" and i["result"] == "fail"]
    reference = [i["item"] for i in items if i["class"] == "reference" and i["result"] == "fail"]
    return {
        "set": set_name,
        "system": system,
        "source": limit_set["source"],
        "items": items,
        "standard_failures": standard,
        "reference_failures": reference,
        "heat_exchanger_needed": bool(standard),
    }


def rsi_tendency(rsi: float) -> str:
    """Ryznar stability index: < 6 scale-forming, 6–7 stable, ≥ 7 corrosive (ibieng.co.jp)."""
    if rsi < 6.0:
        return "scale"
    return "stable" if rsi < 7.0 else "corrosive"


def langelier(
    ph: float,
    temperature_c: float,
    total_dissolved_solids_mg_per_l: float,
    calcium_hardness_mg_per_l_caco3: float,
    alkalinity_mg_per_l_caco3: float,
) -> dict[str, float]:
    """Langelier saturation index LSI = pH − pHs and Ryznar RSI = 2 pHs − pH, with
    pHs = (9.3 + A + B) − (C + D): A = (log10 TDS − 1)/10, B = −13.12 log10(T+273) + 34.55,
    C = log10 Ca-hardness − 0.4, D = log10 alkalinity (Langelier 1936 in its common
    approximate form; literature, check before citing)."""
    a = (math.log10(total_dissolved_solids_mg_per_l) - 1) / 10
    b = -13.12 * math.log10(temperature_c + 273.0) + 34.55
    c = math.log10(calcium_hardness_mg_per_l_caco3) - 0.4
    d = math.log10(alkalinity_mg_per_l_caco3)
    ph_saturation = (9.3 + a + b) - (c + d)
    return {
        "ph_saturation": ph_saturation,
        "langelier_index": ph - ph_saturation,
        "ryznar_index": 2 * ph_saturation - ph,
    }


# TDS ≈ 0.64 × EC in µS/cm (a common field factor, 0.55–0.75; literature, check before citing)
TDS_PER_EC_MG_PER_L_PER_US_PER_CM = 0.64

# Equivalent weights, g/eq (molar mass / charge)
EQUIVALENT_WEIGHT = {
    "calcium": 40.078 / 2,
    "magnesium": 24.305 / 2,
    "sodium": 22.990,
    "potassium": 39.098,
    "bicarbonate": 61.017,
    "sulfate": 96.06 / 2,
    "chloride": 35.453,
    "nitrate": 62.004,
}
CATIONS = ("calcium", "magnesium", "sodium", "potassium")
ANIONS = ("bicarbonate", "sulfate", "chloride", "nitrate")


def milliequivalents_per_l(mg_per_l: dict[str, float | None]) -> dict[str, float]:
    given = {ion: mg_per_l.get(ion) for ion in EQUIVALENT_WEIGHT}
    return {
        ion: float(value) / EQUIVALENT_WEIGHT[ion]
        for ion, value in given.items()
        if value is not None
    }


def ion_balance_error_percent(mg_per_l: dict[str, float | None]) -> float | None:
    """(Σ cations − Σ anions) / (Σ cations + Σ anions) × 100 in meq/L; None unless Ca, Mg,
    Na, HCO₃, SO₄ and Cl were all measured (K and NO₃ count when given)."""
    needed = ("calcium", "magnesium", "sodium", "bicarbonate", "sulfate", "chloride")
    if any(mg_per_l.get(ion) is None for ion in needed):
        return None
    meq = milliequivalents_per_l(mg_per_l)
    cations = sum(meq.get(ion, 0.0) for ion in CATIONS)
    anions = sum(meq.get(ion, 0.0) for ion in ANIONS)
    return 100 * (cations - anions) / (cations + anions)


def piper_percentages(mg_per_l: dict[str, float | None]) -> dict[str, float] | None:
    """Percent of meq/L in the Piper triangles: cations Ca, Mg, Na+K; anions HCO₃, SO₄, Cl."""
    if ion_balance_error_percent(mg_per_l) is None:
        return None
    meq = milliequivalents_per_l(mg_per_l)
    cations = {
        "ca": meq["calcium"],
        "mg": meq["magnesium"],
        "na_k": meq["sodium"] + meq.get("potassium", 0.0),
    }
    anions = {"hco3": meq["bicarbonate"], "so4": meq["sulfate"], "cl": meq["chloride"]}
    cation_sum, anion_sum = sum(cations.values()), sum(anions.values())
    return {
        **{k: 100 * v / cation_sum for k, v in cations.items()},
        **{k: 100 * v / anion_sum for k, v in anions.items()},
    }


def stiff_meq_per_l(mg_per_l: dict[str, float | None]) -> dict[str, float] | None:
    """The Stiff diagram's six axes, meq/L: Na+K, Ca, Mg (left); Cl, HCO₃, SO₄ (right)."""
    if ion_balance_error_percent(mg_per_l) is None:
        return None
    meq = milliequivalents_per_l(mg_per_l)
    return {
        "na_k": meq["sodium"] + meq.get("potassium", 0.0),
        "ca": meq["calcium"],
        "mg": meq["magnesium"],
        "cl": meq["chloride"],
        "hco3": meq["bicarbonate"],
        "so4": meq["sulfate"],
    }
