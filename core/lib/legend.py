"""Legend values of a continuous map layer: few, distinct and round. Pure: no Django.

A legend of five evenly spaced raw values repeats itself when the range is narrow ("290 K" five
times) and prints noise when it is wide (48,184 / 1,202,809 / ...). Here the values are the
multiples of a round step (1, 2 or 5 × 10ⁿ) inside the range, as map legends and chart
axes are usually labelled (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
"""

from __future__ import annotations

import math

NICE_MULTIPLIERS = (1.0, 2.0, 5.0)
DEFAULT_MAX_VALUES = 6
# A range narrower than this share of its magnitude is one value (a constant layer).
CONSTANT_RELATIVE_SPAN = 1e-6
SIGNIFICANT_DIGITS_OF_A_CONSTANT = 3
SIGNIFICANT_DIGITS_OF_AN_END = 2


def round_significant(value: float, digits: int) -> float:
    """`value` rounded to `digits` significant digits (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def nice_step(low: float, high: float, max_values: int = DEFAULT_MAX_VALUES) -> float:
    """The smallest round step with at most `max_values` multiples in [low, high]."""
    span = high - low
    exponent = math.floor(math.log10(span)) - 2
    while True:
        for multiplier in NICE_MULTIPLIERS:
            step = multiplier * 10.0**exponent
            count = math.floor(high / step + 1e-9) - math.ceil(low / step - 1e-9) + 1
            if count <= max_values:
                return step
        exponent += 1


def step_decimals(step: float) -> int:
    """Decimals needed to write the multiples of `step` exactly (0.5 → 1, 0.05 → 2, 50 → 0)."""
    decimals = 0
    while abs(round(step, decimals) - step) > step * 1e-9 and decimals < 12:
        decimals += 1
    return decimals


def legend_values(low: float, high: float, max_values: int = DEFAULT_MAX_VALUES) -> list[float]:
    """Distinct round values from `low` to `high` for a legend: at most `max_values` multiples
    of a round step, and each end (to 2 significant digits) unless a multiple lies within half
    a step of it.

    A constant layer (high == low, or nearly) gives its one value to 3 significant digits.
    A range with fewer than two round values inside gives its two ends, rounded to the
    step that tells them apart. NaN or infinite ends give no values.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    low, high = min(low, high), max(low, high)
    magnitude = max(abs(low), abs(high))
    if high - low <= CONSTANT_RELATIVE_SPAN * max(magnitude, 1.0):
        return [round_significant((low + high) / 2, SIGNIFICANT_DIGITS_OF_A_CONSTANT)]
    step = nice_step(low, high, max(max_values, 2))
    decimals = step_decimals(step)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    values = [round(index * step, decimals) for index in range(first, last + 1)]
    if len(values) >= 2:
        # The ends too, rounded, unless a round value already stands near them: a legend of
        # 1,000 to 4,000 for a layer of 48 to 4,667 would hide its lowest and highest colours.
        for end in (low, high):
            shown = round_significant(end, SIGNIFICANT_DIGITS_OF_AN_END)
            if abs(shown - end) > step / 4:  # 13.51 is not "14" in a legend of half steps
                shown = round_significant(end, SIGNIFICANT_DIGITS_OF_AN_END + 1)
            if min(abs(shown - value) for value in values) >= step / 2:
                values.append(shown)
        return sorted(value + 0.0 for value in values)  # + 0.0: no "-0"
    step = nice_step(low, high, 2 * max(max_values, 2)) / 10
    decimals = step_decimals(step)
    return sorted({round(low, decimals) + 0.0, round(high, decimals) + 0.0})
