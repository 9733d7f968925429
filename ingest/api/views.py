"""Import batches, read-only: the stewards' record of what each upload did."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from ingest.api.serializers import ImportBatchSerializer, RowErrorSerializer
from ingest.errors import RowError
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

    @extend_schema(
        summary="A batch's kept errors and warnings (the first 1,000 of each), page by page, "
        "messages in the caller's language",
        responses={200: RowErrorSerializer(many=True)},
    )
    @action(detail=True, pagination_class=LimitOffsetPagination, filterset_fields=())
    def errors(self, request: Request, pk: str | None = None) -> Response:
        batch = self.get_object()
        rows = [
            {**row, "severity": severity, "message": RowError.text(row)}
            for severity, kept in (("error", batch.errors), ("warning", batch.warnings))
            for row in kept
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RowErrorSerializer(page, many=True).data)
