"""Coordinate reference system checks. pyproj only; no Django."""

from __future__ import annotations

from pyproj import CRS
from pyproj.exceptions import CRSError


def metric_crs_problem(epsg: int | None) -> str | None:
    """Why `epsg` cannot be a region's raster CRS, or None when it can.

    Rasters are laid out in metres, so the CRS must be projected with a metre axis unit
    (e.g. UTM zones: 32652 for Okinawa, 32654 for Gunma, 32642 for Tajikistan).
    """
    if epsg is None:
        return "An EPSG code is required."
    try:
        crs = CRS.from_epsg(int(epsg))
    except (CRSError, ValueError):
        return f"EPSG:{epsg} is not a known coordinate reference system."
    if not crs.is_projected:
        return f"EPSG:{epsg} is not projected; a metric projected CRS is required."
    units = {axis.unit_name for axis in crs.axis_info}
    if units != {"metre"}:
        return f"EPSG:{epsg} is not in metres ({', '.join(sorted(units))})."
    return None
