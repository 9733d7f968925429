from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PotentialMapConfig(AppConfig):
    name = "potential_map"
    verbose_name = _("Potential maps")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from core.models import Region
        from field_tests.signals import analysis_changed
        from ingest import registry, signals
        from potential_map import handlers, survey_kinds, views

        survey_kinds.register()

        for signal in (
            signals.batch_imported,
            signals.batch_published,
            signals.batch_withdrawn,
            signals.batch_rolled_back,
        ):
            signal.connect(handlers.recompute_after_batch, dispatch_uid="potential_map.recompute")
        for signal in (signals.batch_withdrawn, signals.batch_rolled_back):
            signal.connect(handlers.purge_tiles_after_batch, dispatch_uid="potential_map.purge")
        post_save.connect(
            handlers.purge_tiles_of_unpublished_region,
            sender=Region,
            dispatch_uid="potential_map.purge_region",
        )
        analysis_changed.connect(
            handlers.recompute_after_analysis, dispatch_uid="potential_map.recompute_analysis"
        )
        from django.db.models.signals import post_save

        from potential_map.models import MapLayer

        post_save.connect(handlers.warm_new_layer, sender=MapLayer, dispatch_uid="warm-tiles")
        registry.register_panel(
            "upload", "potential_map/_recompute_button.html", views.upload_page_panel
        )
