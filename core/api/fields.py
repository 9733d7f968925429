"""Typed, bounded fields the serializers of every app share: finite numbers within a physical
range, codes of a known length, a bounding box."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class FiniteFloatField(serializers.FloatField):
    """A float that is finite, not a boolean, and within [min_value, max_value] (required)."""

    default_error_messages = {
        "finite": _("A finite number is required."),
        "boolean": _("A number is required, not true or false."),
    }

    def __init__(self, *, min_value: float, max_value: float, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool):
            self.fail("boolean")
        if isinstance(data, str) and len(data) > 64:
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("finite")
        return value


class CodeField(serializers.CharField):
    """A code (region, sensor, district, ...): a short line of printable text."""

    def __init__(self, max_length: int = 40, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, trim_whitespace=True, **kwargs)


class BBoxField(serializers.CharField):
    """west,south,east,north in degrees: four finite numbers, west ≤ east, south ≤ north."""

    default_error_messages = {
        "bbox": _("Give west,south,east,north as four numbers in degrees (lon ±180, lat ±90)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=200, **kwargs)

    def to_internal_value(self, data: Any) -> tuple[float, float, float, float]:
        text = super().to_internal_value(data)
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            self.fail("bbox")
        values = (west, south, east, north)
        if not all(math.isfinite(v) for v in values):
            self.fail("bbox")
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            self.fail("bbox")
        return values
