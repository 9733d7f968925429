from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldTestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "field_tests"
    verbose_name = _("field tests")

    def ready(self) -> None:
        from field_tests import handlers
        from ingest.signals import batch_imported

        batch_imported.connect(
            handlers.analyse_touched_boreholes, dispatch_uid="field_tests.analyse_touched"
        )
