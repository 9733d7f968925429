from __future__ import annotations

from rest_framework import serializers

from ingest.models import ImportBatch


class ImportBatchSerializer(serializers.ModelSerializer[ImportBatch]):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

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
