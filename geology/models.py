"""Geological units (map polygons) and the thermal properties of each lithology."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from geology.choices import Lithology
from ingest.models import SurveyRecord


class GeologicalUnit(SurveyRecord):
    """A mapped geological unit (e.g. Ryukyu Group limestone), schematic or surveyed."""

    code = models.CharField(_("code"), max_length=60)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_tg = models.CharField(_("name (Tajik)"), max_length=200, blank=True)
    age = models.CharField(_("age"), max_length=100, blank=True)
    dominant_lithology = models.CharField(
        _("dominant lithology"), max_length=20, choices=Lithology, blank=True
    )
    geometry = models.MultiPolygonField(_("geometry"), srid=4326, null=True, blank=True)
    is_schematic = models.BooleanField(
        _("schematic"), default=False, help_text=_("Drawn from a description, not a survey map.")
    )

    class Meta:
        verbose_name = _("geological unit")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unit_code_per_region"),
        ]

    def __str__(self) -> str:
        return self.name_en or self.code


class LithologyThermalProperty(models.Model):
    """Thermal conductivity and volumetric heat capacity of a lithology, with their source."""

    lithology = models.CharField(_("lithology"), max_length=20, choices=Lithology, unique=True)
    conductivity_min_w_per_m_k = models.FloatField(_("λ min"), help_text=_("W/(m·K)"))
    conductivity_typical_w_per_m_k = models.FloatField(_("λ typical"), help_text=_("W/(m·K)"))
    conductivity_max_w_per_m_k = models.FloatField(_("λ max"), help_text=_("W/(m·K)"))
    volumetric_heat_capacity_j_per_m3_k = models.FloatField(
        _("volumetric heat capacity"), help_text=_("J/(m³·K)")
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("lithology thermal property")
        verbose_name_plural = _("lithology thermal properties")
        ordering = ["lithology"]
        constraints = [
            models.CheckConstraint(
                condition=Q(conductivity_min_w_per_m_k__gt=0)
                & Q(conductivity_min_w_per_m_k__lte=F("conductivity_typical_w_per_m_k"))
                & Q(conductivity_typical_w_per_m_k__lte=F("conductivity_max_w_per_m_k")),
                name="lithology_lambda_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.get_lithology_display()
