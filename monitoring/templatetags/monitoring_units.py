"""Display units at the page edge: stored values are SI (J, s, W, fractions)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def _number(value: Any) -> float | None:
    """A missing value (None, or "" from an absent key in a template) shows as empty."""
    if value is None or value == "":
        return None
    return float(value)


@register.filter
def kwh(value_j: Any) -> str:
    number = _number(value_j)
    return "" if number is None else f"{number / 3.6e6:,.1f}"


@register.filter
def hours(value_s: Any) -> str:
    number = _number(value_s)
    return "" if number is None else f"{number / 3600:,.1f}"


@register.filter
def kw(value_w: Any) -> str:
    number = _number(value_w)
    return "" if number is None else f"{number / 1000:,.2f}"


@register.filter
def percent(fraction: Any) -> str:
    number = _number(fraction)
    return "" if number is None else f"{100 * number:.1f}"


@register.filter
def ratio(value: Any) -> str:
    number = _number(value)
    return "" if number is None else f"{number:.2f}"


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)
