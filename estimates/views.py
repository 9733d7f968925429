"""The design estimate as a page (form, progress, result) and as a printed A4 report."""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib.gis.geos import MultiPolygon, Point
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.jobs import waiting_message
from core.models import Region
from core.permissions import get_or_404
from core.throttling import rate_limited
from estimates import services
from estimates.domain.loads import BUILDING_USES
from estimates.forms import DesignForm
from estimates.models import Estimate
from estimates.presentation import estimate_context
from potential_map.models import MapLayer
from reference.services import baselines, subsidy_programmes

MAP_EXTRACT_HALF_M = 1500.0


def visible_estimate(request: HttpRequest, token: str) -> Estimate:
    """Anyone with the token, unless the estimate used data the public may not see: then only
    its maker, an admin, or a steward of its region (EstimateQuerySet.visible_to)."""
    estimate: Estimate = get_or_404(
        Estimate.objects.select_related("region", "job", "created_by"), request.user, token=token
    )
    return estimate


@rate_limited("estimate")
def design(request: HttpRequest) -> HttpResponse:
    """GET: the form at a point (from the map's "Design estimate here"); POST: the estimate."""
    source = request.POST if request.method == "POST" else request.GET
    form = DesignForm(source, request.FILES or None)
    position = forms.Form(source)
    position.fields.update({"lat": form.fields["lat"], "lon": form.fields["lon"]})
    if not position.is_valid():
        return render(
            request,
            "estimates/form.html",
            {"error": _("Choose a point on the map first (lat and lon)."), "uses": BUILDING_USES},
            status=400,
        )
    lat, lon = position.cleaned_data["lat"], position.cleaned_data["lon"]
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
    if not form.is_valid():
        context["field_errors"] = form.field_errors()
        context["error"] = " ".join(
            f"{label}: {' '.join(messages)}" if label else " ".join(messages)
            for label, messages in context["field_errors"]
        )
        return render(request, "estimates/form.html", context, status=400)
    data = form.cleaned_data["request"]
    parcel = data.get("parcel")
    if parcel is not None and not isinstance(parcel, MultiPolygon):
        parcel = MultiPolygon(parcel, srid=4326)
    try:
        estimate = services.request_estimate(
            point, parcel, data["inputs"], request.user, get_language() or "en"
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
            "message": estimate.message or waiting_message(job) or (job.message if job else ""),
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
