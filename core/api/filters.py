"""Filter backends with bounded inputs: a text filter takes at most 100 characters, and a
bounding box four finite numbers in range (rest_framework_gis builds a polygon from NaN)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.gis.geos import Polygon
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework_gis.filters import InBBoxFilter

from core.api.fields import BBoxField

MAX_FILTER_TEXT = 100


class BoundedFilterSet(django_filters.FilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.CharFilter):
                filter_.extra.setdefault("max_length", MAX_FILTER_TEXT)


class BoundedFilterBackend(DjangoFilterBackend):
    filterset_base = BoundedFilterSet


class _BBoxQuery(serializers.Serializer):
    in_bbox = BBoxField(required=False)


class BoundedInBBoxFilter(InBBoxFilter):
    def get_filter_bbox(self, request: Any) -> Polygon | None:
        if not request.query_params.get(self.bbox_param):
            return None
        query = _BBoxQuery(data={"in_bbox": request.query_params[self.bbox_param]})
        query.is_valid(raise_exception=True)
        return Polygon.from_bbox(query.validated_data["in_bbox"])
