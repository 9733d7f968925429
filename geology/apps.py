from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeologyConfig(AppConfig):
    name = "geology"
    verbose_name = _("Geology")

    def ready(self) -> None:
        from geology import survey_kinds

        survey_kinds.register()
