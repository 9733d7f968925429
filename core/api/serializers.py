from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.models import Job, Region


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
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

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
