"""Display units at the page edge: stored values are SI (J, s, fractions)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def kwh(value_j: float | None) -> str:
    return "" if value_j is None else f"{value_j / 3.6e6:,.1f}"


@register.filter
def hours(value_s: float | None) -> str:
    return "" if value_s is None else f"{value_s / 3600:,.1f}"


@register.filter
def kw(value_w: float | None) -> str:
    return "" if value_w is None else f"{value_w / 1000:,.2f}"


@register.filter
def percent(fraction: float | None) -> str:
    return "" if fraction is None else f"{100 * fraction:.1f}"


@register.filter
def ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


@register.filter
def get(mapping: dict, key: str) -> object:
    return (mapping or {}).get(key)
