"""Boreholes and what was measured in them. SI units in every field (m, K, s, m³/s, W, S/m, kg/m³).

Every row carries region, the import batch that last wrote it, a published flag and its
provenance (ingest.models.SurveyRecord). Reads go through `Model.objects.visible_to(user)`; the
maps read `Model.objects.released()` (core.querysets says what each means).
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from geology.choices import Lithology
from ingest.models import SurveyRecord, SurveyRecordQuerySet, released_record_q
from wells.choices import BoreholePurpose, HydroRole, IntervalKind, PumpingTestKind


def _float_array(verbose_name: str, help_text: str) -> ArrayField:
    return ArrayField(models.FloatField(), verbose_name=verbose_name, help_text=help_text)


class Borehole(SurveyRecord):
    """A drilled hole: one survey point of the maps, with its log, levels, tests and chemistry."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200, blank=True)
    location = models.PointField(
        _("location"),
        srid=4326,
        null=True,
        blank=True,
        help_text=_("WGS84 lon/lat. May be empty until a steward places it (Yoshioka)."),
    )
    ground_elevation_m = models.FloatField(
        _("ground elevation"), null=True, blank=True, help_text=_("Above sea level, m.")
    )
    depth_m = models.FloatField(_("depth"), help_text=_("Drilled depth below ground level, m."))
    diameter_m = models.FloatField(
        _("diameter"), null=True, blank=True, help_text=_("Drilling diameter, m.")
    )
    drilled_on = models.DateField(_("drilled on"), null=True, blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=BoreholePurpose, default=BoreholePurpose.EXPLORATION
    )

    class Meta:
        verbose_name = _("borehole")
        verbose_name_plural = _("boreholes")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="borehole_code_per_region"),
            models.CheckConstraint(condition=Q(depth_m__gt=0), name="borehole_depth_gt_0"),
            models.CheckConstraint(
                condition=Q(diameter_m__isnull=True) | Q(diameter_m__gt=0),
                name="borehole_diameter_gt_0",
            ),
        ]
        indexes = [
            # Anonymous map views read published rows of one region; keep that scan small.
            models.Index(fields=["region"], condition=Q(published=True), name="borehole_published"),
        ]

    def __str__(self) -> str:
        return self.code


class BoreholeChildQuerySet(SurveyRecordQuerySet):
    """What was measured in a borehole: public when it, its batch, its borehole (with the
    borehole's batch) and its region are published. A withdrawn borehole hides its tests."""

    def release_filter(self) -> Q:
        return released_record_q() & released_record_q("borehole")


class _BoreholeChild(SurveyRecord):
    borehole = models.ForeignKey(
        Borehole, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("borehole")
    )

    objects = BoreholeChildQuerySet.as_manager()

    class Meta:
        abstract = True


class _DepthInterval(models.Model):
    top_m = models.FloatField(_("top"), help_text=_("Depth of the top below ground level, m."))
    bottom_m = models.FloatField(
        _("bottom"), help_text=_("Depth of the bottom below ground level, m.")
    )

    class Meta:
        abstract = True


class WellInterval(_BoreholeChild, _DepthInterval):
    """A casing, screen, seal or gravel-pack interval of a well."""

    kind = models.CharField(_("kind"), max_length=12, choices=IntervalKind)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("well interval")
        ordering = ["borehole", "top_m"]
        constraints = [
            models.CheckConstraint(condition=Q(top_m__gte=0), name="interval_top_gte_0"),
            models.CheckConstraint(
                condition=Q(top_m__lt=F("bottom_m")), name="interval_top_lt_bot"
            ),
            models.UniqueConstraint(
                fields=["borehole", "kind", "top_m"], name="interval_unique_per_borehole"
            ),
        ]


class GeologicalLayer(_BoreholeChild, _DepthInterval):
    """One layer of a borehole's geological column."""

    lithology = models.CharField(_("lithology"), max_length=20, choices=Lithology)
    lithology_text = models.CharField(
        _("lithology as logged"), max_length=200, blank=True, help_text=_("e.g. 粘土混じり砂礫")
    )
    geological_unit = models.ForeignKey(
        "geology.GeologicalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="layers",
        verbose_name=_("geological unit"),
    )
    hydro_role = models.CharField(
        _("hydrogeological role"), max_length=10, choices=HydroRole, default=HydroRole.UNKNOWN
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("geological layer")
        ordering = ["borehole", "top_m"]
        constraints = [
            models.CheckConstraint(condition=Q(top_m__gte=0), name="layer_top_gte_0"),
            models.CheckConstraint(
                condition=Q(top_m__lt=F("bottom_m")), name="layer_top_lt_bottom"
            ),
            models.UniqueConstraint(fields=["borehole", "top_m"], name="layer_unique_top"),
        ]


class GroundwaterLevel(_BoreholeChild):
    """One water-level reading in a borehole, tied to the aquifer it reflects."""

    measured_at = models.DateTimeField(_("measured at"))
    depth_to_water_m = models.FloatField(
        _("depth to water"), help_text=_("Below ground level, m (positive downwards).")
    )
    method = models.CharField(_("method"), max_length=100, blank=True)
    aquifer = models.CharField(_("aquifer"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("groundwater level")
        ordering = ["borehole", "measured_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["borehole", "measured_at"], name="level_unique_per_time"
            ),
        ]
        indexes = [
            # The borehole page plots a hole's levels in time order.
            models.Index(fields=["borehole", "measured_at"], name="level_borehole_time"),
        ]


class TemperatureLog(_BoreholeChild):
    """A temperature profile: depth → temperature pairs measured on one day."""

    measured_at = models.DateTimeField(_("measured at"))
    depths_m = _float_array(_("depths"), _("Below ground level, m, increasing."))
    temperatures_k = _float_array(_("temperatures"), _("Temperature at each depth, K."))
    instrument = models.CharField(_("instrument"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("temperature log")
        ordering = ["borehole", "measured_at"]
        constraints = [
            models.UniqueConstraint(fields=["borehole", "measured_at"], name="templog_unique"),
        ]


class WaterChemistrySample(_BoreholeChild):
    """A groundwater sample and its analysis. Concentrations in kg/m³ (= g/L; mg/L × 10⁻³).

    `qualifiers` marks censored values per field: {"copper_kg_per_m3": "<"} means below the
    detection limit stored in the field; "nd" means not detected (field left empty).
    """

    sampled_at = models.DateTimeField(_("sampled at"))
    depth_m = models.FloatField(_("depth"), null=True, blank=True, help_text=_("Sample depth, m."))
    water_temperature_k = models.FloatField(_("water temperature"), null=True, blank=True)
    ph = models.FloatField(_("pH"), null=True, blank=True)
    ph_temperature_k = models.FloatField(
        _("pH measured at"), null=True, blank=True, help_text=_("K")
    )
    electrical_conductivity_s_per_m = models.FloatField(
        _("electrical conductivity"), null=True, blank=True, help_text=_("At 25 °C, S/m.")
    )
    calcium_kg_per_m3 = models.FloatField(_("Ca²⁺"), null=True, blank=True, help_text="kg/m³")
    magnesium_kg_per_m3 = models.FloatField(_("Mg²⁺"), null=True, blank=True, help_text="kg/m³")
    sodium_kg_per_m3 = models.FloatField(_("Na⁺"), null=True, blank=True, help_text="kg/m³")
    potassium_kg_per_m3 = models.FloatField(_("K⁺"), null=True, blank=True, help_text="kg/m³")
    bicarbonate_kg_per_m3 = models.FloatField(_("HCO₃⁻"), null=True, blank=True, help_text="kg/m³")
    sulfate_kg_per_m3 = models.FloatField(_("SO₄²⁻"), null=True, blank=True, help_text="kg/m³")
    chloride_kg_per_m3 = models.FloatField(_("Cl⁻"), null=True, blank=True, help_text="kg/m³")
    nitrate_kg_per_m3 = models.FloatField(_("NO₃⁻"), null=True, blank=True, help_text="kg/m³")
    iron_kg_per_m3 = models.FloatField(_("Fe"), null=True, blank=True, help_text="kg/m³")
    manganese_kg_per_m3 = models.FloatField(_("Mn"), null=True, blank=True, help_text="kg/m³")
    copper_kg_per_m3 = models.FloatField(_("Cu"), null=True, blank=True, help_text="kg/m³")
    ammonium_kg_per_m3 = models.FloatField(_("NH₄⁺"), null=True, blank=True, help_text="kg/m³")
    ionic_silica_kg_per_m3 = models.FloatField(
        _("ionic SiO₂"), null=True, blank=True, help_text="kg/m³"
    )
    free_co2_kg_per_m3 = models.FloatField(_("free CO₂"), null=True, blank=True, help_text="kg/m³")
    total_hardness_kg_per_m3 = models.FloatField(
        _("total hardness"), null=True, blank=True, help_text=_("As CaCO₃, kg/m³.")
    )
    calcium_hardness_kg_per_m3 = models.FloatField(
        _("calcium hardness"), null=True, blank=True, help_text=_("As CaCO₃, kg/m³.")
    )
    acid_consumption_kg_per_m3 = models.FloatField(
        _("acid consumption (pH 4.8)"),
        null=True,
        blank=True,
        help_text=_("M-alkalinity as CaCO₃, kg/m³."),
    )
    stability_index = models.FloatField(_("stability index"), null=True, blank=True)
    qualifiers = models.JSONField(_("qualifiers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("water chemistry sample")
        ordering = ["borehole", "sampled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["borehole", "sampled_at", "depth_m"],
                name="chem_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(ph__isnull=True) | (Q(ph__gte=0) & Q(ph__lte=14)), name="chem_ph_0_14"
            ),
        ]


class GroundwaterFlowReading(_BoreholeChild):
    """One reading of a borehole flow meter: direction and velocity of groundwater at a depth."""

    measured_at = models.DateTimeField(_("measured at"))
    depth_m = models.FloatField(_("depth"), help_text=_("Below ground level, m."))
    reading = models.PositiveSmallIntegerField(
        _("reading"), help_text=_("Number of the reading in its run (1 = the start).")
    )
    direction_deg = models.FloatField(
        _("direction"), help_text=_("Azimuth the water flows towards, degrees from north.")
    )
    velocity_m_per_s = models.FloatField(_("velocity"), help_text=_("m/s"))

    class Meta:
        verbose_name = _("groundwater flow reading")
        ordering = ["borehole", "depth_m", "measured_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["borehole", "depth_m", "measured_at"], name="flow_reading_unique"
            ),
            models.CheckConstraint(
                condition=Q(direction_deg__gte=0) & Q(direction_deg__lt=360),
                name="flow_direction_0_360",
            ),
            models.CheckConstraint(
                condition=Q(velocity_m_per_s__gte=0), name="flow_velocity_gte_0"
            ),
        ]


class ThermalResponseTest(_BoreholeChild):
    """A thermal response test's raw series (heating a BHE, watching the fluid temperature)."""

    started_at = models.DateTimeField(_("started at"))
    active_length_m = models.FloatField(_("active length"), help_text=_("Heated BHE length, m."))
    time_s = _float_array(_("time"), _("Seconds since the start, increasing."))
    inlet_temperature_k = _float_array(_("inlet temperature"), _("K"))
    outlet_temperature_k = _float_array(_("outlet temperature"), _("K"))
    heating_power_w = _float_array(_("heating power"), _("W"))
    undisturbed_temperature_k = models.FloatField(
        _("undisturbed ground temperature"), null=True, blank=True, help_text=_("K")
    )

    class Meta:
        verbose_name = _("thermal response test")
        ordering = ["borehole", "started_at"]
        constraints = [
            models.UniqueConstraint(fields=["borehole", "started_at"], name="trt_unique"),
            models.CheckConstraint(condition=Q(active_length_m__gt=0), name="trt_length_gt_0"),
        ]


class PumpingTest(_BoreholeChild):
    """A step-drawdown, constant-rate or recovery test: rate and water level over time."""

    kind = models.CharField(_("kind"), max_length=14, choices=PumpingTestKind)
    started_at = models.DateTimeField(_("started at"))
    static_level_m = models.FloatField(
        _("static level"), null=True, blank=True, help_text=_("Depth to water before pumping, m.")
    )
    time_s = _float_array(_("time"), _("Seconds since the start, increasing."))
    rate_m3_per_s = _float_array(_("pumping rate"), _("m³/s"))
    level_m = _float_array(_("water level"), _("Depth to water below ground level, m."))
    aquifer_thickness_m = models.FloatField(
        _("aquifer thickness"), null=True, blank=True, help_text=_("m")
    )

    class Meta:
        verbose_name = _("pumping test")
        ordering = ["borehole", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["borehole", "kind", "started_at"], name="pumpingtest_unique"
            ),
        ]
