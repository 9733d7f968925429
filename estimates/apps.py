from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstimatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "estimates"
    verbose_name = _("design estimates")
