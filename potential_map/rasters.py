"""Region grids and Cloud-Optimized GeoTIFFs: the only module that touches rasterio.

A layer is one COG in the region's metric CRS, float32, NaN as nodata, DEFLATE, with
overviews; bands are the P50, P10 and P90 of the quantity (band descriptions say which).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import rasterio.mask
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from rasterio.features import geometry_mask, rasterize
from rasterio.io import DatasetReader
from rasterio.transform import from_origin
from rasterio.windows import Window
from shapely import wkb
from shapely.geometry import mapping

BAND_NAMES = ("p50", "p10", "p90")


@dataclass(frozen=True)
class Grid:
    """A north-up grid in a metric CRS, with the cells inside the region marked."""

    crs_epsg: int
    resolution_m: float
    west_m: float
    north_m: float
    width: int
    height: int
    inside: NDArray[np.bool_]  # (height, width), True inside the region

    @property
    def transform(self) -> rasterio.Affine:
        return from_origin(self.west_m, self.north_m, self.resolution_m, self.resolution_m)

    def cell_centres_m(self) -> NDArray[np.float64]:
        """(n, 2) x, y of the cells inside the region, row by row."""
        rows, cols = np.nonzero(self.inside)
        x = self.west_m + (cols + 0.5) * self.resolution_m
        y = self.north_m - (rows + 0.5) * self.resolution_m
        return np.column_stack([x, y])

    def extent_wkt_4326(self) -> str:
        """The grid's outline in WGS84, as WKT (its four corners, reprojected)."""
        east = self.west_m + self.width * self.resolution_m
        south = self.north_m - self.height * self.resolution_m
        back = Transformer.from_crs(self.crs_epsg, 4326, always_xy=True).transform
        corners = [
            (self.west_m, south),
            (east, south),
            (east, self.north_m),
            (self.west_m, self.north_m),
            (self.west_m, south),
        ]
        ring = ", ".join(f"{x} {y}" for x, y in (back(cx, cy) for cx, cy in corners))
        return f"POLYGON(({ring}))"

    def full(self, inside_values: NDArray[np.float64]) -> NDArray[np.float32]:
        """A (height, width) float32 array: `inside_values` in the region, NaN outside."""
        array = np.full((self.height, self.width), np.nan, dtype=np.float32)
        array[self.inside] = inside_values
        return array


def to_metric(geometry_wkb: bytes, crs_epsg: int):  # type: ignore[no-untyped-def]
    """A WGS84 (EPSG:4326) geometry, given as WKB, in the metric CRS (a shapely geometry)."""
    transformer = Transformer.from_crs(4326, crs_epsg, always_xy=True)

    def project(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(wkb.loads(bytes(geometry_wkb)), project)


def points_to_metric(lon: NDArray, lat: NDArray, crs_epsg: int) -> NDArray[np.float64]:
    x, y = Transformer.from_crs(4326, crs_epsg, always_xy=True).transform(lon, lat)
    return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])


def region_grid(boundary_wkb: bytes, crs_epsg: int, resolution_m: float) -> Grid:
    """The grid covering the region's outline, cells snapped to multiples of the resolution."""
    outline = to_metric(boundary_wkb, crs_epsg)
    west, south, east, north = outline.bounds
    west = np.floor(west / resolution_m) * resolution_m
    north = np.ceil(north / resolution_m) * resolution_m
    width = int(np.ceil((east - west) / resolution_m))
    height = int(np.ceil((north - south) / resolution_m))
    transform = from_origin(west, north, resolution_m, resolution_m)
    inside = geometry_mask(
        [mapping(outline)], out_shape=(height, width), transform=transform, invert=True
    )
    return Grid(crs_epsg, resolution_m, west, north, width, height, inside)


def rasterize_values(
    grid: Grid, shapes: list[tuple[bytes, float]], fill: float = np.nan
) -> NDArray[np.float64]:
    """Burn (WGS84 WKB geometry, value) pairs into the grid; the inside cells' values."""
    if not shapes:
        return np.full(int(grid.inside.sum()), fill)
    burnt = rasterize(
        [(mapping(to_metric(geometry, grid.crs_epsg)), value) for geometry, value in shapes],
        out_shape=(grid.height, grid.width),
        transform=grid.transform,
        fill=fill,
        dtype="float64",
    )
    return burnt[grid.inside]


def new_layer_path(root: Path, region_code: str, kind: str) -> Path:
    """A fresh file name per version: a published file is never overwritten."""
    folder = root / region_code
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{kind}-{uuid.uuid4().hex[:12]}.tif"


def write_cog(
    path: Path, bands: list[NDArray[np.float32]], grid: Grid, names: tuple[str, ...]
) -> None:
    """Write `bands` as one COG (float32, NaN nodata, DEFLATE, average overviews)."""
    profile = {
        "driver": "COG",
        "width": grid.width,
        "height": grid.height,
        "count": len(bands),
        "dtype": "float32",
        "crs": f"EPSG:{grid.crs_epsg}",
        "transform": grid.transform,
        "nodata": np.nan,
        "compress": "deflate",
        "predictor": 3,
        "blocksize": 512,
        "overview_resampling": "average",
        "BIGTIFF": "IF_SAFER",
    }
    with rasterio.open(path, "w", **profile) as target:
        for number, (band, name) in enumerate(zip(bands, names, strict=True), start=1):
            target.write(band.astype(np.float32), number)
            target.set_band_description(number, name)


def read_band(path: Path | str, band: int = 1) -> NDArray[np.float32]:
    with rasterio.open(path) as source:
        return source.read(band)


# Open datasets kept per thread (rasterio datasets are not thread-safe): a region has about a
# dozen current layers, tiles and point queries of the same layers share them, and the three
# regions' layers fit (8 threads × 48 files per process, well under the 1024 descriptors).
OPEN_DATASETS_PER_THREAD = 48
_open = threading.local()


def open_shared(path: str) -> DatasetReader:
    """An open dataset of `path`, kept per thread for the next tile or point: its header,
    overviews and GDAL block cache are not read again. A layer's file is never rewritten (a
    new version is a new file), so an open one never goes stale."""
    datasets: OrderedDict[str, DatasetReader] | None = getattr(_open, "datasets", None)
    if datasets is None:
        datasets = _open.datasets = OrderedDict()
    dataset = datasets.get(path)
    if dataset is None or dataset.closed:
        dataset = datasets[path] = rasterio.open(path)
        if len(datasets) > OPEN_DATASETS_PER_THREAD:
            datasets.popitem(last=False)[1].close()
    else:
        datasets.move_to_end(path)
    return dataset


def sample(path: Path | str, x_m: float, y_m: float) -> list[float]:
    """Every band's value at a point in the layer's CRS (NaN outside the data): one 1 × 1
    window of all bands from the thread's open dataset."""
    source = open_shared(str(path))
    row, col = source.index(x_m, y_m)
    if not (0 <= row < source.height and 0 <= col < source.width):
        return [float("nan")] * source.count
    cell = source.read(window=Window(col, row, 1, 1), masked=True)
    return [float(v) if v is not np.ma.masked else float("nan") for v in cell[:, 0, 0]]


def zonal_statistics(path: Path | str, geometry_wkb: bytes) -> dict[str, object]:
    """Each band's mean, minimum and maximum over the cells a WGS84 polygon touches (a small
    parcel still gets the cells under it), and how many cells had a value."""
    with rasterio.open(path) as source:
        outline = to_metric(geometry_wkb, source.crs.to_epsg())
        try:
            data, _transform = rasterio.mask.mask(
                source, [mapping(outline)], crop=True, all_touched=True, filled=False
            )
        except ValueError:  # the polygon does not overlap the raster
            return {"cells": 0, "bands": {}}
        names = [d or f"band{i + 1}" for i, d in enumerate(source.descriptions)]
    values = np.ma.masked_invalid(data)
    stats: dict[str, dict[str, float | None]] = {}
    for name, band in zip(names, values, strict=True):
        if band.count() == 0:
            stats[name] = {"mean": None, "min": None, "max": None}
        else:
            stats[name] = {
                "mean": float(band.mean()),
                "min": float(band.min()),
                "max": float(band.max()),
            }
    return {"cells": int(values[0].count()), "bands": stats}
