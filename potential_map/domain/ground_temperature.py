"""Undisturbed ground temperature T0 from climate stations and altitude. Pure numpy + gstools.

T0 = mean annual air temperature + a ground offset:
- "一般に 10m より深いところの地中温度はその土地の年間平均気温より 1～2℃程度高い" (below about
  10 m the ground is generally 1–2 °C warmer than the local annual mean air temperature):
  ETV-052-2101, appendix 1 専門用語集 (glossary), entry 地中熱. Read as a uniform distribution on
  [1, 2] K: offset 1.5 K, σ = 1/√12 = 0.289 K. OKINAWA-FY2017 §1.11 says only "close to the annual
  mean air temperature"; YOSHIOKA-2014 gives Kanto ground 16–17 °C with Maebashi's air 14.6 °C,
  1.4–2.4 K above: consistent.
- The air temperature between stations: regression kriging on elevation where the cells have an
  elevation (a DEM), i.e. a linear trend on elevation (the lapse rate) plus kriged residuals;
  computed as kriging with an external drift (gstools ExtDrift), which gives the same predictor
  as regression kriging with a GLS trend and its full variance, trend uncertainty included
  (Hengl, Heuvelink & Rossiter 2007, Computers & Geosciences 33:1301, eqs. 3–8; literature,
  check before citing). Without elevations: ordinary kriging of the stations (gstools Ordinary).
- T0's band: kriging variance + the offset's variance, Gaussian P10/P90.

Temperature logs then override the field near their borehole (uncertainty.local_override).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from potential_map.domain.interpolation import Variogram, fit_variogram
from potential_map.domain.uncertainty import gaussian_bands, local_override

# ETV-052-2101 appendix 1 (glossary, 地中熱): ground below ~10 m is 1–2 °C above the annual mean
# air temperature; taken as uniform on [1, 2] K.
GROUND_OFFSET_K = 1.5
GROUND_OFFSET_STD_K = 0.5 / np.sqrt(3.0)  # half-width / √3 for a uniform, = 1 K / √12
# Used when the stations do not span enough altitude to fit a lapse rate: the environmental
# lapse rate of the ICAO standard atmosphere, −6.5 K/km (ISO 2533:1975; literature, check
# before citing). Mean annual surface lapse rates in mountains are often a little smaller.
STANDARD_LAPSE_RATE_K_PER_M = -0.0065
# A lapse rate is fitted only when the stations span at least this much altitude (a setting:
# below it the slope is dominated by latitude and local climate, not altitude).
MIN_ELEVATION_SPREAD_M = 300.0
# When the stations cannot give a variogram of their own (fewer than 2, or all alike), the
# residual field is taken as σ = 0.5 K over 50 km (inferred: neighbouring JMA normals at the same
# altitude differ by a few tenths of a kelvin). Stated in the layer's definition.
PRIOR_VARIOGRAM = Variogram(sill=0.25, range_m=50_000.0)
MIN_SILL_K2 = 1e-4  # (0.01 K)²: below it the residuals carry no usable spatial structure
# A temperature log's mean over the BHE length as T0 (potential_map.domain.layers.
# log_mean_temperature_k): σ 0.2 K (inferred: the logger resolves 0.001 K, but a log run weeks
# after drilling, with water moving in the hole, is not the undisturbed ground to better than a
# few tenths, YOSHIOKA-2014 §2.6), and its correlation length 1 km (a setting, as the TRT's).
TEMPERATURE_LOG_STD_K = 0.2
TEMPERATURE_LOG_LENGTH_M = 1000.0


@dataclass(frozen=True)
class GroundTemperatureField:
    """T0 per cell: P10/P50/P90 and σ, K, with what made it.

    air_temperature_k, air_std_k: the interpolated mean annual air temperature and its kriging
    σ. method: "regression kriging on elevation", "ordinary kriging of the stations", or both
    when some cells have no elevation (cells_without_elevation counts them). lapse_rate_k_per_m:
    the slope of the air temperature on elevation used (None without elevations) and its basis.
    """

    p10_k: NDArray[np.float64]
    p50_k: NDArray[np.float64]
    p90_k: NDArray[np.float64]
    std_k: NDArray[np.float64]
    air_temperature_k: NDArray[np.float64]
    air_std_k: NDArray[np.float64]
    method: str
    lapse_rate_k_per_m: float | None
    lapse_rate_basis: str | None
    ground_offset_k: float
    ground_offset_std_k: float
    variogram: dict[str, float]
    stations_used: int
    cells_without_elevation: int

    def definition(self) -> dict[str, Any]:
        """What a layer stores about how its T0 was made."""
        return {
            "quantity": "undisturbed ground temperature below the seasonal zone",
            "method": self.method,
            "air_temperature": "mean annual air temperature of the climate stations",
            "ground_offset_k": self.ground_offset_k,
            "ground_offset_std_k": round(self.ground_offset_std_k, 4),
            "ground_offset_source": "ETV-052-2101 appendix 1 (glossary, 地中熱): ground below "
            "~10 m is 1–2 °C above the annual mean air temperature (uniform on [1, 2] K)",
            "lapse_rate_k_per_km": None
            if self.lapse_rate_k_per_m is None
            else round(self.lapse_rate_k_per_m * 1000, 3),
            "lapse_rate_basis": self.lapse_rate_basis,
            "variogram": self.variogram,
            "stations": self.stations_used,
            "cells_without_elevation": self.cells_without_elevation,
            "bands": "P10/P90 = P50 ∓ 1.2816 σ, σ² = kriging variance + offset variance",
        }


def _model(variogram: Variogram) -> Any:
    import gstools as gs

    return gs.Exponential(
        dim=2, var=variogram.sill, len_scale=variogram.range_m, nugget=variogram.nugget
    )


def fitted_lapse_rate(
    elevation_m: ArrayLike, air_temperature_k: ArrayLike
) -> tuple[float, float, str]:
    """(lapse rate K/m, intercept K at 0 m, basis): least-squares slope of the stations' mean
    annual air temperature on their elevation when they span ≥ MIN_ELEVATION_SPREAD_M and are at
    least 3, else the standard atmosphere's −6.5 K/km through the stations' mean."""
    z = np.asarray(elevation_m, dtype=np.float64)
    t = np.asarray(air_temperature_k, dtype=np.float64)
    if len(z) >= 3 and np.ptp(z) >= MIN_ELEVATION_SPREAD_M:
        slope, intercept = np.polyfit(z, t, 1)
        return float(slope), float(intercept), "fitted to the stations (least squares)"
    slope = STANDARD_LAPSE_RATE_K_PER_M
    return (
        slope,
        float(np.mean(t - slope * z)),
        "ICAO standard atmosphere −6.5 K/km (the stations span too little altitude to fit one)",
    )


def _residual_variogram(
    xy_m: NDArray[np.float64], residuals: NDArray[np.float64], variogram: Variogram | None
) -> Variogram:
    if variogram is not None:
        return variogram
    if len(residuals) < 2 or np.var(residuals) < MIN_SILL_K2:
        return PRIOR_VARIOGRAM
    # No nugget: a station's normal is a 30-year mean, precise where it stands; the map must
    # reproduce it there (issue 20: "with a DEM the cell at a station reproduces the station").
    return fit_variogram(xy_m, residuals, nugget=False)


def ground_temperature_field(
    station_xy_m: NDArray[np.float64],
    station_elevation_m: ArrayLike,
    station_air_temperature_k: ArrayLike,
    cells_xy_m: NDArray[np.float64],
    cells_elevation_m: ArrayLike | None = None,
    *,
    ground_offset_k: float = GROUND_OFFSET_K,
    ground_offset_std_k: float = GROUND_OFFSET_STD_K,
    variogram: Variogram | None = None,
    chunk_size: int = 200_000,
) -> GroundTemperatureField:
    """T0 per cell from the climate stations (see the module docstring), K.

    station_xy_m: (n, 2) station positions in the region's metric CRS; station_elevation_m: their
    elevations, m; station_air_temperature_k: their mean annual air temperature (normals), K.
    cells_xy_m: (m, 2) cell centres; cells_elevation_m: each cell's elevation from a DEM, m, or
    None (no DEM: ordinary kriging). A cell whose elevation is NaN takes the ordinary-kriging
    value. variogram: of the residuals (kept between recomputations), else fitted without nugget.
    Stations with a NaN value or elevation are left out; none left raises ValueError.
    """
    import gstools as gs

    xy = np.asarray(station_xy_m, dtype=np.float64)
    z = np.asarray(station_elevation_m, dtype=np.float64)
    t_air = np.asarray(station_air_temperature_k, dtype=np.float64)
    usable = np.isfinite(t_air) & np.isfinite(z) & np.isfinite(xy).all(axis=1)
    xy, z, t_air = xy[usable], z[usable], t_air[usable]
    if len(t_air) == 0:
        raise ValueError("no climate station with a mean annual air temperature and elevation")
    cells = np.asarray(cells_xy_m, dtype=np.float64)
    count = len(cells)
    elevation = (
        np.full(count, np.nan)
        if cells_elevation_m is None
        else np.asarray(cells_elevation_m, dtype=np.float64)
    )
    with_dem = np.isfinite(elevation)
    air = np.full(count, np.nan)
    air_variance = np.full(count, np.nan)
    lapse: float | None = None
    basis: str | None = None
    methods = []
    if with_dem.any():
        lapse, intercept, basis = fitted_lapse_rate(z, t_air)
        residuals = t_air - (intercept + lapse * z)
        model_variogram = _residual_variogram(xy, residuals, variogram)
        model = _model(model_variogram)
        if basis.startswith("fitted") and len(t_air) >= 3:
            # Kriging with external drift: the trend's slope is estimated with the residuals'
            # covariance (GLS) together with the kriging weights.
            krige = gs.krige.ExtDrift(model, (xy[:, 0], xy[:, 1]), t_air, ext_drift=z, exact=True)
            estimate, variance = krige(
                (cells[with_dem, 0], cells[with_dem, 1]),
                mesh_type="unstructured",
                ext_drift=elevation[with_dem],
                return_var=True,
                store=False,
                chunk_size=chunk_size,
            )
            lapse = _gls_lapse_rate(model, xy, z, t_air)
        else:
            # A fixed lapse rate: krige the residuals of the fixed trend, add the trend back.
            krige = gs.krige.Ordinary(model, (xy[:, 0], xy[:, 1]), residuals, exact=True)
            estimate, variance = krige(
                (cells[with_dem, 0], cells[with_dem, 1]),
                mesh_type="unstructured",
                return_var=True,
                store=False,
                chunk_size=chunk_size,
            )
            estimate = estimate + intercept + lapse * elevation[with_dem]
        air[with_dem], air_variance[with_dem] = estimate, variance
        methods.append("regression kriging on elevation")
        used_variogram = model_variogram
    if (~with_dem).any():
        ok_variogram = variogram if variogram is not None and not with_dem.any() else None
        ok_variogram = _residual_variogram(xy, t_air, ok_variogram)
        krige = gs.krige.Ordinary(_model(ok_variogram), (xy[:, 0], xy[:, 1]), t_air, exact=True)
        estimate, variance = krige(
            (cells[~with_dem, 0], cells[~with_dem, 1]),
            mesh_type="unstructured",
            return_var=True,
            store=False,
            chunk_size=chunk_size,
        )
        air[~with_dem], air_variance[~with_dem] = estimate, variance
        methods.append("ordinary kriging of the stations")
        if not with_dem.any():
            used_variogram = ok_variogram
    air_std = np.sqrt(np.clip(air_variance, 0.0, None))
    std = np.sqrt(air_std**2 + ground_offset_std_k**2)
    p10, p50, p90 = gaussian_bands(air + ground_offset_k, std)
    return GroundTemperatureField(
        p10_k=p10,
        p50_k=p50,
        p90_k=p90,
        std_k=std,
        air_temperature_k=air,
        air_std_k=air_std,
        method=" and ".join(methods),
        lapse_rate_k_per_m=lapse,
        lapse_rate_basis=basis,
        ground_offset_k=ground_offset_k,
        ground_offset_std_k=float(ground_offset_std_k),
        variogram=used_variogram.as_dict(),
        stations_used=len(t_air),
        cells_without_elevation=int((~with_dem).sum()),
    )


def _gls_lapse_rate(
    model: Any, xy: NDArray[np.float64], z: NDArray[np.float64], t: NDArray[np.float64]
) -> float:
    """The slope the external-drift kriging uses: β = (Fᵀ C⁻¹ F)⁻¹ Fᵀ C⁻¹ t, F = [1, z] (GLS with
    the residual covariance C; Hengl et al. 2007 eq. 4). T0 at one place changes with elevation
    by exactly this slope."""
    distance = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=-1)
    covariance = model.cov_nugget(distance)
    design = np.column_stack([np.ones(len(z)), z])
    solved = np.linalg.solve(covariance, design)
    beta = np.linalg.solve(design.T @ solved, solved.T @ t)
    return float(beta[1])


def with_temperature_logs(
    field: GroundTemperatureField,
    cells_xy_m: NDArray[np.float64],
    logs_xy_m: NDArray[np.float64],
    log_means_k: ArrayLike,
    log_std_k: ArrayLike = TEMPERATURE_LOG_STD_K,
    length_m: float = TEMPERATURE_LOG_LENGTH_M,
) -> GroundTemperatureField:
    """The field after temperature logs override it near their boreholes (uncertainty.
    local_override: at a log its mean with its σ, the correction fading as exp(−d/length_m)).
    The air temperature and the method stay; the definition says how many logs were used."""
    means = np.asarray(log_means_k, dtype=np.float64)
    sigma = np.broadcast_to(np.asarray(log_std_k, dtype=np.float64), means.shape)
    if len(means) == 0:
        return field
    p10, p50, p90, std = local_override(
        field.p50_k, field.std_k, cells_xy_m, logs_xy_m, means, sigma, length_m
    )
    return replace(
        field,
        p10_k=p10,
        p50_k=p50,
        p90_k=p90,
        std_k=std,
        method=f"{field.method}; {len(means)} temperature logs override it near their boreholes",
    )
