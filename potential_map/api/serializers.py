from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from potential_map.choices import GROUP_OF_KIND
from potential_map.models import MapLayer


class MapLayerSerializer(serializers.ModelSerializer[MapLayer]):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tiles = serializers.SerializerMethodField()
    cog = serializers.SerializerMethodField()
    legend = serializers.SerializerMethodField()
    label = serializers.CharField(source="get_kind_display", read_only=True)
    group = serializers.SerializerMethodField()
    group_label = serializers.SerializerMethodField()

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
