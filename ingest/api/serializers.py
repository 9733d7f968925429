from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from ingest.models import ImportBatch

ERRORS_INLINE = 100  # the rest through /api/import-batches/{id}/errors/, page by page


class ImportBatchSerializer(serializers.ModelSerializer[ImportBatch]):
    """A batch with its first ERRORS_INLINE errors and warnings, how many there are in all,
    the ones not kept counted by field and message, and where to page through the rest."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    errors = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    error_count = serializers.IntegerField(source="total_errors", read_only=True)
    warning_count = serializers.IntegerField(source="total_warnings", read_only=True)
    errors_url = serializers.SerializerMethodField()
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
            "error_count",
            "warning_count",
            "omitted",
            "errors_url",
            "created_at",
            "finished_at",
            "job",
        )
        read_only_fields = fields

    def get_errors(self, batch: ImportBatch) -> list[dict[str, Any]]:
        return list(batch.errors[:ERRORS_INLINE])

    def get_warnings(self, batch: ImportBatch) -> list[dict[str, Any]]:
        return list(batch.warnings[:ERRORS_INLINE])

    def get_errors_url(self, batch: ImportBatch) -> str:
        return reverse("api:importbatch-errors", args=[batch.pk])


class RowErrorSerializer(serializers.Serializer):
    """One stored problem, its message in the caller's language."""

    severity = serializers.CharField()
    file = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    field = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()
