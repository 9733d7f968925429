from __future__ import annotations

import json
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import FiniteFloatField
from potential_map import presentation
from potential_map.choices import GROUP_OF_KIND
from potential_map.models import MapLayer
from potential_map.services import PARCEL_MAX_AREA_M2

PARCEL_MAX_VERTICES = 5000


class PointQuerySerializer(serializers.Serializer):
    """?lat=&lon= in WGS84 degrees."""

    lat = FiniteFloatField(min_value=-90, max_value=90)
    lon = FiniteFloatField(min_value=-180, max_value=180)


def _parcel_geometry(body: object) -> tuple[object | None, str | None]:
    """A GEOS (multi)polygon in WGS84 from a GeoJSON geometry, Feature or one-feature
    FeatureCollection; or the reason it is not one (translated)."""
    from django.contrib.gis.gdal import GDALException
    from django.contrib.gis.geos import GEOSException, GEOSGeometry

    if isinstance(body, dict) and body.get("type") == "FeatureCollection":
        features = body.get("features") or []
        if not isinstance(features, list) or len(features) != 1:
            return None, _("Send one parcel: a FeatureCollection with exactly one feature.")
        body = features[0]
    if isinstance(body, dict) and body.get("type") == "Feature":
        body = body.get("geometry")
    if not isinstance(body, dict) or body.get("type") not in ("Polygon", "MultiPolygon"):
        return None, _("The parcel must be a GeoJSON Polygon or MultiPolygon (WGS84 lon, lat).")
    try:
        geometry = GEOSGeometry(json.dumps(body), srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError):
        return None, _("The parcel's GeoJSON could not be read as a polygon.")
    if geometry.empty:
        return None, _("The parcel's GeoJSON could not be read as a polygon.")
    if geometry.num_coords > PARCEL_MAX_VERTICES:
        return None, _("The parcel has more than %(count)s vertices.") % {
            "count": PARCEL_MAX_VERTICES
        }
    west, south, east, north = geometry.extent
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None, _("The parcel's coordinates must be lon within ±180 and lat within ±90.")
    if not geometry.valid:
        return None, _("The parcel is not a valid polygon: %(reason)s.") % {
            "reason": geometry.valid_reason
        }
    return geometry, None


def parcel_in_metres(geometry: Any) -> Any:
    """The parcel as a shapely geometry in metres, on an azimuthal equidistant projection
    centred on it (area within 0.1 % for parcels of a few km; no region's CRS needed)."""
    import numpy as np
    import shapely
    from pyproj import Transformer

    centre = geometry.centroid
    local = f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m"
    transformer = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    return shapely.transform(
        shapely.from_wkb(bytes(geometry.wkb)),
        lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])),
    )


@extend_schema_field(
    {
        "type": "object",
        "description": "A GeoJSON Polygon or MultiPolygon (WGS84 lon, lat), or a Feature or "
        "one-feature FeatureCollection holding one",
        "properties": {"type": {"type": "string"}, "coordinates": {"type": "array"}},
        "required": ["type"],
    }
)
class ParcelField(serializers.Field):
    """A parcel: GeoJSON (Multi)Polygon, Feature or one-feature FeatureCollection in WGS84,
    valid, at most PARCEL_MAX_VERTICES vertices and PARCEL_MAX_AREA_M2 (10 km²). Gives the
    GEOS geometry, with `area_m2` and `bounds_m` (width, height) of its metric shape."""

    def to_internal_value(self, data: Any) -> Any:
        geometry, problem = _parcel_geometry(data)
        if problem:
            raise serializers.ValidationError(problem)
        metric = parcel_in_metres(geometry)
        if metric.area > PARCEL_MAX_AREA_M2:
            raise serializers.ValidationError(
                _("The parcel is larger than %(limit)s km² (%(area)s km²).")
                % {"limit": f"{PARCEL_MAX_AREA_M2 / 1e6:g}", "area": f"{metric.area / 1e6:.3g}"}
            )
        west, south, east, north = metric.bounds
        geometry.area_m2 = metric.area
        geometry.bounds_m = (east - west, north - south)
        return geometry

    def to_representation(self, value: Any) -> Any:
        return json.loads(value.geojson)


class MapLayerSerializer(serializers.ModelSerializer[MapLayer]):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tiles = serializers.SerializerMethodField()
    cog = serializers.SerializerMethodField()
    legend = serializers.SerializerMethodField()
    label = serializers.CharField(source="get_kind_display", read_only=True)
    group = serializers.SerializerMethodField()
    group_label = serializers.SerializerMethodField()
    display_units = serializers.SerializerMethodField()

    class Meta:
        model = MapLayer
        fields = (
            "id",
            "region",
            "kind",
            "label",
            "group",
            "group_label",
            "version",
            "units",
            "display_units",
            "method",
            "definition",
            "bands",
            "value_min",
            "value_max",
            "colormap",
            "crs_epsg",
            "resolution_m",
            "width",
            "height",
            "computed_at",
            "published",
            "tiles",
            "legend",
            "cog",
        )
        read_only_fields = fields

    def get_group(self, layer: MapLayer) -> str:
        return str(GROUP_OF_KIND[layer.kind].value)

    def get_group_label(self, layer: MapLayer) -> str:
        return str(GROUP_OF_KIND[layer.kind].label)

    def get_display_units(self, layer: MapLayer) -> str:
        """The unit the map shows the layer in (°C for K, kW for W, m³/h for m³/s), written
        as the caller's language writes it."""
        return presentation.display_units(layer)

    def get_tiles(self, layer: MapLayer) -> str:
        """The XYZ template; it names the layer's version, so a cached tile of another version
        is never taken for this one's."""
        url = reverse("tile", args=[layer.pk, layer.version, 0, 0, 0])
        return url.replace("/0/0/0.png", "/{z}/{x}/{y}.png")

    def get_legend(self, layer: MapLayer) -> str:
        return reverse("api:maplayer-legend", args=[layer.pk])

    def get_cog(self, layer: MapLayer) -> str | None:
        """Only public layers can be downloaded whole (the viewset annotates `is_public`)."""
        public = getattr(layer, "is_public", False)
        return reverse("api:maplayer-cog", args=[layer.pk]) if public else None
