from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    """What every upload shares: readers, errors, batches, rollback, the survey-kind registry."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ingest"
    verbose_name = _("survey uploads")
