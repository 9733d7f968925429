"""Districts compared: the page (scenario controls, table, bar chart, choropleth) and the
data behind it as JSON, CSV, XLSX and GeoJSON, with units in every header."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from core import audit
from core.jobs import run_job
from core.lib.spreadsheet import safe_row, safe_rows
from core.models import District, Region
from core.permissions import get_or_404, may
from core.throttling import rate_limited
from estimates.services import Refused
from ingest import service as ingest_service
from ingest.errors import RefusedFile, RowError
from ingest.models import ImportBatch
from planning import services
from planning.domain.supply import Scenario

SCENARIO_FIELDS = {
    "adoption_share": (float, 0.0, 1.0),
    "bhe_spacing_m": (float, 4.0, 100.0),
    "bhe_length_m": (float, 20.0, 400.0),
    "cop_heating": (float, 1.5, 10.0),
    "eer_cooling": (float, 1.0, 15.0),
}
# Columns of the exports: key → header with its unit. The CSV and XLSX headers are in the
# request's language (a Japanese planner opens them in Excel); the GeoJSON keeps these English
# headers as its machine-readable property keys.
_HEADERS = [
    ("code", N_("code")),
    ("name", N_("name")),
    ("demand_basis", N_("demand basis")),
    ("heating_demand_mwh", N_("heating demand [MWh/yr]")),
    ("cooling_demand_mwh", N_("cooling demand [MWh/yr]")),
    ("heating_peak_kw", N_("heating peak [kW]")),
    ("cooling_peak_kw", N_("cooling peak [kW]")),
]
_BANDED_HEADERS = [  # one column per band (P10, P50, P90)
    ("closed_heating_mwh", N_("closed-loop heating supply %(band)s [MWh/yr]")),
    ("closed_cooling_mwh", N_("closed-loop cooling supply %(band)s [MWh/yr]")),
    ("open_heating_mwh", N_("open-loop heating supply %(band)s [MWh/yr]")),
    ("heating_coverage", N_("heating coverage %(band)s [share]")),
    ("cooling_coverage", N_("cooling coverage %(band)s [share]")),
    ("co2_saved_t", N_("CO2 saved %(band)s [t/yr]")),
]
# UTF-8 byte order mark: without it Excel reads a CSV in the system code page (Shift_JIS in
# Japan, cp1251 in Russia) and garbles every non-Latin header and name.
UTF8_BOM = "\ufeff"


def _columns(translate: Callable[[str], str]) -> list[tuple[str, str]]:
    columns = [(key, translate(header)) for key, header in _HEADERS]
    for prefix, header in _BANDED_HEADERS:
        columns += [
            (f"{prefix}_{band}", translate(header) % {"band": band.upper()})
            for band in services.BANDS
        ]
    return columns


COLUMNS = _columns(str)  # the English headers: the GeoJSON's keys


def scenario_from(query: Any) -> Scenario:
    values = {}
    for name, (kind, low, high) in SCENARIO_FIELDS.items():
        raw = query.get(name)
        if raw in (None, ""):
            continue
        try:
            value = kind(str(raw).replace(",", "."))
        except ValueError as exc:
            raise Refused(_("%(field)s is not a number.") % {"field": name}) from exc
        if not low <= value <= high:
            raise Refused(
                _("%(field)s must be between %(low)s and %(high)s.")
                % {"field": name, "low": low, "high": high}
            )
        values[name] = value
    return Scenario(**values)


def page(request: HttpRequest, region_code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.visible_to(request.user), code=region_code)
    return render(
        request,
        "planning/compare.html",
        {
            "region": region,
            "scenario": Scenario(),
            "fields": SCENARIO_FIELDS,
            "may_upload": may(request.user, region),
        },
    )


def data(request: HttpRequest, region_code: str, extension: str = "json") -> HttpResponse:
    region = get_object_or_404(Region.objects.visible_to(request.user), code=region_code)
    try:
        answer = services.compare(region, scenario_from(request.GET), request.user)
    except (Refused, ValueError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    rows = answer["districts"]
    name = f"districts-{region.code}"
    if extension == "json":
        return JsonResponse(answer)
    table = [[row.get(key) for key, _h in COLUMNS] for row in rows]
    headers = [header for _k, header in _columns(_)]  # in the request's language
    if extension == "csv":
        import csv

        out = io.StringIO()
        out.write(UTF8_BOM)
        writer = csv.writer(out)
        writer.writerow(safe_row(headers))
        writer.writerows(safe_rows(table))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "districts"
        sheet.append(safe_row(headers))
        for line in safe_rows(table):
            sheet.append(line)
        notes = book.create_sheet("scenario")
        for key, value in answer["scenario"].items():
            notes.append(safe_row([key, value]))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif extension == "geojson":
        outlines = {
            d.code: json.loads(d.geometry.simplify(0.0005, preserve_topology=True).geojson)
            for d in District.objects.visible_to(request.user).filter(region=region)
        }
        features = [
            {
                "type": "Feature",
                "geometry": outlines.get(row["code"]),
                # English keys for machines; the demand basis also in the page's language
                "properties": {header: row.get(key) for key, header in COLUMNS}
                | {key: row.get(key) for key in ("demand_basis_label", "demand_basis_text")},
            }
            for row in rows
        ]
        response = HttpResponse(
            json.dumps({"type": "FeatureCollection", "features": features}),
            content_type="application/geo+json",
        )
    else:
        return JsonResponse({"error": "csv, xlsx, geojson or json"}, status=404)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@rate_limited("upload")
@transaction.atomic  # the batch, its rows and their audit entry together
def upload(request: HttpRequest, region_code: str) -> HttpResponse:
    """A steward's building-stock table or district layer for this region.

    Like any upload it becomes an import batch with its job (rolled back from the upload
    page's history); these tables are small, so the job runs at once and the page shows what
    became of the file.
    """
    region: Region = get_or_404(Region.objects, request.user, "steward", code=region_code)
    context: dict[str, Any] = {"region": region}
    if request.method == "POST" and (upload_file := request.FILES.get("file")):
        written, errors = _import(request, region, upload_file)
        _audit_upload(request, region, upload_file.name, written, len(errors))
        context["written"] = written
        context["errors"] = [{**e, "message": RowError.text(e)} for e in errors]
        status = 400 if errors else 200
        return render(request, "planning/upload.html", context, status=status)
    return render(request, "planning/upload.html", context)


def _import(
    request: HttpRequest, region: Region, upload_file: UploadedFile
) -> tuple[int, list[dict[str, Any]]]:
    """(rows written, errors as stored on the batch) of a district layer or building stock."""
    if request.POST.get("kind") == "districts":
        kind = "districts"
        options = {
            "code_field": request.POST.get("code_field", "code") or "code",
            "name_field": request.POST.get("name_field", "name") or "name",
        }
    else:
        kind, options = "building_stock", {}
    try:
        # A file over the limit is refused by its size, before it is stored or read.
        batch, job = ingest_service.create_batch(region, kind, upload_file, request.user, options)
    except RefusedFile as exc:
        return 0, [exc.error.as_dict()]
    run_job(job.pk, ingest_service.import_job)
    batch.refresh_from_db()
    if batch.state != ImportBatch.State.IMPORTED:
        return 0, batch.errors
    return batch.row_count, []


def _audit_upload(
    request: HttpRequest, region: Region, file_name: str, written: int, errors: int
) -> None:
    """An upload that wrote its rows is audited; a refused one (nothing written) only logged."""
    districts = request.POST.get("kind") == "districts"
    action = audit.Action.DISTRICT_UPLOAD if districts else audit.Action.BUILDING_STOCK_UPLOAD
    summary = {"file": file_name, "written": written}
    if errors:
        audit.refused(request, action, region, {**summary, "errors": errors})
    else:
        audit.record(request, action, region, None, summary)
