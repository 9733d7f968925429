"""Running ground-source systems, their sensors and time series, and the alerts they raise.

SI units in storage: K, J (energy per reading interval), W, m³/s, m (heads as elevations), m³,
s (run time per reading interval). Files and the API may give other units; they are converted
at the edge (core.lib.units). Reads go through `Model.objects.visible_to(user)`: a system is as
public as its `published` flag and its region; sensors, readings and alerts follow their system.
"""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.querysets import RegionScopedQuerySet
from ingest.models import ImportBatch


class Loop(models.TextChoices):
    CLOSED = "closed", _("closed loop (borehole heat exchangers)")
    OPEN = "open", _("open loop (groundwater wells)")


class WellRole(models.TextChoices):
    PUMPING = "pumping", _("pumping well")
    REINJECTION = "reinjection", _("reinjection well")
    OBSERVATION = "observation", _("observation well")
    HEAT_EXCHANGER = "heat_exchanger", _("borehole heat exchanger")


class Measures(models.TextChoices):
    """What a sensor measures. The dimension decides the SI unit it is stored in; energies and
    run times are amounts per reading (summed over a period), the rest are states (averaged)."""

    HP_HEAT = "hp_heat", _("heat produced by the heat pump, Q_HP (J per reading)")
    HP_ELECTRICITY = "hp_electricity", _("heat-pump electricity, W_HP (J per reading)")
    PRIMARY_PUMP_ELECTRICITY = (
        "primary_pump_electricity",
        _("primary circulation pump electricity (J per reading)"),
    )
    WELL_PUMP_ELECTRICITY = "well_pump_electricity", _("well pump electricity (J per reading)")
    INDOOR_ELECTRICITY = "indoor_electricity", _("indoor units electricity (J per reading)")
    PRIMARY_HEAT = "primary_heat", _("primary (brine) side heat, Q_1 (J per reading)")
    WELL_HEAT = "well_heat", _("groundwater side heat, Q_well (J per reading)")
    HP_RUN_TIME = "hp_run_time", _("heat-pump run time (s per reading)")
    WELL_PUMP_RUN_TIME = "well_pump_run_time", _("well pump run time (s per reading)")
    FORCED_DRAINAGE = "forced_drainage", _("forced drainage volume (m³ per reading)")
    GROUNDWATER_HEAD = "groundwater_head", _("groundwater head (m, elevation)")
    GROUND_TEMPERATURE = "ground_temperature", _("ground temperature (K)")
    FLUID_TEMPERATURE = "fluid_temperature", _("heat-carrier fluid temperature (K)")
    WATER_TEMPERATURE = "water_temperature", _("groundwater temperature (K)")
    FLOW = "flow", _("flow rate (m³/s)")


# Dimension (core.lib.units) of each measured quantity, and whether a period sums or averages it.
DIMENSION = {
    Measures.HP_HEAT: "energy_j",
    Measures.HP_ELECTRICITY: "energy_j",
    Measures.PRIMARY_PUMP_ELECTRICITY: "energy_j",
    Measures.WELL_PUMP_ELECTRICITY: "energy_j",
    Measures.INDOOR_ELECTRICITY: "energy_j",
    Measures.PRIMARY_HEAT: "energy_j",
    Measures.WELL_HEAT: "energy_j",
    Measures.HP_RUN_TIME: "time_s",
    Measures.WELL_PUMP_RUN_TIME: "time_s",
    Measures.FORCED_DRAINAGE: "volume_m3",
    Measures.GROUNDWATER_HEAD: "length_m",
    Measures.GROUND_TEMPERATURE: "temperature_k",
    Measures.FLUID_TEMPERATURE: "temperature_k",
    Measures.WATER_TEMPERATURE: "temperature_k",
    Measures.FLOW: "flow_m3_per_s",
}


class Mode(models.TextChoices):
    COOLING = "cooling", _("cooling")
    HEATING = "heating", _("heating")


class SystemQuerySet(RegionScopedQuerySet["GroundSourceSystem"]):
    """A system is public when it and its region are published (the gate adds the region)."""


class GroundSourceSystem(models.Model):
    """An installed GSHP system that reports measurements (ETV-052-2101 is the model case)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="systems", verbose_name=_("region")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    loop = models.CharField(_("loop"), max_length=8, choices=Loop.choices)
    location = models.PointField(_("location"), srid=4326, help_text=_("WGS84 lon/lat."))
    heat_pump_model = models.CharField(_("heat-pump model"), max_length=200, blank=True)
    rated_cooling_capacity_w = models.FloatField(
        _("rated cooling capacity"), null=True, blank=True, help_text=_("W.")
    )
    rated_heating_capacity_w = models.FloatField(
        _("rated heating capacity"), null=True, blank=True, help_text=_("W.")
    )
    heat_carrier = models.CharField(
        _("heat carrier"),
        max_length=100,
        blank=True,
        help_text=_("e.g. water, propylene glycol 30 wt %."),
    )
    borehole_spacing_m = models.FloatField(
        _("borehole spacing"), null=True, blank=True, help_text=_("Closed loop, m.")
    )
    commissioned_on = models.DateField(_("commissioned on"), null=True, blank=True)
    settings = models.JSONField(
        _("monitoring settings"),
        default=dict,
        blank=True,
        help_text=_(
            "Overrides of the rule parameters, SI: freeze_window_s, backwash_manage_s, "
            "backwash_max_s, backwash_time (HH:MM), balance_tolerance."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("The series are made up to match a source.")
    )
    published = models.BooleanField(_("published"), default=False)
    token_hash = models.CharField(
        _("API token (SHA-256)"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Only the hash is stored; the token is shown once, when made."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SystemQuerySet.as_manager()

    class Meta:
        verbose_name = _("ground-source system")
        verbose_name_plural = _("ground-source systems")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="system_code_per_region"),
        ]

    def __str__(self) -> str:
        return self.name or self.code

    def new_token(self) -> str:
        """Make a new append token, store its hash and return it (shown once)."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hashlib.sha256(token.encode()).hexdigest()
        self.save(update_fields=["token_hash"])
        return token

    def token_matches(self, token: str) -> bool:
        if not self.token_hash or not token:
            return False
        digest = hashlib.sha256(token.encode()).hexdigest()
        return secrets.compare_digest(digest, self.token_hash)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The region's time zone: days, the backwash hour and periods are local."""
        return zoneinfo.ZoneInfo(self.region.time_zone)

    def rated_capacity_w(self, mode: str) -> float | None:
        return (
            self.rated_cooling_capacity_w if mode == Mode.COOLING else self.rated_heating_capacity_w
        )


class _SystemChildQuerySet(RegionScopedQuerySet):
    """Sensors, wells, periods and alerts follow their system (and its region)."""

    region_lookup = "system__region"

    def release_filter(self) -> Q:
        return Q(system__published=True)


class SystemWell(models.Model):
    """A well or borehole a system uses, in one role from `valid_from` (ETV: Y-2/Y-3 swap)."""

    system = models.ForeignKey(
        GroundSourceSystem, on_delete=models.CASCADE, related_name="wells", verbose_name=_("system")
    )
    label = models.CharField(_("label"), max_length=60)
    borehole = models.ForeignKey(
        "wells.Borehole",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="system_roles",
        verbose_name=_("borehole record"),
    )
    role = models.CharField(_("role"), max_length=20, choices=WellRole.choices)
    valid_from = models.DateField(_("in this role from"))

    objects = _SystemChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("system well")
        verbose_name_plural = _("system wells")
        ordering = ["system", "valid_from", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "label", "valid_from"], name="system_well_role_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.role})"


class Sensor(models.Model):
    """One measured quantity of a system, stored in SI (see Measures and DIMENSION)."""

    system = models.ForeignKey(
        GroundSourceSystem,
        on_delete=models.CASCADE,
        related_name="sensors",
        verbose_name=_("system"),
    )
    code = models.CharField(
        _("code"), max_length=60, help_text=_("The column name in import files and the API.")
    )
    measures = models.CharField(_("measures"), max_length=30, choices=Measures.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)
    well_label = models.CharField(
        _("well"), max_length=60, blank=True, help_text=_("The system well it sits in, if any.")
    )
    position = models.CharField(
        _("position"), max_length=100, blank=True, help_text=_("e.g. HX well side outlet.")
    )
    depth_m = models.FloatField(
        _("depth"), null=True, blank=True, help_text=_("Below ground level, m.")
    )
    interval_s = models.PositiveIntegerField(
        _("logging interval"), default=60, help_text=_("Seconds between readings.")
    )

    objects = _SystemChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        ordering = ["system", "code"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="sensor_code_per_system"),
        ]

    def __str__(self) -> str:
        return f"{self.system.code}/{self.code}"

    @property
    def dimension(self) -> str:
        return DIMENSION[Measures(self.measures)]


class MonitoringPeriod(models.Model):
    """A reporting period as in ETV-052-2101 tbl 7-3: inclusive dates, minus missing days."""

    system = models.ForeignKey(
        GroundSourceSystem,
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("system"),
    )
    name = models.CharField(_("name"), max_length=100)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"), help_text=_("Inclusive."))
    missing_days = models.PositiveIntegerField(_("missing days"), default=0)
    criterion_scop = models.FloatField(
        _("SCOP criterion"),
        null=True,
        blank=True,
        help_text=_(
            "Pass if the period SCOP is at least this (ETV tbl 5-2: 3.3 cooling, 2.2 heating)."
        ),
    )

    objects = _SystemChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring period")
        verbose_name_plural = _("monitoring periods")
        ordering = ["system", "start_date"]

    def __str__(self) -> str:
        return self.name


class SeriesImport(models.Model):
    """What an import batch of readings wrote: the system, the time range and how many rows.

    The readings themselves carry the batch id, so a rollback deletes exactly them.
    """

    batch = models.OneToOneField(
        ImportBatch, on_delete=models.CASCADE, related_name="series", verbose_name=_("batch")
    )
    system = models.ForeignKey(
        GroundSourceSystem,
        on_delete=models.CASCADE,
        related_name="imports",
        verbose_name=_("system"),
    )
    first_at = models.DateTimeField(_("first reading"), null=True, blank=True)
    last_at = models.DateTimeField(_("last reading"), null=True, blank=True)
    reading_count = models.PositiveBigIntegerField(_("readings"), default=0)

    class Meta:
        verbose_name = _("series import")
        verbose_name_plural = _("series imports")


class Reading(models.Model):
    """One reading, SI. The table is range-partitioned by year on `observed_at` (migration
    0002, raw SQL: Django does not declare partitions) with a BRIN index on (sensor,
    observed_at): rows arrive in time order per sensor, so a block range is tight on both."""

    pk = models.CompositePrimaryKey("sensor", "observed_at")
    sensor = models.ForeignKey(Sensor, on_delete=models.DO_NOTHING, db_constraint=False)
    observed_at = models.DateTimeField(_("observed at"))
    value = models.FloatField(_("value"), help_text=_("SI unit of the sensor's dimension."))
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.DO_NOTHING, db_constraint=False, null=True
    )

    class Meta:
        managed = False
        db_table = "monitoring_reading"


class ReadingHour(models.Model):
    """Hourly summary of one sensor's readings: what plots of long spans and the daily
    performance tables read instead of the raw series (kept in step by every write)."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="hours")
    hour = models.DateTimeField(_("hour (start, UTC)"))
    count = models.PositiveIntegerField(_("readings"))
    minimum = models.FloatField(_("minimum"), help_text=_("SI."))
    maximum = models.FloatField(_("maximum"), help_text=_("SI."))
    total = models.FloatField(_("sum"), help_text=_("SI; the mean is sum / readings."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sensor", "hour"], name="reading_hour_per_sensor"),
        ]


class Severity(models.TextChoices):
    INFO = "info", _("information")
    WARNING = "warning", _("warning")
    CRITICAL = "critical", _("critical")


class AlertRuleQuerySet(models.QuerySet["AlertRule"]):
    def for_system(self, system: GroundSourceSystem) -> AlertRuleQuerySet:
        return self.filter(enabled=True).filter(
            Q(system=system)
            | Q(system__isnull=True, region=system.region)
            | Q(system__isnull=True, region__isnull=True, loop__in=["", system.loop])
        )


class AlertRule(models.Model):
    """A rule as data: its kind and parameters (SI) are read by monitoring.domain.rules.

    A rule applies to one system, to every system of a region, or to every system of a loop.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    system = models.ForeignKey(
        GroundSourceSystem, on_delete=models.CASCADE, null=True, blank=True, related_name="rules"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True)
    loop = models.CharField(_("loop"), max_length=8, choices=Loop.choices, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = AlertRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """A finding of a rule on a system's data: open while the condition lasts."""

    system = models.ForeignKey(GroundSourceSystem, on_delete=models.CASCADE, related_name="alerts")
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    started_at = models.DateTimeField(_("condition from"))
    ended_at = models.DateTimeField(_("condition until"), null=True, blank=True)
    subject = models.CharField(
        _("subject"),
        max_length=100,
        blank=True,
        help_text=_("What the condition is about within its rule (a sensor, a check)."),
    )
    message = models.CharField(_("message"), max_length=300, help_text=_("msgid"))
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)
    notified_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = _SystemChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-started_at"]
        constraints = [
            # one alert per episode (monitoring.alerts._record); two sensors of one rule may
            # start freezing at the same reading
            models.UniqueConstraint(
                fields=["system", "rule", "subject", "started_at"], name="alert_once_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system.code}: {self.rule.name} from {self.started_at:%Y-%m-%d %H:%M}"


SERIES_KIND = "monitoring_series"  # ImportBatch.kind of a series file
