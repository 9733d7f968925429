"""Pages of GeoJSON features, with the schema of what they are."""

from __future__ import annotations

from typing import Any

from rest_framework_gis.pagination import GeoJsonPagination


class FeatureCollectionPagination(GeoJsonPagination):
    """A page is a FeatureCollection with `count`, `next` and `previous` beside `features`."""

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # `schema` is already the FeatureCollection (drf-spectacular's GIS extension); the
        # parent's schema nests it once more under `features` and still requires `results`.
        links = {"type": "string", "format": "uri", "nullable": True}
        return {
            "allOf": [
                schema,
                {
                    "type": "object",
                    "required": ["count"],
                    "properties": {"count": {"type": "integer"}, "next": links, "previous": links},
                },
            ]
        }
