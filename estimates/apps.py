from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstimatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "estimates"
    verbose_name = _("design estimates")

    def ready(self) -> None:
        from core.signals import jobs_abandoned
        from estimates.handlers import fail_abandoned_estimates

        jobs_abandoned.connect(fail_abandoned_estimates, dispatch_uid="estimates-abandoned")
