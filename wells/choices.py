"""Controlled vocabularies of survey data. Values are stored; labels are translated."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BoreholePurpose(models.TextChoices):
    EXPLORATION = "exploration", _("exploration")
    CLOSED_LOOP_BHE = "closed_loop_bhe", _("closed-loop borehole heat exchanger")
    PUMPING_WELL = "pumping_well", _("pumping well")
    REINJECTION_WELL = "reinjection_well", _("reinjection well")
    OBSERVATION_WELL = "observation_well", _("observation well")


class IntervalKind(models.TextChoices):
    CASING = "casing", _("casing (blank)")
    SCREEN = "screen", _("screen (perforated)")
    SEAL = "seal", _("surface seal")
    GRAVEL_PACK = "gravel_pack", _("gravel pack")


class HydroRole(models.TextChoices):
    AQUIFER = "aquifer", _("aquifer")
    AQUITARD = "aquitard", _("aquitard")
    UNKNOWN = "unknown", _("unknown")


class PumpingTestKind(models.TextChoices):
    STEP = "step", _("step-drawdown")
    CONSTANT_RATE = "constant_rate", _("constant rate")
    RECOVERY = "recovery", _("recovery")
