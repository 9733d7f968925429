"""Physical defaults shared by the map, the estimates and the field-test analyses.

One value per quantity, each with its source: the map and the estimate of the same cell must
not disagree because each module kept its own constant (issue 20: 2.5 MJ/(m³·K) in the map,
2.4 in the estimate). Pure Python, importable by every app (core.lib is the lowest layer).
"""

from __future__ import annotations

from dataclasses import dataclass

# Ground volumetric heat capacity ρc where no lithology gives one, J/(m³·K): GRASS
# r.green.gshp.theoretical `ground_capacity_value` default 2.5 MJ/(m³·K) (GRASS-RGREEN),
# the value G.POT's published maps use (CASASSO-SETHI-2016).
GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K = 2.5e6


@dataclass(frozen=True)
class BoreholeGeometry:
    """A borehole heat exchanger's geometry and grout, as G.POT's R_b needs them.

    radius_m: borehole radius r_b; pipe_radius_m: r_pipe; pipe_count: n (4 for a double U);
    grout_conductivity_w_per_m_k: λ_grout; length_m: L.
    """

    radius_m: float
    pipe_radius_m: float
    pipe_count: int
    grout_conductivity_w_per_m_k: float
    length_m: float


# GRASS r.green.gshp.theoretical defaults (GRASS-RGREEN): r_b 0.075 m,
# r_pipe 0.016 m, 4 pipes (double U), λ_grout 2 W/(m·K), L 100 m. With `borehole_resistence`
# left at nan, GRASS computes R_b from these by Shonder & Beck (2000): 0.0678 m·K/W.
GRASS_REFERENCE_BOREHOLE = BoreholeGeometry(
    radius_m=0.075,
    pipe_radius_m=0.016,
    pipe_count=4,
    grout_conductivity_w_per_m_k=2.0,
    length_m=100.0,
)

# --- Closed loop ---------------------------------------------------------------------------
#
# The map and the estimate do not agree yet on R_b and ρc: each keeps its value under its own
# name below, so that this change moves no number. Issue 20 unifies them (R_b by Shonder & Beck
# from the geometry, potential_map.domain.closed_loop.resolve_borehole_resistance; ρc 2.5 MJ).

# Borehole radius r_b, m: GRASS r.green.gshp.theoretical `borehole_radius` (GRASS-RGREEN). The
# map's reference BHE, and what a TRT analysis assumes when the test record gives none.
BOREHOLE_RADIUS_M = GRASS_REFERENCE_BOREHOLE.radius_m

# Borehole thermal resistance R_b where none is given, m·K/W: 0.1, the value GRASS
# r.green.gshp's doctests pass explicitly (GRASS-RGREEN). The map and the estimate use it today;
# issue 20 computes it from the geometry instead (0.0678 m·K/W for GRASS's defaults).
BOREHOLE_RESISTANCE_M_K_PER_W = 0.1

# Ground volumetric heat capacity of the estimate's GHEtool sizing, J/(m³·K): GHEtool 2.3.4's
# own default (GroundConstantTemperature, volumetric_heat_capacity = 2.4e6). The map uses
# GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K (2.5e6, GRASS); issue 20 gives both the latter.
SIZING_GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K = 2.4e6

# Ground volumetric heat capacity a TRT analysis assumes when the test record gives none,
# J/(m³·K): water-saturated ground, as G.POT's default (GRASS-RGREEN `ground_capacity_value`).
TRT_GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K = GROUND_VOLUMETRIC_HEAT_CAPACITY_J_PER_M3_K

# Operating lifetime G.POT sizes for, years: GRASS r.green.gshp.theoretical `lifetime` default
# (GRASS-RGREEN; CASASSO-SETHI-2016 map 50 years as well).
GPOT_LIFETIME_YEARS = 50

# --- Open loop -----------------------------------------------------------------------------

# Allowed drawdown at the pumping well where a region's map parameter `allowed_drawdown_m` does
# not set one, m (inferred; a licence or a guideline replaces it, BOETTCHER-2019's s_max).
ALLOWED_DRAWDOWN_M = 5.0

# Temperature change of the groundwater through the heat exchanger where a region's map
# parameter `open_loop_delta_t_k` does not set one, K: 5 K for shallow wells (YOSHIOKA-2014
# §5-1; 7 K through an intermediate exchanger for mid-deep groundwater), the design ΔT at the
# heat pump's water exchanger in ETV-052-2101 (Table 3-3).
OPEN_LOOP_DELTA_T_K = 5.0

# Radius of a pumping or reinjection well, m (inferred: a Ø150 mm screen; YOSHIOKA-2014
# Table 11 plans Ø200 mm wells). Enters Thiem's ln(d / r_w) only.
WELL_RADIUS_M = 0.075

# Saturated aquifer thickness where no pumping test gives one, m (inferred).
AQUIFER_THICKNESS_M = 20.0

# Depth to the water table where the map has no groundwater-depth value, m (inferred; the
# estimate's well design needs one).
DEPTH_TO_WATER_M = 10.0
