"""Tests: real PostGIS, real Redis (own databases), a real Celery worker process.

Redis databases 13 (cache) and 15 (broker) keep a development worker from taking test tasks.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env

DEBUG = False
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default="redis://127.0.0.1:6379/13"),
        "KEY_PREFIX": "groundheat-test",
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast personas
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
LAYER_ROOT = BASE_DIR / "var" / "test-layers"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as in development (no collectstatic in tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Imports close together share one recompute; tests need not wait long for it.
RECOMPUTE_DELAY_S = 0.5
LAYER_ROOT = BASE_DIR / "var" / "test-layers"
# Small windows: the worker tests go through the windowed (Celery group) recompute.
RECOMPUTE_WINDOW_CELLS = env.int("RECOMPUTE_WINDOW_CELLS", default=2000)
