"""Controlled vocabularies of geology. Values are stored; labels are translated."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
