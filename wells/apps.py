from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellsConfig(AppConfig):
    name = "wells"
    verbose_name = _("Wells and boreholes")

    def ready(self) -> None:
        from ingest import registry
        from wells import services, survey_kinds

        survey_kinds.register()
        registry.register_panel("batch", "wells/_batch_boreholes.html", services.batch_boreholes)
