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


class Lithology(models.TextChoices):
    """Lithology classes of the geological columns, matched to the thermal-property table."""

    FILL = "fill", _("fill / made ground")
    TOPSOIL = "topsoil", _("topsoil")
    PEAT = "peat", _("peat")
    CLAY = "clay", _("clay")
    SILT = "silt", _("silt")
    LOAM = "loam", _("loam")
    LOESS = "loess", _("loess")
    SAND = "sand", _("sand")
    GRAVEL = "gravel", _("gravel")
    SANDY_GRAVEL = "sandy_gravel", _("sandy gravel")
    COBBLES = "cobbles", _("cobbles and boulders")
    PUMICE = "pumice", _("pumice / volcanic ash")
    MUDSTONE = "mudstone", _("mudstone / siltstone")
    SANDSTONE = "sandstone", _("sandstone")
    CONGLOMERATE = "conglomerate", _("conglomerate")
    LIMESTONE = "limestone", _("limestone")
    TUFF = "tuff", _("tuff")
    ANDESITE = "andesite", _("andesite")
    BASALT = "basalt", _("basalt")
    GRANITE = "granite", _("granite")
    SCHIST = "schist", _("schist / phyllite")
    GNEISS = "gneiss", _("gneiss")
    WEATHERED_ROCK = "weathered_rock", _("weathered rock")
    UNCLASSIFIED = "unclassified", _("unclassified")


class HydroRole(models.TextChoices):
    AQUIFER = "aquifer", _("aquifer")
    AQUITARD = "aquitard", _("aquitard")
    UNKNOWN = "unknown", _("unknown")


class PumpingTestKind(models.TextChoices):
    STEP = "step", _("step-drawdown")
    CONSTANT_RATE = "constant_rate", _("constant rate")
    RECOVERY = "recovery", _("recovery")
