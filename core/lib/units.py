"""Unit conversions at the edges. Storage and code are SI (W, m, K, m³/s, J).

Each function names both units; nothing here guesses a unit.
"""

from __future__ import annotations

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
