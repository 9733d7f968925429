"""Work is bounded and queues are separate (issue #19): estimates on their own queue with time
limits, a new layer's low-zoom tiles rendered by a task, /health/ from a kept probe."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from config.celery_app import app
from core import health
from potential_map import tasks, tiles
from tests.factories import RegionFactory, square
from tests.regions import constant_layer


def test_each_task_goes_to_its_queue_and_an_estimate_has_time_limits() -> None:
    route = app.amqp.router.route
    assert route({}, "estimates.tasks.compute_estimate")["queue"].name == "estimates"
    assert route({}, "ingest.tasks.import_batch")["queue"].name == "celery"
    assert route({}, "potential_map.tasks.recompute_region")["queue"].name == "celery"
    assert route({}, "potential_map.tasks.warm_tiles")["queue"].name == "tiles"
    from estimates.tasks import compute_estimate

    assert 0 < compute_estimate.soft_time_limit < compute_estimate.time_limit


@pytest.mark.django_db(transaction=True)
def test_a_new_layers_low_zoom_tiles_are_rendered_by_the_task_not_the_first_visitor(
    tmp_path, client
) -> None:
    region = RegionFactory(code="warm", boundary=square(127.6, 26.1, 0.2))
    layer = constant_layer(region, tmp_path / "warm.tif", extent=region.boundary.envelope)
    cache.clear()
    with override_settings(TILE_WARM_MAX_ZOOM=7):
        rendered = tasks.warm_tiles(layer.pk)  # as its worker runs it
    # a 0.2° square at zoom 0..7 lies in one tile per zoom, or two where it straddles a tile
    # edge (by hand: 0.2° < 360°/2^7 = 2.8°): 8 to 16 tiles
    assert 8 <= rendered <= 16
    for z in range(8):
        for x, y in tiles.tiles_over(layer.extent.extent, z):
            assert cache.get(tiles._cache_key(layer, 1, z, x, y)) is not None
    # the visitor's tile is the cached one
    x, y = tiles.tiles_over(layer.extent.extent, 7)[0]
    assert client.get(reverse("tile", args=[layer.pk, layer.version, 7, x, y])).status_code in (
        200,
        204,
    )
    assert tasks.warm_tiles(layer.pk) == 0  # already warm: nothing rendered again


@pytest.mark.django_db
def test_health_answers_from_its_kept_probe_within_its_ttl(client) -> None:
    with override_settings(HEALTH_PROBE_TTL_S=60.0):
        health._last.clear()
        first = client.get("/health/").json()
        assert set(first["checks"]) >= {"database", "broker", "cache", "worker", "workers"}
        time.sleep(0.2)
        again = client.get("/health/").json()
        assert again["checks"] == first["checks"]
        assert again["age_s"] >= 0.1  # the kept answer, not a new probe (whose age is 0)
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):  # a new key: probed
        down = client.get("/health/")
    assert down.status_code == 503
    assert down.json()["checks"]["broker"].startswith("error")
    assert down.json()["checks"]["workers"]["estimates"].startswith("unknown")
