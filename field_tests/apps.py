from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldTestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "field_tests"
    verbose_name = _("field tests")

    def ready(self) -> None:
        from field_tests import handlers, presentation
        from ingest.signals import batch_imported
        from wells import panels

        batch_imported.connect(
            handlers.analyse_touched_boreholes, dispatch_uid="field_tests.analyse_touched"
        )
        panels.register("field_tests/_borehole_analyses.html", presentation.borehole_panel)
