from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core: regions, jobs and roles")

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from core.audit import from_log_entry

        # Admin changes enter the audit log from the admin's own LogEntry, in its transaction.
        post_save.connect(from_log_entry, sender=LogEntry, dispatch_uid="core-audit-log-entry")
