"""Celery entry points of potential_map, and the fan-out of a large recompute.

A recompute reads its inputs once (services.inputs.prepare). A grid of at most
RECOMPUTE_WINDOW_CELLS inside cells is kriged and published in one task; a larger one is cut
into windows kriged by a Celery group (any worker on any machine sharing LAYER_ROOT), and the
last window to finish queues the assembly, which joins them and publishes every layer
(services.publishing). The services stay plain functions; the queueing lives here.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from celery import current_task, group, shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from core.jobs import CONTINUES, run_job
from core.models import Job
from potential_map.domain.layers import Bands
from potential_map.services import inputs, layers, publishing
from potential_map.services.inputs import Prepared


@shared_task(base=DjangoTask)
def recompute_region(job_id: int) -> None:
    """Queue entry point of a region's recompute (recompute below)."""
    run_job(job_id, recompute)


@shared_task(base=DjangoTask)
def recompute_window(job_id: int, index: int, count: int) -> None:
    """One window of a large recompute."""
    _krige_window(job_id, index, count)


@shared_task(base=DjangoTask)
def assemble_region(job_id: int) -> None:
    """The end of a windowed recompute: join the windows and publish."""
    _assemble(job_id)


def recompute(job: Job) -> Any:
    """Compute every layer of job.region and make the new versions current together.

    A grid larger than RECOMPUTE_WINDOW_CELLS inside cells is cut into windows kriged by a
    Celery group (any worker on any machine sharing LAYER_ROOT); the last window to finish
    queues the assembly, which writes the layers and ends the job (returns CONTINUES here).
    """
    prepared = inputs.prepare(job)
    count = int(np.ceil(len(prepared.cells) / settings.RECOMPUTE_WINDOW_CELLS))
    if count <= 1:
        bands = {
            name: layers.krige(spec, prepared.cells, 0, len(prepared.cells))
            for name, spec in prepared.specs.items()
        }
        return publishing.publish(job, prepared, bands)
    folder = _work_folder(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "prepared.pickle").open("wb") as handle:
        pickle.dump(prepared, handle)  # our own data, read back by our own tasks only
    Job.objects.filter(pk=job.pk).update(parts_total=count, parts_done=0)
    job.set_progress(0.15, N_("Kriging the windows"))
    # The windows go where this task came from (the default queue, in practice).
    request = current_task.request if current_task else None
    queue = ((request.delivery_info or {}).get("routing_key") if request else None) or None
    windows = group(recompute_window.s(job.pk, index, count) for index in range(count))
    windows.apply_async(queue=queue) if queue else windows.apply_async()
    return CONTINUES


def _work_folder(job_id: int) -> Path:
    return Path(settings.LAYER_ROOT) / "work" / str(job_id)


def _window_bounds(total: int, index: int, count: int) -> tuple[int, int]:
    size = int(np.ceil(total / count))
    return index * size, min(total, (index + 1) * size)


def _krige_window(job_id: int, index: int, count: int) -> None:
    """Krige one window of cells and store it; the last window queues the assembly."""
    if not Job.objects.filter(pk=job_id, state=Job.State.RUNNING).exists():
        return  # the job failed or was ended: nothing to add to it
    folder = _work_folder(job_id)
    try:
        with (folder / "prepared.pickle").open("rb") as handle:
            prepared: Prepared = pickle.load(handle)  # written by recompute_region above
        lo, hi = _window_bounds(len(prepared.cells), index, count)
        arrays = {}
        for name, spec in prepared.specs.items():
            bands = layers.krige(spec, prepared.cells, lo, hi)
            for band in ("p50", "p10", "p90"):
                arrays[f"{name}.{band}"] = getattr(bands, band)
        np.savez(folder / f"window-{index}.npz", **arrays)
    except Exception as exc:
        _fail(job_id, exc)
        raise
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.parts_done += 1
        job.save(update_fields=["parts_done", "updated_at"])
        last = job.parts_done == job.parts_total
    job.set_progress(0.15 + 0.55 * job.parts_done / job.parts_total, N_("Kriging the windows"))
    if last:
        assemble_region.delay(job_id)


def _assemble(job_id: int) -> None:
    """Join the windows, write the layers, switch them in, and end the job."""
    job = Job.objects.select_related("region").filter(pk=job_id, state=Job.State.RUNNING).first()
    if job is None:
        return
    folder = _work_folder(job_id)
    try:
        with (folder / "prepared.pickle").open("rb") as handle:
            prepared: Prepared = pickle.load(handle)
        windows = [np.load(folder / f"window-{i}.npz") for i in range(job.parts_total)]
        bands = {}
        for name in prepared.specs:
            joined = {
                band: np.concatenate([w[f"{name}.{band}"] for w in windows])
                for band in ("p50", "p10", "p90")
            }
            bands[name] = Bands(
                joined["p50"],
                joined["p10"],
                joined["p90"],
                inputs.variogram_dict(prepared.specs[name].variogram),
            )
        publishing.publish(job, prepared, bands)
    except Exception as exc:
        _fail(job_id, exc)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    job.set_progress(1.0, N_("Done"))
    Job.objects.filter(pk=job_id).update(state=Job.State.SUCCEEDED, finished_at=timezone.now())


def _fail(job_id: int, exc: BaseException) -> None:
    Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
        state=Job.State.FAILED,
        message=f"{type(exc).__name__}: {exc}"[:1000],
        finished_at=timezone.now(),
    )
    shutil.rmtree(_work_folder(job_id), ignore_errors=True)


@shared_task(base=DjangoTask, ignore_result=True)
def warm_tiles(layer_id: int) -> int:
    """After a layer is switched in: render its low-zoom tiles into the cache, so its first
    anonymous visitor does not wait seconds for each (potential_map.tiles.warm)."""
    from django.conf import settings

    from potential_map import tiles
    from potential_map.models import MapLayer

    layer = MapLayer.objects.filter(pk=layer_id, is_current=True).first()
    if layer is None:
        return 0  # replaced or removed since: nothing to warm
    return tiles.warm(layer, settings.TILE_WARM_MAX_ZOOM)
