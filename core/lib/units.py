"""Unit conversions at the edges. Storage and code are SI (W, m, K, m³/s, J).

Each function names both units; nothing here guesses a unit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

ZERO_CELSIUS_K = 273.15  # K, definition of the Celsius scale
SECONDS_PER_MINUTE = 60.0
LITRES_PER_M3 = 1000.0
JOULES_PER_KWH = 3.6e6  # 1 kWh = 1000 W × 3600 s


def celsius_to_kelvin(temperature_c: ArrayLike) -> NDArray[np.float64]:
    """°C → K."""
    return np.asarray(temperature_c, dtype=np.float64) + ZERO_CELSIUS_K


def kelvin_to_celsius(temperature_k: ArrayLike) -> NDArray[np.float64]:
    """K → °C."""
    return np.asarray(temperature_k, dtype=np.float64) - ZERO_CELSIUS_K


def l_per_min_to_m3_per_s(flow_l_per_min: ArrayLike) -> NDArray[np.float64]:
    """L/min → m³/s."""
    return np.asarray(flow_l_per_min, dtype=np.float64) / (LITRES_PER_M3 * SECONDS_PER_MINUTE)


def m3_per_s_to_l_per_min(flow_m3_per_s: ArrayLike) -> NDArray[np.float64]:
    """m³/s → L/min."""
    return np.asarray(flow_m3_per_s, dtype=np.float64) * LITRES_PER_M3 * SECONDS_PER_MINUTE


def kwh_to_joules(energy_kwh: ArrayLike) -> NDArray[np.float64]:
    """kWh → J."""
    return np.asarray(energy_kwh, dtype=np.float64) * JOULES_PER_KWH


def joules_to_kwh(energy_j: ArrayLike) -> NDArray[np.float64]:
    """J → kWh."""
    return np.asarray(energy_j, dtype=np.float64) / JOULES_PER_KWH


SECONDS_PER_HOUR = 3600.0
M2_PER_KM2 = 1e6
M2_PER_HECTARE = 1e4
W_PER_KW = 1e3


def m3_per_s_to_m3_per_h(flow_m3_per_s: ArrayLike) -> NDArray[np.float64]:
    """m³/s → m³/h."""
    return np.asarray(flow_m3_per_s, dtype=np.float64) * SECONDS_PER_HOUR


def w_to_kw(power_w: ArrayLike) -> NDArray[np.float64]:
    """W → kW."""
    return np.asarray(power_w, dtype=np.float64) / W_PER_KW


def m2_to_km2(area_m2: ArrayLike) -> NDArray[np.float64]:
    """m² → km²."""
    return np.asarray(area_m2, dtype=np.float64) / M2_PER_KM2


def m2_to_hectares(area_m2: ArrayLike) -> NDArray[np.float64]:
    """m² → ha."""
    return np.asarray(area_m2, dtype=np.float64) / M2_PER_HECTARE


# What a stored SI unit is shown as on the map, and the conversion that gets it there.
# Units not listed (W/m, W/(m·K), m) are shown as stored.
DISPLAY_UNITS: dict[str, tuple[str, Callable[[ArrayLike], NDArray[np.float64]]]] = {
    "K": ("°C", kelvin_to_celsius),  # ground and fluid temperatures
    "W": ("kW", w_to_kw),  # thermal power of a doublet, of a borehole
    "m³/s": ("m³/h", m3_per_s_to_m3_per_h),  # pumping rate of a well
    "m²": ("km²", m2_to_km2),  # areas of regions and districts
}


def display_unit(si_unit: str) -> str:
    """The unit a stored `si_unit` is shown in (°C for K, kW for W, ...)."""
    return DISPLAY_UNITS[si_unit][0] if si_unit in DISPLAY_UNITS else si_unit


def to_display(values: ArrayLike, si_unit: str) -> NDArray[np.float64]:
    """`values` stored in `si_unit`, converted to `display_unit(si_unit)`; NaN stays NaN."""
    if si_unit in DISPLAY_UNITS:
        return DISPLAY_UNITS[si_unit][1](values)
    return np.asarray(values, dtype=np.float64)


# Units a file may declare in its unit row, per dimension: unit → (scale, offset) so that
# SI value = value × scale + offset. Spellings are normalised by `normalise_unit` first.
# Concentrations: 1 mg/L = 1 g/m³ = 10⁻³ kg/m³. EC: 1 mS/m = 10⁻³ S/m; 1 µS/cm = 10⁻⁴ S/m.
UNITS_TO_SI: dict[str, dict[str, tuple[float, float]]] = {
    "length_m": {"m": (1.0, 0.0), "cm": (0.01, 0.0), "mm": (0.001, 0.0)},
    "temperature_k": {"k": (1.0, 0.0), "°c": (1.0, ZERO_CELSIUS_K)},
    "flow_m3_per_s": {
        "m³/s": (1.0, 0.0),
        "l/s": (1e-3, 0.0),
        "l/min": (1e-3 / 60, 0.0),
        "m³/min": (1 / 60, 0.0),
        "m³/h": (1 / 3600, 0.0),
        "m³/d": (1 / 86400, 0.0),
    },
    "power_w": {"w": (1.0, 0.0), "kw": (1e3, 0.0)},
    "energy_j": {
        "j": (1.0, 0.0),
        "kj": (1e3, 0.0),
        "mj": (1e6, 0.0),
        "wh": (3600.0, 0.0),
        "kwh": (JOULES_PER_KWH, 0.0),
    },
    "volume_m3": {"m³": (1.0, 0.0), "l": (1e-3, 0.0), "kl": (1.0, 0.0)},
    "time_s": {"s": (1.0, 0.0), "min": (60.0, 0.0), "h": (3600.0, 0.0)},
    "conductivity_s_per_m": {"s/m": (1.0, 0.0), "ms/m": (1e-3, 0.0), "µs/cm": (1e-4, 0.0)},
    "concentration_kg_per_m3": {
        "kg/m³": (1.0, 0.0),
        "g/m³": (1e-3, 0.0),
        "mg/l": (1e-3, 0.0),
        "g/l": (1.0, 0.0),
    },
    "angle_deg": {"°": (1.0, 0.0), "deg": (1.0, 0.0)},
    "velocity_m_per_s": {
        "m/s": (1.0, 0.0),
        "cm/min": (0.01 / 60, 0.0),
        "m/d": (1 / 86400, 0.0),
        "cm/d": (0.01 / 86400, 0.0),
    },
    "dimensionless": {"-": (1.0, 0.0), "": (1.0, 0.0)},
}
# Written forms that mean the same unit: typed without superscripts, micro sign or degree sign.
_UNIT_SPELLINGS = {
    "m3": "m³",
    "^3": "³",
    "degc": "°c",
    "℃": "°c",
    "c": "°c",
    "us/cm": "µs/cm",
    "μs/cm": "µs/cm",  # Greek mu → micro sign
    "sec": "s",
    "hr": "h",
    "day": "d",
    "kw": "kw",
}


def normalise_unit(unit: str) -> str:
    """Lower-case a unit and fold common spellings (m3/s → m³/s, degC → °c, ℃ → °c)."""
    text = unit.strip().lower().replace(" ", "").replace("m^3", "m³").replace("m3", "m³")
    text = text.replace("/day", "/d").replace("/hr", "/h").replace("/sec", "/s")
    return _UNIT_SPELLINGS.get(text, text)


def to_si(values: ArrayLike, unit: str, dimension: str) -> NDArray[np.float64]:
    """Convert `values` in `unit` to the SI unit of `dimension`; KeyError if not accepted."""
    scale, offset = UNITS_TO_SI[dimension][normalise_unit(unit)]
    return np.asarray(values, dtype=np.float64) * scale + offset


def accepted_units(dimension: str) -> list[str]:
    """The units a file may declare for `dimension`, as a reader should write them."""
    return [u for u in UNITS_TO_SI[dimension] if u] or ["-"]
