"""Physical defaults shared by the map, the estimates and the field-test analyses.

One value per quantity, each with its source: the map and the estimate of the same cell must
not disagree because each module kept its own constant (issue 20: 2.5 MJ/(m³·K) in the map,
2.4 in the estimate). Pure Python, importable by every app (core.lib is the lowest layer).
"""

from __future__ import annotations

from dataclasses import dataclass

# Ground volumetric heat capacity ρc where no lithology gives one, J/(m³·K): GRASS
# r.green.gshp.theoretical `ground_capacity_value` default 2.5 MJ/(m³·K) (GRASS-RGREEN,
# methods.md §3.2), the value G.POT's published maps use (CASASSO-SETHI-2016).
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


# GRASS r.green.gshp.theoretical defaults (GRASS-RGREEN, methods.md §3.2): r_b 0.075 m,
# r_pipe 0.016 m, 4 pipes (double U), λ_grout 2 W/(m·K), L 100 m. With `borehole_resistence`
# left at nan, GRASS computes R_b from these by Shonder & Beck (2000): 0.0678 m·K/W.
GRASS_REFERENCE_BOREHOLE = BoreholeGeometry(
    radius_m=0.075,
    pipe_radius_m=0.016,
    pipe_count=4,
    grout_conductivity_w_per_m_k=2.0,
    length_m=100.0,
)
