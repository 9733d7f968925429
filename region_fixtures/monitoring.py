"""Load a region's monitoring fixture (fixtures/<region>/monitoring.json): systems, their wells,
sensors and periods, and series files through the same importer as a steward's upload.

Loading again changes nothing: systems are matched by code, a series file already imported
(same name and SHA-256) is skipped. Alerts are evaluated once at `evaluate_alerts_at`, the end
of the fixture's series, so a demonstration shows them whatever today's date is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from core.jobs import run_job
from core.models import Region
from ingest.models import ImportBatch
from monitoring import alerts, services
from monitoring.models import GroundSourceSystem, MonitoringPeriod, Sensor, SystemWell
from region_fixtures.errors import refusal_summary

SYSTEM_FIELDS = (
    "name",
    "loop",
    "heat_pump_model",
    "rated_cooling_capacity_w",
    "rated_heating_capacity_w",
    "heat_carrier",
    "borehole_spacing_m",
    "commissioned_on",
    "settings",
    "source",
    "is_synthetic",
    "published",
)


class MonitoringFixtureError(ValueError):
    pass


def load(region: Region, path: Path) -> list[str]:
    """Create or update the systems of `path`; returns the series files imported now."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    imported: list[str] = []
    for entry in spec.get("systems", []):
        system = _system(region, entry)
        for name in entry.get("series", []):
            if _import_series(system, path.parent / name):
                imported.append(name)
        if at := entry.get("evaluate_alerts_at"):
            alerts.evaluate_system(system, now=dt.datetime.fromisoformat(at))
    return imported


@transaction.atomic
def _system(region: Region, entry: dict[str, Any]) -> GroundSourceSystem:
    values = {k: entry[k] for k in SYSTEM_FIELDS if k in entry}
    if "name_note" in entry:
        values["description"] = entry["name_note"]
    values["location"] = Point(entry["lon"], entry["lat"], srid=4326)
    system, _created = GroundSourceSystem.objects.update_or_create(
        region=region, code=entry["code"], defaults=values
    )
    for sensor in entry.get("sensors", []):
        Sensor.objects.update_or_create(
            system=system,
            code=sensor["code"],
            defaults={k: v for k, v in sensor.items() if k != "code"},
        )
    system.wells.all().delete()
    SystemWell.objects.bulk_create(SystemWell(system=system, **w) for w in entry.get("wells", []))
    system.periods.all().delete()
    MonitoringPeriod.objects.bulk_create(
        MonitoringPeriod(system=system, **p) for p in entry.get("periods", [])
    )
    return system


def _import_series(system: GroundSourceSystem, path: Path) -> bool:
    if not path.is_file():
        raise MonitoringFixtureError(f"monitoring.json: {path.name} is missing")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    done = ImportBatch.objects.filter(
        series__system=system, file_name=path.name, sha256=digest, state=ImportBatch.State.IMPORTED
    ).exists()
    if done:
        return False
    batch, job = services.create_series_batch(system, SimpleUploadedFile(path.name, data), None)
    run_job(job.pk, services.import_series_job)  # the job ends succeeded, not left queued
    batch.refresh_from_db()
    if batch.state != ImportBatch.State.IMPORTED:
        raise MonitoringFixtureError(refusal_summary(path.name, batch.errors))
    return True
