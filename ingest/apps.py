from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    """What every upload shares: readers, errors, batches, rollback, the survey-kind registry.

    The survey kinds themselves are registered by the apps that own their models, from their
    own ready() (wells, geology, planning, monitoring).
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "ingest"
    verbose_name = _("survey uploads")

    def ready(self) -> None:
        from core.signals import jobs_abandoned
        from ingest import handlers

        jobs_abandoned.connect(
            handlers.reject_abandoned_imports, dispatch_uid="ingest.reject_abandoned_imports"
        )
