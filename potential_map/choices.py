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
