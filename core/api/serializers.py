from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.api.fields import CodeField
from core.models import District, Job, Region


class RegionSerializer(GeoFeatureModelSerializer):
    # 5 decimals of a degree ≈ 1 m: plenty for an outline, a third of the bytes of 15.
    boundary = GeometryField(precision=5)

    class Meta:
        model = Region
        geo_field = "boundary"
        fields = (
            "id",
            "code",
            "name_en",
            "name_ja",
            "name_ru",
            "name_tg",
            "raster_crs_epsg",
            "raster_resolution_m",
            "default_language",
            "currency",
            "area_m2",
            "boundary",
        )


class JobSerializer(serializers.ModelSerializer[Job]):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Job
        fields = (
            "id",
            "kind",
            "state",
            "progress",
            "message",
            "log",
            "region",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields


@extend_schema_field(
    {"type": "object", "description": "GeoJSON (Multi)Polygon, simplified to about 50 m"}
)
class SimplifiedOutlineField(GeometryField):
    """The queryset's simplified outline (an annotation), not the stored geometry."""


class DistrictSerializer(GeoFeatureModelSerializer):
    """A district's outline, simplified to about 50 m and 4 decimals (≈ 10 m): light enough
    for a slow line, ample for outlines on a map (the full geometry stays in the database)."""

    geometry = SimplifiedOutlineField(precision=4, source="outline", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = District
        geo_field = "geometry"
        fields = ("id", "code", "name", "region", "geometry")


class RegionQuerySerializer(serializers.Serializer):
    """?region=<code> of the list operations that filter by region."""

    region = CodeField(max_length=40, required=False, allow_blank=True)
