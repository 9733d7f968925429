"""Reference data that varies by region or year: factors, climate normals, groundwater rules.

Every row carries its source and a provenance label (Provenance: stated in the source, computed
from its numbers, inferred, literature, external public data), so a number is never shown
without where it came from. Values are SI; the unit is written beside each value.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reference.domain.economics import subsidy


class Provenance(models.TextChoices):
    SOURCE = "source", _("stated in the source")
    COMPUTED = "computed", _("computed from the source's numbers")
    INFERRED = "inferred", _("inferred (a design assumption)")
    LITERATURE = "literature", _("literature; check before citing")
    EXTERNAL = "external", _("external public data")


class ReferenceValue(models.Model):
    """A versioned factor: emission factor, heating value, efficiency, tariff, ... (SI)."""

    key = models.SlugField(_("key"), max_length=80, help_text=_("e.g. grid_co2_kg_per_j"))
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reference_values",
        verbose_name=_("region"),
        help_text=_("Empty: applies to the whole country."),
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=40, help_text=_("SI unit of the value"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    provenance = models.CharField(_("provenance"), max_length=12, choices=Provenance)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("reference value")
        ordering = ["country", "key", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "country", "region", "valid_from", "source"],
                name="reference_value_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="reference_value_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value:g} {self.unit} ({self.country})"


class ClimateNormal(models.Model):
    """Climate normals of a station (air temperatures in K)."""

    region = models.ForeignKey(
        "core.Region", on_delete=models.CASCADE, related_name="climate_normals"
    )
    station = models.CharField(_("station"), max_length=100)
    station_ja = models.CharField(_("station (Japanese)"), max_length=100, blank=True)
    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 1981–2010"))
    annual_mean_air_temperature_k = models.FloatField(_("annual mean air temperature"))
    warmest_month_mean_daily_max_k = models.FloatField(
        _("warmest month mean daily maximum"), null=True, blank=True
    )
    coldest_month_mean_daily_min_k = models.FloatField(
        _("coldest month mean daily minimum"), null=True, blank=True
    )
    monthly_mean_air_temperature_k = ArrayField(
        models.FloatField(),
        size=12,
        null=True,
        blank=True,
        verbose_name=_("monthly mean air temperatures"),
        help_text=_("January to December, K: the design estimate's degree-days come from them."),
    )
    provenance = models.CharField(_("provenance"), max_length=12, choices=Provenance)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("climate normal")
        ordering = ["region", "station"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "station", "period"], name="climate_normal_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.period}"


class GroundwaterRuleMethod(models.TextChoices):
    NOTIFICATION = "notification", _("notification needed")
    APPLICATION = "application", _("application and permit needed")
    PROHIBITION = "prohibition", _("prohibited")
    INFORMATION = "information", _("for information")


class GroundwaterRule(models.Model):
    """A groundwater-abstraction rule, as data: who it binds, where, and its legal source.

    It feeds the constraint layer (open loop): municipalities by their code, with the parts a
    rule excludes written out (former municipalities are not in today's boundaries).
    """

    region = models.ForeignKey(
        "core.Region", on_delete=models.CASCADE, related_name="groundwater_rules"
    )
    code = models.SlugField(_("code"), max_length=80)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=100)
    instrument = models.CharField(_("instrument"), max_length=200, help_text=_("the ordinance"))
    enacted = models.CharField(_("enacted"), max_length=20, blank=True, help_text="YYYY-MM")
    method = models.CharField(_("method"), max_length=14, choices=GroundwaterRuleMethod)
    municipality_codes = ArrayField(
        models.CharField(max_length=5),
        verbose_name=_("municipality codes"),
        help_text=_("JIS codes (N03_007) of the municipalities where it applies"),
    )
    coverage = models.CharField(
        _("coverage"), max_length=400, blank=True, help_text=_("where it applies, in words")
    )
    excluded_former_municipalities = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        verbose_name=_("excluded former municipalities"),
        help_text=_("Parts of the listed municipalities where it does not apply (as of 2004)."),
    )
    min_outlet_area_m2 = models.FloatField(
        _("smallest outlet cross-section bound"),
        null=True,
        blank=True,
        help_text=_("Wells with a discharge outlet larger than this are bound, m²."),
    )
    buffer_m = models.FloatField(
        _("buffer"), null=True, blank=True, help_text=_("Distance from a protected source, m.")
    )
    exemptions = models.TextField(_("exemptions"), blank=True)
    duties = models.TextField(_("duties"), blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("groundwater rule")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="groundwater_rule_code"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.get_method_display()}"


class EnergyCarrier(models.TextChoices):
    ELECTRICITY = "electricity", _("electricity")
    KEROSENE = "kerosene", _("kerosene")
    LPG = "lpg", _("LPG")
    COAL = "coal", _("coal")


class Baseline(models.Model):
    """A conventional system ground heat replaces, with its efficiency (COP or η, ratio)."""

    class Mode(models.TextChoices):
        HEATING = "heating", _("heating")
        COOLING = "cooling", _("cooling")

    region = models.ForeignKey("core.Region", on_delete=models.CASCADE, related_name="baselines")
    code = models.SlugField(_("code"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_tg = models.CharField(_("name (Tajik)"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode)
    carrier = models.CharField(_("energy carrier"), max_length=12, choices=EnergyCarrier)
    efficiency = models.FloatField(
        _("efficiency"), help_text=_("Heat delivered per energy bought: COP or η, a ratio.")
    )
    is_default = models.BooleanField(_("default"), default=False)
    provenance = models.CharField(_("provenance"), max_length=12, choices=Provenance)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("baseline system")
        ordering = ["region", "mode", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="baseline_code"),
            models.CheckConstraint(condition=Q(efficiency__gt=0), name="baseline_efficiency_gt_0"),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        """The name in the active language, falling back to English (the "Replaces" options of
        the estimate form showed `name`, which did not exist: blank labels in every language)."""
        language = (get_language() or "en").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_en


class SubsidyProgramme(models.Model):
    """A subsidy as a rule: subsidy = min(rate × eligible cost, cap)."""

    region = models.ForeignKey("core.Region", on_delete=models.CASCADE, related_name="subsidies")
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    body = models.CharField(_("body"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    rate = models.FloatField(
        _("rate"), null=True, blank=True, help_text=_("Share of the eligible cost, 0–1.")
    )
    cap = models.FloatField(_("cap"), null=True, blank=True, help_text=_("Per project."))
    currency = models.CharField(_("currency"), max_length=3)
    eligible_costs = models.CharField(_("eligible costs"), max_length=200, blank=True)
    applicants = models.CharField(_("applicants"), max_length=200, blank=True)
    closed_loop = models.CharField(_("closed loop"), max_length=40, blank=True)
    open_loop = models.CharField(_("open loop"), max_length=40, blank=True)
    provenance = models.CharField(_("provenance"), max_length=12, choices=Provenance)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("subsidy programme")
        ordering = ["region", "fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="subsidy_code"),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | (Q(rate__gt=0) & Q(rate__lte=1)),
                name="subsidy_rate_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def amount(self, eligible_cost: float) -> float:
        """The subsidy for `eligible_cost` (see reference.domain.economics.subsidy)."""
        return float(subsidy(eligible_cost, self.rate, self.cap))


class ReferenceSystem(models.Model):
    """A built system whose measured or rated numbers serve as a reference (e.g. Tamamura)."""

    region = models.ForeignKey(
        "core.Region", on_delete=models.CASCADE, related_name="reference_systems"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    configuration = models.CharField(_("configuration"), max_length=300)
    borehole_count = models.PositiveSmallIntegerField(_("boreholes"), null=True, blank=True)
    borehole_length_m = models.FloatField(_("borehole length"), null=True, blank=True)
    heat_rate_w = models.FloatField(_("heat rate"), null=True, blank=True, help_text="W")
    conductivity_w_per_m_k = models.FloatField(
        _("ground thermal conductivity (TRT)"), null=True, blank=True, help_text="W/(m·K)"
    )
    provenance = models.CharField(_("provenance"), max_length=12, choices=Provenance)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("reference system")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="reference_system_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def specific_rate_w_per_m(self) -> float | None:
        """Heat rate per metre of borehole (W/m): rated or measured, not an extraction rate."""
        if not (self.heat_rate_w and self.borehole_count and self.borehole_length_m):
            return None
        return self.heat_rate_w / (self.borehole_count * self.borehole_length_m)
