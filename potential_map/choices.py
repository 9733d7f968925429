from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LayerKind(models.TextChoices):
    CONDUCTIVITY = "conductivity", _("thermal conductivity")
    GROUND_TEMPERATURE = "ground_temperature", _("undisturbed ground temperature")
    GROUNDWATER_DEPTH = "groundwater_depth", _("depth to groundwater")
    CLOSED_LOOP_HEATING = "closed_loop_heating", _("closed loop, heating (G.POT)")
    CLOSED_LOOP_COOLING = "closed_loop_cooling", _("closed loop, cooling (G.POT)")
    VDI4640_1800 = "vdi4640_1800", _("VDI 4640 class, 1800 h (rule of thumb)")
    VDI4640_2400 = "vdi4640_2400", _("VDI 4640 class, 2400 h (rule of thumb)")
    OPEN_LOOP_FLOW = "open_loop_flow", _("open loop, sustainable pumping rate per well")
    OPEN_LOOP_HEAT_RATE = "open_loop_heat_rate", _("open loop, thermal power of a doublet")
    OPEN_LOOP_SPACING = "open_loop_spacing", _("open loop, doublet spacing")
    CONSTRAINTS_OPEN_LOOP = "constraints_open_loop", _("open-loop constraints (traffic light)")


class LayerGroup(models.TextChoices):
    """How the map's layer switcher groups the layers."""

    CLOSED_LOOP = "closed_loop", _("Closed loop")
    OPEN_LOOP = "open_loop", _("Open loop")
    GROUND = "ground", _("Ground")
    CONSTRAINTS = "constraints", _("Constraints")


GROUP_OF_KIND: dict[str, LayerGroup] = {
    LayerKind.CONDUCTIVITY: LayerGroup.GROUND,
    LayerKind.GROUND_TEMPERATURE: LayerGroup.GROUND,
    LayerKind.GROUNDWATER_DEPTH: LayerGroup.GROUND,
    LayerKind.CLOSED_LOOP_HEATING: LayerGroup.CLOSED_LOOP,
    LayerKind.CLOSED_LOOP_COOLING: LayerGroup.CLOSED_LOOP,
    LayerKind.VDI4640_1800: LayerGroup.CLOSED_LOOP,
    LayerKind.VDI4640_2400: LayerGroup.CLOSED_LOOP,
    LayerKind.OPEN_LOOP_FLOW: LayerGroup.OPEN_LOOP,
    LayerKind.OPEN_LOOP_HEAT_RATE: LayerGroup.OPEN_LOOP,
    LayerKind.OPEN_LOOP_SPACING: LayerGroup.OPEN_LOOP,
    LayerKind.CONSTRAINTS_OPEN_LOOP: LayerGroup.CONSTRAINTS,
}
