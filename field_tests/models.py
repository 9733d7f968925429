"""Analyses of field tests: each a version with the parameters it used and its result.

A steward who changes a parameter (a TRT fit window) makes a new version; the old ones stay.
An analysis is exactly as public as the borehole and the record it was made from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.querysets import RegionScopedQuerySet
from ingest.models import released_record_q
from wells.models import GroundwaterFlowReading


class AnalysisKind(models.TextChoices):
    TRT = "trt", _("thermal response test (line source)")
    STEP_TEST = "step_test", _("step-drawdown test")
    CONSTANT_RATE = "constant_rate", _("constant-rate test (Cooper–Jacob)")
    TEMPERATURE_LOG = "temperature_log", _("temperature log")
    GROUNDWATER_FLOW = "groundwater_flow", _("groundwater flow readings")
    WATER_CHEMISTRY = "water_chemistry", _("water chemistry")


class AnalysisQuerySet(RegionScopedQuerySet["FieldTestAnalysis"]):
    def release_filter(self) -> Q:
        """Released when its borehole and the record it analysed are (each with its batch); a
        borehole's flow analysis while any of its flow readings is."""
        flow_readings = GroundwaterFlowReading.objects.released().filter(
            borehole=OuterRef("borehole")
        )
        source_released = (
            released_record_q("thermal_response_test")
            | released_record_q("pumping_test")
            | released_record_q("temperature_log")
            | released_record_q("water_chemistry_sample")
            | (Q(kind=AnalysisKind.GROUNDWATER_FLOW) & Exists(flow_readings))
        )
        return released_record_q("borehole") & source_released


class FieldTestAnalysis(models.Model):
    region = models.ForeignKey(
        "core.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    borehole = models.ForeignKey(
        "wells.Borehole",
        on_delete=models.CASCADE,
        related_name="analyses",
        verbose_name=_("borehole"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AnalysisKind)
    thermal_response_test = models.ForeignKey(
        "wells.ThermalResponseTest", on_delete=models.CASCADE, null=True, blank=True
    )
    pumping_test = models.ForeignKey(
        "wells.PumpingTest", on_delete=models.CASCADE, null=True, blank=True
    )
    temperature_log = models.ForeignKey(
        "wells.TemperatureLog", on_delete=models.CASCADE, null=True, blank=True
    )
    water_chemistry_sample = models.ForeignKey(
        "wells.WaterChemistrySample", on_delete=models.CASCADE, null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current"), default=True)
    method = models.CharField(_("method"), max_length=200)
    parameters = models.JSONField(
        _("parameters"), default=dict, help_text=_("Every setting the result depends on (SI).")
    )
    result = models.JSONField(_("result"), default=dict, help_text=_("SI units."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        verbose_name = _("field-test analysis")
        verbose_name_plural = _("field-test analyses")
        ordering = ["borehole", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "borehole",
                    "kind",
                    "thermal_response_test",
                    "pumping_test",
                    "temperature_log",
                    "water_chemistry_sample",
                    "version",
                ],
                name="analysis_version",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.borehole} {self.kind} v{self.version}"

    @property
    def source_id(self) -> int | None:
        """The id of the record analysed (None for a borehole's flow readings)."""
        return (
            self.thermal_response_test_id
            or self.pumping_test_id
            or self.temperature_log_id
            or self.water_chemistry_sample_id
        )

    @property
    def source_filter(self) -> dict[str, object]:
        """The lookup that finds every version of this analysis."""
        return {
            "borehole": self.borehole_id,
            "kind": self.kind,
            "thermal_response_test": self.thermal_response_test_id,
            "pumping_test": self.pumping_test_id,
            "temperature_log": self.temperature_log_id,
            "water_chemistry_sample": self.water_chemistry_sample_id,
        }
