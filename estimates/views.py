"""The design estimate as a page (form, progress, result) and as a printed A4 report."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.contrib.gis.geos import Point
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.models import Region
from core.permissions import get_or_404
from core.throttling import rate_limited
from estimates import services
from estimates.domain.loads import BUILDING_USES
from estimates.models import Estimate
from estimates.presentation import estimate_context
from potential_map.models import MapLayer
from reference.services import baselines, subsidy_programmes

MAX_PARCEL_UPLOAD_BYTES = 1_000_000
MAP_EXTRACT_HALF_M = 1500.0


def visible_estimate(request: HttpRequest, token: str) -> Estimate:
    """Anyone with the token, unless the estimate used data the public may not see: then only
    its maker, an admin, or a steward of its region (EstimateQuerySet.visible_to)."""
    estimate: Estimate = get_or_404(
        Estimate.objects.select_related("region", "job", "created_by"), request.user, token=token
    )
    return estimate


def _number(request: HttpRequest, name: str, factor: float = 1.0) -> float | None:
    raw = (request.POST.get(name) or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw) * factor
    except ValueError as exc:
        raise services.Refused(_("%(field)s is not a number.") % {"field": name}) from exc


def _inputs_from_form(request: HttpRequest) -> dict[str, Any]:
    """The form in display units (kW, m²) to the service's SI inputs."""
    inputs: dict[str, Any] = {
        "system": request.POST.get("system", "recommend"),
        "loads": request.POST.get("loads", "use"),
    }
    if inputs["loads"] == "use":
        inputs["building_use"] = request.POST.get("building_use", "detached_house")
        inputs["floor_area_m2"] = _number(request, "floor_area_m2")
    else:
        inputs["heating_peak_w"] = _number(request, "heating_peak_kw", 1000.0) or 0.0
        inputs["cooling_peak_w"] = _number(request, "cooling_peak_kw", 1000.0) or 0.0
        for name, key in (
            ("annual_heating_mwh", "annual_heating_j"),
            ("annual_cooling_mwh", "annual_cooling_j"),
        ):
            if (value := _number(request, name, 3.6e9)) is not None:
                inputs[key] = value
    for name in ("spacing_m", "max_length_m", "setback_m"):
        if (value := _number(request, name)) is not None:
            inputs[name] = value
    for name in ("baseline_heating", "baseline_cooling", "subsidy"):
        if value := request.POST.get(name):
            inputs[name] = value
    return {k: v for k, v in inputs.items() if v is not None}


def _parcel_geojson(request: HttpRequest) -> dict[str, Any] | None:
    upload = request.FILES.get("parcel_file")
    text = (request.POST.get("parcel") or "").strip()
    if upload is not None:
        if upload.size > MAX_PARCEL_UPLOAD_BYTES:
            raise services.Refused(_("The parcel file is larger than 1 MB."))
        text = upload.read().decode("utf-8", errors="replace")
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise services.Refused(
            _("The parcel is not valid GeoJSON: %(reason)s") % {"reason": exc}
        ) from exc


@rate_limited("estimate")
def design(request: HttpRequest) -> HttpResponse:
    """GET: the form at a point (from the map's "Design estimate here"); POST: the estimate."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        lat, lon = float(source.get("lat", "")), float(source.get("lon", ""))
    except ValueError:
        return render(
            request,
            "estimates/form.html",
            {"error": _("Choose a point on the map first (lat and lon)."), "uses": BUILDING_USES},
            status=400,
        )
    point = Point(lon, lat, srid=4326)
    region = Region.objects.visible_to(request.user).filter(boundary__intersects=point).first()
    context: dict[str, Any] = {
        "lat": lat,
        "lon": lon,
        "region": region,
        "uses": BUILDING_USES,
        "baselines": baselines(region) if region else [],
        "subsidies": subsidy_programmes(region) if region else [],
        "form": source,
    }
    if region is None:
        context["error"] = _("This point is outside every region.")
        return render(request, "estimates/form.html", context, status=400)
    if request.method != "POST":
        return render(request, "estimates/form.html", context)
    try:
        parcel = services.parcel_from_geojson(_parcel_geojson(request))
        estimate = services.request_estimate(
            point, parcel, _inputs_from_form(request), request.user, get_language() or "en"
        )
    except services.Refused as exc:
        context["error"] = str(exc)
        return render(request, "estimates/form.html", context, status=400)
    return redirect("estimates:result", token=estimate.token)


def result(request: HttpRequest, token: str) -> HttpResponse:
    estimate = visible_estimate(request, token)
    context = estimate_context(estimate)
    done = estimate.state == "done"
    context["map_extract"] = map_extract(estimate, request.user) if done else None
    return render(request, "estimates/result.html", context)


@require_GET
def status(request: HttpRequest, token: str) -> JsonResponse:
    estimate = visible_estimate(request, token)
    job = estimate.job
    return JsonResponse(
        {
            "state": estimate.state,
            "progress": job.progress if job else (1.0 if estimate.state == "done" else 0.0),
            "message": estimate.message or (job.message if job else ""),
        }
    )


def report(request: HttpRequest, token: str) -> HttpResponse:
    """One A4 PDF in the user's language (WeasyPrint; Noto CJK from Debian for Japanese)."""
    estimate = visible_estimate(request, token)
    if estimate.state != Estimate.State.DONE:
        raise Http404
    from weasyprint import HTML

    context = estimate_context(estimate)
    context["map_extract"] = map_extract(estimate, request.user)
    context["printed_at"] = timezone.now()
    html = render_to_string("estimates/report.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="estimate-{estimate.region.code}-{str(estimate.token)[:8]}.pdf"'
    )
    return response


def map_extract(estimate: Estimate, user: Any) -> dict[str, Any] | None:
    """A PNG of the region's leading layer around the estimate (data URI), with the point: a
    public layer for an estimate made of public data, else one `user` may see."""
    from rio_tiler.colormap import cmap
    from rio_tiler.io import Reader

    from potential_map import rasters

    layers = MapLayer.objects.filter(region=estimate.region, is_current=True)
    user_layers = layers.visible_to(user) if estimate.uses_unpublished else layers.public()
    x, y = rasters.points_to_metric(
        [estimate.location.x], [estimate.location.y], estimate.region.raster_crs_epsg
    )[0]
    bbox = (
        x - MAP_EXTRACT_HALF_M,
        y - MAP_EXTRACT_HALF_M,
        x + MAP_EXTRACT_HALF_M,
        y + MAP_EXTRACT_HALF_M,
    )
    # The leading layer, unless it is flat around the parcel; then λ, then G.POT.
    for kind in (estimate.region.leading_layer, "conductivity", "closed_loop_heating"):
        layer = user_layers.filter(kind=kind).first()
        if layer is None or layer.colormap == "traffic_light":
            continue
        try:
            with Reader(layer.cog_path) as cog:
                image = cog.part(
                    bbox, bounds_crs=cog.crs, dst_crs=cog.crs, max_size=256, indexes=(1,)
                )
        except Exception:
            continue
        values = image.array.compressed()
        if values.size and values.max() > values.min():
            break
    else:
        return None
    # The extract's own range: the region's range would paint a parcel one colour.
    low, high = float(values.min()), float(values.max())
    image.rescale(in_range=((low, high if high > low else low + 1e-9),))
    png = image.render(img_format="PNG", colormap=cmap.get(layer.colormap))
    return {
        "src": "data:image/png;base64," + base64.b64encode(png).decode(),
        "label": str(layer.get_kind_display()),
        "units": layer.units,
        "version": layer.version,
        "low": low,
        "high": high,
        "width_km": 2 * MAP_EXTRACT_HALF_M / 1000,
    }
