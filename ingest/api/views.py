"""Import batches, read-only: the stewards' record of what each upload did."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from ingest.api.serializers import ImportBatchSerializer
from ingest.models import ImportBatch


@extend_schema_view(
    list=extend_schema(summary="Import batches of the regions the caller stewards"),
    retrieve=extend_schema(summary="One import batch with its errors and warnings"),
)
class ImportBatchViewSet(viewsets.ReadOnlyModelViewSet[ImportBatch]):
    serializer_class = ImportBatchSerializer
    permission_classes = (permissions.IsAuthenticated,)
    filterset_fields = ("state", "kind", "region__code")

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return (
            ImportBatch.objects.visible_to(self.request.user)
            .select_related("region", "uploaded_by")
            .order_by("-pk")
        )
