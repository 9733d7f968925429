from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldTestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "field_tests"
    verbose_name = _("field tests")
