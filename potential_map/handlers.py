"""What potential_map does when others announce: the maps follow what they are made of.

An import, a publication, a withdrawal or a rollback of a batch that feeds the maps, and a new
field-test analysis, each queue the region's recompute (several close together share one).
"""

from __future__ import annotations

import logging
from typing import Any

from core.models import District
from ingest import registry
from potential_map import tiles
from potential_map.models import MapLayer
from potential_map.services import request_recompute

logger = logging.getLogger(__name__)

# The apps whose rows recompute_region reads (boreholes and what was measured in them,
# geological units); districts too, for the rules that apply by municipality. A batch of
# anything else (a building-stock table, a monitoring series) leaves the maps as they are.
MAP_INPUT_APPS = ("wells", "geology")


def feeds_maps(batch: Any) -> bool:
    kind = registry.get(batch.kind)
    if kind is None:
        return True  # a kind no app declares any more: recompute rather than go stale
    return any(m._meta.app_label in MAP_INPUT_APPS or m is District for m in kind.models)


def recompute_after_batch(sender: Any, batch: Any, user: Any = None, **kwargs: Any) -> None:
    """ingest.signals.batch_imported / _published / _withdrawn / _rolled_back."""
    if feeds_maps(batch):
        request_recompute(batch.region, user)


def recompute_after_analysis(sender: Any, region: Any, user: Any = None, **kwargs: Any) -> None:
    """field_tests.signals.analysis_changed: the maps use the current analyses."""
    request_recompute(region, user)


def purge_tiles_after_batch(sender: Any, batch: Any, **kwargs: Any) -> None:
    """ingest.signals.batch_withdrawn / _rolled_back: the layers made with the batch are no
    longer public (MapLayerQuerySet.release_filter) until the recompute replaces them; their
    rendered tiles leave the cache now, not when it expires."""
    tiles.purge(MapLayer.objects.filter(input_batches=batch))


def purge_tiles_of_unpublished_region(
    sender: Any, instance: Any, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of core.Region: the rendered tiles of a region that is not published leave
    the cache (the public sees none of its layers)."""
    if not raw and not instance.published:
        tiles.purge(MapLayer.objects.filter(region=instance))


def warm_new_layer(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """post_save of MapLayer: a layer switched in has its low-zoom tiles rendered by a task
    once the switch commits. A broker that is down only leaves them to be rendered on demand."""
    if not (created and instance.is_current):
        return
    from django.db import transaction

    from potential_map.tasks import warm_tiles

    def send() -> None:
        try:
            warm_tiles.apply_async((instance.pk,), retry=False)
        except Exception:
            logger.warning(
                "layer %s: tiles not warmed (broker down); rendered on demand", instance.pk
            )

    transaction.on_commit(send)
