"""Tests: real PostGIS, real Redis (own databases), a real Celery worker process.

Redis databases 13 (cache) and 15 (broker) keep a development worker from taking test tasks.
GROUNDHEAT_TEST_SLOT=N (1-6) gives a second checkout its own test database, Redis databases and
layer folders, so two suites can run side by side on one machine; unset, slot 0 is the default.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env

DEBUG = False
TEST_SLOT = env.int("GROUNDHEAT_TEST_SLOT", default=0)
_SLOT_SUFFIX = f"_{TEST_SLOT}" if TEST_SLOT else ""
# Slot 0: broker 15, cache 13; slot n (1-5): broker 13 - 2n, cache 12 - 2n; slot 6 takes the two
# left over (14, 12). Dev uses 0 and 1; Redis has 16 databases.
_BROKER_DB, _CACHE_DB = {0: (15, 13), 6: (14, 12)}.get(
    TEST_SLOT, (13 - 2 * TEST_SLOT, 12 - 2 * TEST_SLOT)
)
DATABASES["default"]["TEST"] = {"NAME": f"test_groundheat{_SLOT_SUFFIX}"}  # noqa: F405
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=f"redis://127.0.0.1:6379/{_BROKER_DB}")
CACHES = {
    "default": {
        "BACKEND": "core.cache.DegradingRedisCache",  # an outage is a miss, not a 500
        "LOCATION": env("CACHE_URL", default=f"redis://127.0.0.1:6379/{_CACHE_DB}"),
        "KEY_PREFIX": "groundheat-test",
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast personas
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{_SLOT_SUFFIX}"
LAYER_ROOT = BASE_DIR / "var" / f"test-layers{_SLOT_SUFFIX}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as in development (no collectstatic in tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Imports close together share one recompute; tests need not wait long for it.
RECOMPUTE_DELAY_S = 0.5
# Small windows: the worker tests go through the windowed (Celery group) recompute.
RECOMPUTE_WINDOW_CELLS = env.int("RECOMPUTE_WINDOW_CELLS", default=2000)
# Rate limits far above what the suite or the load bench sends; a test lowers one to see the 429.
RATE_LIMITS = {
    scope: "100000/min"
    for scope in (
        "point_user",
        "point_address",
        "estimate_user",
        "estimate_address",
        "upload_user",
        "upload_address",
    )
}
# The same for sign-in and account mail (accounts.limits); tests/accounts lower them.
ACCOUNT_RATE_LIMITS = {
    scope: "100000/hour"
    for scope in ("sign_in_account", "sign_in_address", "mail_account", "mail_address")
}
# Alert e-mails as files the tests (and the worker process) can both see.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE_DIR / "var" / f"test-mail{_SLOT_SUFFIX}"
# Each /health/ test probes afresh (a test that needs the kept answer sets its own).
HEALTH_PROBE_TTL_S = 0.0
# The test regions are small: their tiles to zoom 6 are warmed in a moment.
TILE_WARM_MAX_ZOOM = 6
