from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PotentialMapConfig(AppConfig):
    name = "potential_map"
    verbose_name = _("Potential maps")
