"""The Celery application: settings from Django's (CELERY_ namespace), tasks from every app."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("groundheat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
