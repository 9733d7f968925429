"""Open-loop design for a building: flow from the ground-side load, wells from the
sustainable rate, and well-pump energy. Pure numpy, SI units.

Q = P / (ρc ΔT) (the Flanders KWO tool's form; BOETTCHER-2019); wells = ceil(Q / Q_well);
reinjection wells as many as pumping wells times a factor (YOSHIOKA-2014 Table 13 plans two
30 m reinjection wells for one 70 m pumping well); pump power = ρ g Q H / η (literature).
"""

from __future__ import annotations

import math
from typing import Any

from potential_map.domain.open_loop import required_flow_m3_per_s

WATER_DENSITY_KG_PER_M3 = 1000.0
GRAVITY_M_PER_S2 = 9.81
PUMP_EFFICIENCY = 0.5  # wire-to-water (inferred; small submersible pumps)
EXTRA_HEAD_M = 10.0  # pipe, heat exchanger and reinjection head (inferred)
REINJECTION_PER_PUMPING_WELL = 2  # YOSHIOKA-2014 Table 13 (1 pumping, 2 reinjection)


def design_wells(
    ground_peak_w: float,
    delta_t_k: float,
    sustainable_flow_m3_per_s: float,
    depth_to_water_m: float,
    drawdown_m: float,
) -> dict[str, Any]:
    if sustainable_flow_m3_per_s is None or not sustainable_flow_m3_per_s > 0:
        raise ValueError("there is no aquifer here: no sustainable pumping rate")
    flow = float(required_flow_m3_per_s(ground_peak_w, delta_t_k))
    # (a rounding hair above a whole number of wells is not one more well)
    pumping = max(1, math.ceil(flow / sustainable_flow_m3_per_s * (1 - 1e-4)))
    head = depth_to_water_m + drawdown_m + EXTRA_HEAD_M
    pump_w = WATER_DENSITY_KG_PER_M3 * GRAVITY_M_PER_S2 * flow * head / PUMP_EFFICIENCY
    return {
        "flow_m3_per_s": flow,
        "pumping_wells": pumping,
        "reinjection_wells": pumping * REINJECTION_PER_PUMPING_WELL,
        "flow_per_well_m3_per_s": flow / pumping,
        "pump_head_m": head,
        "pump_power_w": pump_w,
    }
