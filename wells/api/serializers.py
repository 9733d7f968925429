from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from core.models import ImportBatch
from wells.models import Borehole


class BoreholeSerializer(GeoFeatureModelSerializer):
    # 6 decimals of a degree ≈ 0.1 m: enough for a borehole, a third of the bytes of 15.
    location = GeometryField(precision=6)
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Borehole
        geo_field = "location"
        fields = (
            "id",
            "code",
            "name",
            "region",
            "depth_m",
            "purpose",
            "ground_elevation_m",
            "is_synthetic",
            "location",
        )


class ImportBatchSerializer(serializers.ModelSerializer[ImportBatch]):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ImportBatch
        fields = (
            "id",
            "region",
            "kind",
            "state",
            "file_name",
            "sha256",
            "size_bytes",
            "uploaded_by",
            "row_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "errors",
            "warnings",
            "created_at",
            "finished_at",
            "job",
        )
        read_only_fields = fields
