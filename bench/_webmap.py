"""Web-map arithmetic shared by the load bench and its locustfile (no Django, no locust)."""

from __future__ import annotations

import math


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ (web mercator) tile holding the point at zoom z."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def bbox_of_view(lon: float, lat: float, z: int) -> str:
    """About 3 × 2 tiles around the point, as west,south,east,north."""
    half_width = 1.5 * 360 / 2**z
    half_height = half_width * math.cos(math.radians(lat)) * 2 / 3
    return (
        f"{lon - half_width:.5f},{lat - half_height:.5f},{lon + half_width:.5f},"
        f"{lat + half_height:.5f}"
    )
