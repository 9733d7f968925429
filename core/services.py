"""Region services: work on regions that a Job runs."""

from __future__ import annotations

from django.db.models import F, FloatField, Func
from django.utils.translation import gettext_noop

from core.models import Job, Region


class GeographyArea(Func):
    """ST_Area on the geography type: m² on the WGS84 spheroid, not square degrees."""

    function = "ST_Area"
    template = "%(function)s(%(expressions)s::geography)"
    output_field = FloatField()


def measure_regions(job: Job) -> None:
    """Store each region's area on the WGS84 ellipsoid (m²), one region per progress step."""
    regions = Region.objects.filter(pk=job.region_id) if job.region_id else Region.objects.all()
    codes = list(regions.order_by("code").values_list("code", flat=True))
    for done, code in enumerate(codes, start=1):
        Region.objects.filter(code=code).update(area_m2=GeographyArea(F("boundary")))
        job.set_progress(done / (len(codes) + 1), gettext_noop("Measured a region"))
