from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellsConfig(AppConfig):
    name = "wells"
    verbose_name = _("Wells and boreholes")
