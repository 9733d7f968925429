"""The design form: display units (kW, MWh, m²) typed in the page's language, turned into the
SI inputs of an estimate and validated by the same serializer as POST /api/estimates, so the
page and the API accept exactly the same estimates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.api.errors import flatten
from core.forms import LocalizedNumberField
from core.lib import jsonbounds
from estimates.api.serializers import EstimateRequestSerializer

MAX_PARCEL_UPLOAD_BYTES = 1_000_000
J_PER_MWH = 3.6e9

# form field → (inputs key, factor from display to SI)
NUMBERS = {
    "floor_area_m2": ("floor_area_m2", 1.0),
    "heating_peak_kw": ("heating_peak_w", 1000.0),
    "cooling_peak_kw": ("cooling_peak_w", 1000.0),
    "annual_heating_mwh": ("annual_heating_j", J_PER_MWH),
    "annual_cooling_mwh": ("annual_cooling_j", J_PER_MWH),
    "spacing_m": ("spacing_m", 1.0),
    "max_length_m": ("max_length_m", 1.0),
    "setback_m": ("setback_m", 1.0),
}
CHOICES = ("system", "loads", "building_use", "baseline_heating", "baseline_cooling", "subsidy")


class DesignForm(forms.Form):
    lat = forms.FloatField(min_value=-90, max_value=90)
    lon = forms.FloatField(min_value=-180, max_value=180)
    loads = forms.CharField(required=False, max_length=20)
    building_use = forms.CharField(required=False, max_length=40)
    system = forms.CharField(required=False, max_length=40)
    floor_area_m2 = LocalizedNumberField(label=gettext_lazy("Floor area (m²)"))
    heating_peak_kw = LocalizedNumberField(label=gettext_lazy("Heating peak (kW)"))
    cooling_peak_kw = LocalizedNumberField(label=gettext_lazy("Cooling peak (kW)"))
    annual_heating_mwh = LocalizedNumberField(label=gettext_lazy("Yearly heating (MWh, optional)"))
    annual_cooling_mwh = LocalizedNumberField(label=gettext_lazy("Yearly cooling (MWh, optional)"))
    spacing_m = LocalizedNumberField(label=gettext_lazy("Borehole spacing (m)"))
    max_length_m = LocalizedNumberField(label=gettext_lazy("Longest borehole (m)"))
    setback_m = LocalizedNumberField(label=gettext_lazy("Setback from the parcel edge (m)"))
    baseline_heating = forms.CharField(required=False, max_length=60)
    baseline_cooling = forms.CharField(required=False, max_length=60)
    subsidy = forms.CharField(required=False, max_length=60)
    parcel = forms.CharField(required=False, max_length=MAX_PARCEL_UPLOAD_BYTES)
    parcel_file = forms.FileField(required=False)

    def _parcel(self) -> Any:
        upload = self.cleaned_data.get("parcel_file")
        text = (self.cleaned_data.get("parcel") or "").strip()
        if upload is not None:
            if upload.size > MAX_PARCEL_UPLOAD_BYTES:
                self.add_error("parcel_file", _("The parcel file is larger than 1 MB."))
                return None
            text = upload.read().decode("utf-8", errors="replace")
        if not text:
            return None
        try:
            return jsonbounds.loads(text)
        except jsonbounds.JSONRefused as exc:
            self.add_error(
                "parcel", _("The parcel is not valid GeoJSON: %(reason)s") % {"reason": exc}
            )
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        loads = cleaned.get("loads") or "use"
        inputs: dict[str, Any] = {
            "system": cleaned.get("system") or "recommend",
            "loads": loads,
        }
        if loads == "use":
            inputs["building_use"] = cleaned.get("building_use") or "detached_house"
        for name, (key, factor) in NUMBERS.items():
            if (value := cleaned.get(name)) is not None:
                inputs[key] = value * factor
        if loads == "peaks":  # an explicit load left empty is none of that load
            inputs.setdefault("heating_peak_w", 0.0)
            inputs.setdefault("cooling_peak_w", 0.0)
        if loads != "use":
            inputs.pop("floor_area_m2", None)
        for name in ("baseline_heating", "baseline_cooling", "subsidy"):
            if value := cleaned.get(name):
                inputs[name] = value
        parcel = self._parcel()
        if self.errors:
            return cleaned
        body = {"lat": cleaned["lat"], "lon": cleaned["lon"], "inputs": inputs}
        if parcel is not None:
            body["parcel"] = parcel
        request = EstimateRequestSerializer(data=body)
        if not request.is_valid():
            back = {key: name for name, (key, _f) in NUMBERS.items()}
            for field, messages in flatten(request.errors).items():
                name = field.removeprefix("inputs.")
                name = back.get(name, name)
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return cleaned
        cleaned["request"] = request.validated_data
        return cleaned

    def field_errors(self) -> list[tuple[str, list[str]]]:
        """(label, messages) of each field in error, for the page."""
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            out.append((str(label or name) if name != "__all__" else "", [str(e) for e in errors]))
        return out
