"""Map layers: one COG per version, and the row that says what it is and where it came from."""

from __future__ import annotations

from typing import Self

from django.contrib.gis.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.querysets import RegionScopedQuerySet
from ingest.models import SurveyRecord, released_batch_q
from potential_map.choices import LayerKind
from reference.models import Provenance


class MapLayerQuerySet(RegionScopedQuerySet["MapLayer"]):
    def release_filter(self) -> Q:
        """Published, current, and made only of inputs that are still published.

        A superseded version is history for the region's stewards, never public. A layer one of
        whose input batches was withdrawn or rolled back since it was computed still carries
        those rows (in its cells and its definition): it is hidden until the recompute that the
        withdrawal queues replaces it.
        """
        through = self.model.input_batches.through
        stale_inputs = through.objects.filter(maplayer=OuterRef("pk")).exclude(
            released_batch_q("importbatch")
        )
        return Q(published=True, is_current=True) & ~Exists(stale_inputs)

    def with_public_flag(self) -> Self:
        """Each layer with `is_public`: whether anonymous users see it (for cache headers and
        the COG link), in the same query."""
        public = self.model.objects.public().filter(pk=OuterRef("pk"))
        return self.annotate(is_public=Exists(public))


class MapLayer(models.Model):
    """A computed raster of a region: its file, units, definition, inputs and version.

    Exactly one version per (region, kind) is current; a recomputation writes a new file and
    switches `is_current` in one transaction, so the published map is replaced only by a
    complete one. Older versions stay (with their files) as the layer's history.
    """

    region = models.ForeignKey(
        "core.Region", on_delete=models.CASCADE, related_name="map_layers", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=LayerKind)
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current"), default=False)
    published = models.BooleanField(_("published"), default=False)
    units = models.CharField(_("units"), max_length=30, help_text=_("SI unit of the values"))
    definition = models.JSONField(
        _("definition"),
        default=dict,
        help_text=_("What the number means: statistic, mode, parameters, method and version."),
    )
    method = models.CharField(_("method"), max_length=100)
    bands = models.JSONField(_("bands"), default=list, help_text=_("e.g. [p50, p10, p90]"))
    cog_path = models.CharField(_("file"), max_length=500)
    value_min = models.FloatField(_("smallest value"), null=True, blank=True)
    value_max = models.FloatField(_("largest value"), null=True, blank=True)
    colormap = models.CharField(_("colour map"), max_length=30, default="viridis")
    crs_epsg = models.PositiveIntegerField(_("CRS (EPSG)"))
    resolution_m = models.FloatField(_("resolution"), help_text=_("Cell size, m."))
    extent = models.PolygonField(
        _("extent"), srid=4326, null=True, blank=True, help_text=_("The grid's outline, WGS84.")
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    inputs = models.JSONField(
        _("inputs"), default=dict, help_text=_("Boreholes, batches and layers it was made from.")
    )
    input_batches = models.ManyToManyField(
        "ingest.ImportBatch", blank=True, related_name="map_layers", verbose_name=_("input batches")
    )
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("job")
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    objects = MapLayerQuerySet.as_manager()

    class Meta:
        verbose_name = _("map layer")
        ordering = ["region", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "version"], name="map_layer_version"),
            # One current version per kind: the switch is one transaction.
            models.UniqueConstraint(
                fields=["region", "kind"],
                condition=Q(is_current=True),
                name="map_layer_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.code} {self.kind} v{self.version}"


class ClimateStation(SurveyRecord):
    """A climate station of a region: where it is, how high, and its mean annual air temperature.

    The ground-temperature layer is kriged from these stations (T0 = air temperature + the ground
    offset, potential_map.domain.ground_temperature). It lives here, not in `reference` beside
    the climate normals: a station is survey data of the region, uploaded and rolled back as a
    batch (ingest.SurveyRecord: region, batch, published, source), and `reference` stands below
    `ingest` in the import-linter layers, so it cannot hold a row of ingest's batches nor
    register an upload kind; the maps are what read the stations.
    """

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("local name"), max_length=200, blank=True)
    location = models.PointField(_("location"), srid=4326)
    elevation_m = models.FloatField(_("elevation"), help_text=_("Above sea level, m."))
    annual_mean_air_temperature_k = models.FloatField(
        _("annual mean air temperature"), help_text=_("K")
    )
    period = models.CharField(_("period"), max_length=20, blank=True, help_text="1991–2020")
    temperature_provenance = models.CharField(
        _("provenance of the temperature"), max_length=12, choices=Provenance
    )
    temperature_source = models.CharField(_("source of the temperature"), max_length=300)
    location_provenance = models.CharField(
        _("provenance of the location"), max_length=12, choices=Provenance
    )
    location_source = models.CharField(_("source of the location"), max_length=300)

    class Meta:
        verbose_name = _("climate station")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="climate_station_code"),
        ]

    def __str__(self) -> str:
        return self.name or self.code
