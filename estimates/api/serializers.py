"""What an estimate request may say: the one validation layer of POST /api/estimates and of
the design form (estimates.forms turns its display units into these SI inputs, then validates
them here). Nothing reaches estimates.services that has not passed through it.

Ranges are physical, wide enough for any building the site serves and narrow enough that
the sizing stays bounded; each says where it comes from.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.api.fields import CodeField, FiniteFloatField
from estimates.domain.loads import BUILDING_USES
from potential_map.api.serializers import ParcelField

SYSTEMS = ("recommend", "closed_loop", "open_loop")
LOAD_MODES = ("use", "peaks", "table")
# Work bounds of the layout search: no borehole field is drilled at under 1.5 m (the Okinawa
# demonstration's 1.8 m is the closest known, OKI-T19), and the grid of candidate positions
# (parcel's metric bounding box / spacing², as estimates.domain.layout lays it) is at most
# MAX_LAYOUT_CANDIDATES, so one request costs milliseconds of grid, not minutes.
MIN_SPACING_M = 1.5
MAX_LAYOUT_CANDIDATES = 20_000
MAX_PEAK_W = 50e6  # 50 MW: a district heating plant, far above any one building
MAX_ANNUAL_J = 1e15  # ≈ 278 GWh a year
MAX_MONTHLY_J = MAX_ANNUAL_J / 12


def _monthly(max_value: float) -> serializers.ListField:
    return serializers.ListField(
        child=FiniteFloatField(min_value=0, max_value=max_value),
        min_length=12,
        max_length=12,
        required=False,
    )


class EstimateInputsSerializer(serializers.Serializer):
    """The inputs of an estimate, SI units. Only what is given is returned: the service's
    defaults (with their sources) fill the rest."""

    system = serializers.ChoiceField(choices=SYSTEMS, required=False)
    loads = serializers.ChoiceField(choices=LOAD_MODES, required=False)
    building_use = serializers.ChoiceField(choices=sorted(BUILDING_USES), required=False)
    floor_area_m2 = FiniteFloatField(min_value=1, max_value=1e6, required=False)
    heating_peak_w = FiniteFloatField(min_value=0, max_value=MAX_PEAK_W, required=False)
    cooling_peak_w = FiniteFloatField(min_value=0, max_value=MAX_PEAK_W, required=False)
    annual_heating_j = FiniteFloatField(min_value=0, max_value=MAX_ANNUAL_J, required=False)
    annual_cooling_j = FiniteFloatField(min_value=0, max_value=MAX_ANNUAL_J, required=False)
    monthly_heating_j = _monthly(MAX_MONTHLY_J)
    monthly_cooling_j = _monthly(MAX_MONTHLY_J)
    monthly_heating_peak_w = _monthly(MAX_PEAK_W)
    monthly_cooling_peak_w = _monthly(MAX_PEAK_W)
    # COP 1.5–10 and EER 1–15: as the planning scenario (planning.views.SCENARIO_FIELDS)
    cop_heating = FiniteFloatField(min_value=1.5, max_value=10, required=False)
    eer_cooling = FiniteFloatField(min_value=1, max_value=15, required=False)
    spacing_m = FiniteFloatField(min_value=MIN_SPACING_M, max_value=100, required=False)
    setback_m = FiniteFloatField(min_value=0, max_value=100, required=False)
    max_length_m = FiniteFloatField(min_value=10, max_value=400, required=False)
    borehole_resistance_m_k_per_w = FiniteFloatField(min_value=0.01, max_value=1, required=False)
    # open-loop temperature change across the heat exchanger: 1–15 K (methods.md §4; 0 divides)
    delta_t_k = FiniteFloatField(min_value=1, max_value=15, required=False)
    baseline_heating = CodeField(max_length=60, required=False, allow_blank=True)
    baseline_cooling = CodeField(max_length=60, required=False, allow_blank=True)
    subsidy = CodeField(max_length=60, required=False, allow_blank=True)

    default_error_messages = {
        "unknown": gettext_lazy("Not an input of an estimate."),
    }

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {key[:60]: [self.error_messages["unknown"]] for key in unknown[:20]}
                )
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        mode = attrs.get("loads", "use")
        needed = {
            "use": ("building_use", "floor_area_m2"),
            "peaks": ("heating_peak_w", "cooling_peak_w"),
            "table": (
                "monthly_heating_j",
                "monthly_cooling_j",
                "monthly_heating_peak_w",
                "monthly_cooling_peak_w",
            ),
        }[mode]
        missing = {
            name: [_("Needed when the loads are given by %(mode)s.") % {"mode": mode}]
            for name in needed
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return {k: v for k, v in attrs.items() if v != ""}


class EstimateRequestSerializer(serializers.Serializer):
    """POST /api/estimates: a point (WGS84), an optional parcel, the inputs."""

    lat = FiniteFloatField(min_value=-90, max_value=90)
    lon = FiniteFloatField(min_value=-180, max_value=180)
    parcel = ParcelField(required=False, allow_null=True)
    inputs = EstimateInputsSerializer()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        parcel = attrs.get("parcel")
        if parcel is not None:
            spacing = attrs["inputs"].get("spacing_m", 6.0)  # the service's default
            width, height = parcel.bounds_m
            candidates = (width / spacing + 1) * (height / spacing + 1)
            if candidates > MAX_LAYOUT_CANDIDATES:
                smallest = ((width * height) / MAX_LAYOUT_CANDIDATES) ** 0.5
                raise serializers.ValidationError(
                    {
                        "parcel": [
                            _(
                                "At %(spacing)s m spacing this parcel has about %(count)s "
                                "candidate borehole positions (at most %(limit)s are searched): "
                                "give a spacing of at least %(smallest)s m or a smaller parcel."
                            )
                            % {
                                "spacing": f"{spacing:g}",
                                "count": f"{candidates:,.0f}",
                                "limit": f"{MAX_LAYOUT_CANDIDATES:,}",
                                "smallest": f"{smallest:.1f}",
                            }
                        ]
                    }
                )
        return attrs
