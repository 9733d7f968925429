"""Recomputing a region's maps on the worker: complete layers switch in together, with their
definition and inputs; a failed run leaves the current layers as they were."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from django.apps import apps as django_apps
from rasterio import open as rasterio_open

from core.models import Job, Region
from geology.models import LithologyThermalProperty
from ingest.models import ImportBatch
from potential_map import rasters
from potential_map.choices import LayerKind
from potential_map.models import MapLayer
from potential_map.services import request_recompute
from region_fixtures.services import load_region_fixture
from tests.core.test_celery_roundtrip import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lithology_properties() -> None:
    """Earlier transactional tests flush every table, the seeded properties included: put back
    exactly what the migration seeds."""
    seed = importlib.import_module("geology.migrations.0003_seed_lithology_thermal_properties")
    seed.seed(django_apps, None)


@pytest.fixture
def gunma(celery_worker_process, lithology_properties) -> Region:
    """Gunma from its fixtures (Yoshioka and the synthetic fill), on a 1 km grid for speed."""
    load_region_fixture("gunma")
    Region.objects.filter(code="gunma").update(raster_resolution_m=1000.0)
    return Region.objects.get(code="gunma")


def recompute(region: Region) -> Job:
    job = request_recompute(region, delay_s=0)
    wait_for(job, timeout_s=120)
    return job


def test_a_recompute_makes_every_layer_current_with_its_definition(gunma) -> None:
    job = recompute(gunma)
    assert job.state == Job.State.SUCCEEDED, job.message
    layers = {layer.kind: layer for layer in MapLayer.objects.filter(region=gunma, is_current=True)}
    assert set(layers) == set(LayerKind.values)
    heating = layers[LayerKind.CLOSED_LOOP_HEATING]
    assert heating.units == "W/m"
    assert heating.definition["statistic"] == "annual_mean"
    assert heating.definition["fluid_limit_c"] == -2.0  # GRASS default T_lim (map parameters)
    assert heating.bands == ["p50", "p10", "p90"]
    assert Path(heating.cog_path).is_file()
    assert heating.extent.contains(gunma.boundary.point_on_surface)
    p50, p10, p90 = (rasters.read_band(heating.cog_path, band) for band in (1, 2, 3))
    inside = np.isfinite(p50)
    assert inside.sum() > 5000  # Gunma ≈ 6 360 km² on a 1 km grid
    assert (p10[inside] <= p50[inside] + 1e-4).all()
    assert (p90[inside] >= p50[inside] - 1e-4).all()
    # λ stays within the lithology table's bounds (min of the mins, max of the maxes)
    lam = rasters.read_band(layers[LayerKind.CONDUCTIVITY].cog_path, 1)
    bounds = LithologyThermalProperty.objects.values_list(
        "conductivity_min_w_per_m_k", "conductivity_max_w_per_m_k"
    )
    assert np.nanmin(lam) >= min(b[0] for b in bounds)
    assert np.nanmax(lam) <= max(b[1] for b in bounds)
    inputs = layers[LayerKind.CONDUCTIVITY].inputs
    assert inputs["borehole_count"] >= 40  # the synthetic fill and YOS-T1
    assert layers[LayerKind.VDI4640_1800].definition["rule_of_thumb"] is True
    # T0 from Gunma's 12 climate stations (no longer one regional value), YOS-1's log over it
    ground = layers[LayerKind.GROUND_TEMPERATURE].definition
    assert ground["stations"] == 12
    assert "is_fallback" not in ground
    assert ground["method"] == (
        "ordinary kriging of the stations; 1 temperature logs override it near their boreholes"
    )


def test_a_second_recompute_adds_versions_and_keeps_the_first(gunma) -> None:
    recompute(gunma)
    first = MapLayer.objects.get(region=gunma, kind=LayerKind.CONDUCTIVITY, is_current=True)
    recompute(gunma)
    versions = MapLayer.objects.filter(region=gunma, kind=LayerKind.CONDUCTIVITY).order_by(
        "version"
    )
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert Path(first.cog_path).is_file()  # the history keeps its file
    assert versions[1].published == first.published


def test_a_failed_recompute_leaves_the_published_layers_untouched(gunma) -> None:
    recompute(gunma)
    before = list(
        MapLayer.objects.filter(region=gunma, is_current=True).values_list("pk", "cog_path")
    )
    Region.objects.filter(pk=gunma.pk).update(map_parameters={})
    job = recompute(gunma)
    assert job.state == Job.State.FAILED
    assert "no map parameter heating_season_s" in job.message
    after = list(
        MapLayer.objects.filter(region=gunma, is_current=True).values_list("pk", "cog_path")
    )
    assert after == before
    assert all(Path(path).is_file() for _pk, path in after)


def test_imports_close_together_share_one_recompute(gunma) -> None:
    first = request_recompute(gunma, delay_s=5)
    second = request_recompute(gunma, delay_s=5)
    assert first.pk == second.pk
    wait_for(first, timeout_s=120)


def test_the_constraint_layer_follows_the_gunma_rules(gunma) -> None:
    from core.models import District
    from tests.cases import case

    recompute(gunma)
    layer = MapLayer.objects.get(
        region=gunma, kind=LayerKind.CONSTRAINTS_OPEN_LOOP, is_current=True
    )
    rules = [rule["code"] for rule in layer.definition["rules"]]

    def at(code: str) -> list[float]:
        point = District.objects.get(region=gunma, code=code).geometry.point_on_surface
        xy = rasters.points_to_metric(np.array([point.x]), np.array([point.y]), layer.crs_epsg)
        return rasters.sample(layer.cog_path, *xy[0])

    yoshioka = case("yoshioka.csv", "YOS-T32")  # not designated: green, no rule
    assert at("10345") == [0.0, -1.0]
    assert yoshioka.expected["notification_required"] is False
    designated = case("yoshioka.csv", "YOS-T33")  # Tamamura, Ōta, Tatebayashi: notification
    for code in ("10464", "10205", "10207"):
        level, rule = at(code)
        assert level == 1.0
        assert rules[int(rule)] == "gunma-prefecture-notification"
    assert designated.expected["notification_required"] == [True, True, True]
    naganohara_level, naganohara_rule = at("10424")  # application near supply sources
    assert (naganohara_level, rules[int(naganohara_rule)]) == (1.0, "naganohara-supply-source")


def test_a_queued_recompute_whose_message_was_lost_does_not_block_the_next(gunma) -> None:
    from datetime import timedelta

    from django.utils import timezone

    lost = Job.objects.create(kind="recompute", region=gunma)  # no message was ever sent
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))
    job = recompute(gunma)
    assert job.pk != lost.pk
    assert job.state == Job.State.SUCCEEDED
    lost.refresh_from_db()
    assert lost.state == Job.State.FAILED
    assert "Never started" in lost.message


def test_a_point_says_which_boreholes_and_batches_fed_each_value(gunma) -> None:
    from django.contrib.auth.models import AnonymousUser

    from potential_map.services.read import point_provenance

    recompute(gunma)
    # The Yoshioka test well stands at the town office (fixtures/README.md).
    answer = point_provenance(gunma, 139.01028, 36.4475, AnonymousUser()).as_dict()
    conductivity = answer["layers"][LayerKind.CONDUCTIVITY]
    assert conductivity["nearest_boreholes"][0]["code"] == "YOS-T1"
    assert conductivity["nearest_boreholes"][0]["distance_m"] < 1.0
    assert 1.0 < conductivity["values"]["p50"] < 3.0
    assert conductivity["values"]["p10"] <= conductivity["values"]["p50"]
    assert conductivity["method_version"]
    column_batch = ImportBatch.objects.get(region=gunma, file_name="yoshioka-column.csv")
    assert column_batch.pk in conductivity["batches"]
    heating = answer["layers"][LayerKind.CLOSED_LOOP_HEATING]
    assert heating["units"] == "W/m"
    # W per borehole for the region's 100 m reference BHE
    assert heating["per_borehole_w"]["p50"] == pytest.approx(100 * heating["values"]["p50"])
    assert heating["definition"]["statistic"] == "annual_mean"
    assert answer["layers"][LayerKind.CONSTRAINTS_OPEN_LOOP]["values"] == {
        "class": 0.0,
        "rule": -1.0,
    }


def test_open_loop_uses_the_pumping_test_and_gives_no_value_without_an_aquifer(gunma) -> None:
    from django.contrib.auth.models import AnonymousUser

    from potential_map.services.read import point_provenance

    recompute(gunma)
    at_yoshioka = point_provenance(gunma, 139.01028, 36.4475, AnonymousUser()).as_dict()["layers"]
    heat = at_yoshioka[LayerKind.OPEN_LOOP_HEAT_RATE]
    flow = at_yoshioka[LayerKind.OPEN_LOOP_FLOW]["values"]["p50"]
    assert [t["borehole"] for t in heat["definition"]["pumping_tests"]] == ["YOS-T1"]
    # P = ρc Q ΔT with Gunma's ΔT of 7 K (YOSHIOKA-2014 §5-1)
    assert heat["values"]["p50"] == pytest.approx(4.186e6 * flow * 7.0, rel=1e-5)
    # bands from the tested well's narrow log-normal T: P10 < P50 < P90, each P = ρc Q ΔT
    flows = at_yoshioka[LayerKind.OPEN_LOOP_FLOW]["values"]
    assert flows["p10"] < flows["p50"] < flows["p90"]
    assert heat["values"]["p90"] == pytest.approx(4.186e6 * flows["p90"] * 7.0, rel=1e-5)
    assert flows["p90"] / flows["p50"] < 10 ** (1.2816 * 0.1) * 1.01  # tested: ±0.13 decade
    # Kusatsu lies in the mountain unit (andesite): not an aquifer, so no value, not zero
    from core.models import District

    point = District.objects.get(region=gunma, code="10426").geometry.point_on_surface
    in_mountains = point_provenance(gunma, point.x, point.y, AnonymousUser()).as_dict()["layers"]
    assert in_mountains[LayerKind.OPEN_LOOP_HEAT_RATE]["values"]["p50"] is None
    assert in_mountains[LayerKind.CLOSED_LOOP_HEATING]["values"]["p50"] > 0


def test_a_worker_killed_mid_run_leaves_the_published_layers_served(
    gunma, tmp_path, client
) -> None:
    """The current layers are read during the run and after the kill: still version 1, files
    intact; the killed run's job ends failed once it is stale."""
    import os
    import signal
    import time
    import uuid

    from django.conf import settings
    from django.test import override_settings

    from core.jobs import fail_stale_jobs
    from core.worker_process import start_worker, stop_worker
    from potential_map import tasks
    from tests.conftest import _database_url

    recompute(gunma)
    current = dict(
        MapLayer.objects.filter(region=gunma, is_current=True).values_list("kind", "cog_path")
    )
    Region.objects.filter(pk=gunma.pk).update(raster_resolution_m=250.0)  # a longer run
    hostname = f"doomed-{uuid.uuid4().hex[:6]}@localhost"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    doomed = start_worker(hostname, env, queues="doomed")
    job = Job.objects.create(kind="recompute", region=gunma)
    tasks.recompute_region.apply_async((job.pk,), queue="doomed")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state == Job.State.RUNNING and job.progress >= 0.15:
            break
        time.sleep(0.05)
    assert job.state == Job.State.RUNNING, job.message
    # During the run the published layers are the old ones, readable.
    during = dict(
        MapLayer.objects.filter(region=gunma, is_current=True).values_list("kind", "cog_path")
    )
    assert during == current
    # ...and their tiles are served (the Yoshioka tile of the λ layer at zoom 12).
    from django.urls import reverse

    from tests.potential_map.test_tiles import lonlat_to_tile

    conductivity = MapLayer.objects.get(region=gunma, kind=LayerKind.CONDUCTIVITY, is_current=True)
    x, y = lonlat_to_tile(139.01028, 36.4475, 12)
    assert (
        client.get(
            reverse("tile", args=[conductivity.pk, conductivity.version, 12, x, y])
        ).status_code
        == 200
    )
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)
    stop_worker(doomed)
    after = dict(
        MapLayer.objects.filter(region=gunma, is_current=True).values_list("kind", "cog_path")
    )
    assert after == current
    assert all(Path(path).is_file() for path in after.values())
    assert rasters.read_band(after[LayerKind.CONDUCTIVITY], 1).size > 0
    assert MapLayer.objects.filter(region=gunma, version=2).count() == 0
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING  # nobody is left to say otherwise...
    with override_settings(JOB_STALE_AFTER_S=0):
        assert fail_stale_jobs() >= 1  # ...until the periodic clean-up does
    job.refresh_from_db()
    assert job.state == Job.State.FAILED


def test_a_new_borehole_changes_only_the_cells_around_it(gunma) -> None:
    """The region keeps its variogram, so after importing one borehole the recomputed λ differs
    only where that borehole is among a cell's 16 nearest, within one variogram range."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ingest import service
    from tests.wells import files

    recompute(gunma)
    before = MapLayer.objects.get(region=gunma, kind=LayerKind.CONDUCTIVITY, is_current=True)
    lon, lat = 139.3, 36.35  # in the Tone terrace unit, away from the others
    rows = [
        ["code", "lon", "lat", "depth", "purpose", "published"],
        ["", "°", "°", "m", "", ""],
        ["NEW-1", lon, lat, 100, "exploration", "true"],
    ]
    column = [
        ["borehole_code", "top", "bottom", "lithology", "published"],
        ["", "m", "m", "", ""],
        ["NEW-1", 0, 100, "clay", "true"],  # 1.8 W/(m·K), unlike its sandy-gravel neighbours
    ]
    for name, table in (("new.csv", rows), ("new-column.csv", column)):
        batch, _job = service.create_batch(
            gunma, "auto", SimpleUploadedFile(name, files.table_csv(table)), None
        )
        assert service.run_import(batch).state == "imported", batch.errors
    recompute(gunma)
    after = MapLayer.objects.get(region=gunma, kind=LayerKind.CONDUCTIVITY, is_current=True)
    assert after.definition["variogram"] == before.definition["variogram"]
    old, new = rasters.read_band(before.cog_path, 1), rasters.read_band(after.cog_path, 1)
    changed = np.isfinite(old) & (np.abs(new - old) > 1e-6)
    assert changed.sum() > 0
    rows_, cols = np.nonzero(changed)
    xy = rasters.points_to_metric(np.array([lon]), np.array([lat]), after.crs_epsg)[0]
    with rasterio_open(after.cog_path) as source:
        x, y = source.xy(rows_, cols)
    distance = np.hypot(np.array(x) - xy[0], np.array(y) - xy[1])
    assert distance.max() <= before.definition["variogram"]["range_m"] + 1000  # one cell
    assert changed.sum() < 0.5 * np.isfinite(old).sum()  # most of the region is untouched


def test_windows_krige_exactly_what_one_task_would(gunma) -> None:
    """The same kriging spec over the whole grid and over four windows gives the same bands."""
    from potential_map import tasks
    from potential_map.services import inputs, layers

    job = Job.objects.create(kind="recompute", region=gunma)
    prepared = inputs.prepare(job)
    whole = layers.krige(prepared.specs["conductivity"], prepared.cells, 0, len(prepared.cells))
    parts = [
        layers.krige(prepared.specs["conductivity"], prepared.cells, *bounds)
        for bounds in (tasks._window_bounds(len(prepared.cells), i, 4) for i in range(4))
    ]
    for band in ("p50", "p10", "p90"):
        joined = np.concatenate([getattr(part, band) for part in parts])
        assert np.array_equal(joined, getattr(whole, band), equal_nan=True)


def test_a_large_grid_is_recomputed_in_windows(gunma) -> None:
    job = recompute(gunma)
    assert job.state == Job.State.SUCCEEDED, job.message
    # Gunma on a 1 km grid has ≈ 6 400 cells; test settings cut windows of 2 000 cells.
    assert job.parts_total >= 3
    assert job.parts_done == job.parts_total
    assert MapLayer.objects.filter(region=gunma, is_current=True).count() == len(LayerKind.values)
