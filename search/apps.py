from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Place search of the map: regions, districts, boreholes, monitored systems, coordinates.

    It reads several apps (core, wells, monitoring), so it sits at the top of the layer order
    beside planning and monitoring, and no app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("place search")
