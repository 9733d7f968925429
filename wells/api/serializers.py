from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from wells.models import (
    Borehole,
    GeologicalLayer,
    GroundwaterFlowReading,
    GroundwaterLevel,
    PumpingTest,
    TemperatureLog,
    ThermalResponseTest,
    WaterChemistrySample,
    WellInterval,
)


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


# Fields of the survey-record plumbing a reader of a borehole's record does not need.
_PLUMBING = ("region", "borehole", "batch", "created_at", "updated_at")


def _child_serializer(child_model: type) -> type[serializers.ModelSerializer]:  # type: ignore[type-arg]
    meta = type("Meta", (), {"model": child_model, "exclude": _PLUMBING})
    return type(
        f"{child_model.__name__}RecordSerializer", (serializers.ModelSerializer,), {"Meta": meta}
    )


# The sections of a borehole's full record, each with its model's own field names and units.
RECORD_SECTIONS: dict[str, tuple[str, type]] = {
    "geological_column": ("geologicallayers", _child_serializer(GeologicalLayer)),
    "well_intervals": ("wellintervals", _child_serializer(WellInterval)),
    "groundwater_levels": ("groundwaterlevels", _child_serializer(GroundwaterLevel)),
    "temperature_logs": ("temperaturelogs", _child_serializer(TemperatureLog)),
    "water_chemistry": ("waterchemistrysamples", _child_serializer(WaterChemistrySample)),
    "thermal_response_tests": ("thermalresponsetests", _child_serializer(ThermalResponseTest)),
    "pumping_tests": ("pumpingtests", _child_serializer(PumpingTest)),
    "groundwater_flow": ("groundwaterflowreadings", _child_serializer(GroundwaterFlowReading)),
}
