"""Settings shared by every environment. Values that differ come from the environment.

django-environ reads variables strictly; `FileAwareEnv` also reads `X_FILE` (Docker secrets).
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.FileAwareEnv()

# Dev and test default to the local services the make targets start; production sets all.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-not-for-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "core",
    "accounts",
    "ingest",
    "wells",
    "geology",
    "potential_map",
    "field_tests",
    "estimates",
    "planning",
    "monitoring",
    "reference",
    "search",
    "region_fixtures",  # project-level glue: loads fixtures/ through every app
]

MIDDLEWARE = [
    # First, so it compresses every response, static files from WhiteNoise included: a slow
    # line's first map view must stay small. Django's gzip pads against BREACH (4.2+).
    "core.middleware.TextGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below
    "core.middleware.RequestSizeLimitMiddleware",  # 413 over REQUEST_MAX_BYTES, body unread
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.ControlCharacterMiddleware",  # 400 for a NUL in a path, query or field
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.people_link",
                "ingest.context_processors.uploads_link",
            ],
        },
    },
]

# postgis://user:password@host:port/name; the make targets create this role and database.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default="postgis://groundheat:groundheat@127.0.0.1:5432/groundheat"
    )
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# Keep connections: a new PostgreSQL connection (scram auth) costs more than a small job.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "core.cache.DegradingRedisCache",  # an outage is a miss, not a 500
        "LOCATION": env("CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": "groundheat",
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Everyone signs in on the site's own pages (accounts): no role needs is_staff, and the Django
# admin's login sends there too. Links in account mails are built from SITE_URL.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameOrEmailBackend"]
# An invitation's one-time link (accounts.tokens) lives this long; a reset link
# PASSWORD_RESET_TIMEOUT (Django's default, 3 days).
INVITATION_TIMEOUT_S = env.int("INVITATION_TIMEOUT_S", default=7 * 86400)
# Installers may sign themselves up (an e-mailed one-time link sets the password). Off unless
# a deployment wants it.
ACCOUNT_SIGNUP_INSTALLERS = env.bool("ACCOUNT_SIGNUP_INSTALLERS", default=False)
# Sign-in and account-mail limits (accounts.limits), DRF rates counted in the cache. Failed
# sign-ins per account (wherever they come from) and per client address (whatever account);
# reset and sign-up mails per address asked for and per client address.
ACCOUNT_RATE_LIMITS = {
    "sign_in_account": env("RATE_LIMIT_SIGN_IN_ACCOUNT", default="10/hour"),
    "sign_in_address": env("RATE_LIMIT_SIGN_IN_ADDRESS", default="30/hour"),
    "mail_account": env("RATE_LIMIT_MAIL_ACCOUNT", default="5/hour"),
    "mail_address": env("RATE_LIMIT_MAIL_ADDRESS", default="20/hour"),
}
# The Django admin's URL under the language prefix (staff only); a deployment may move it.
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# Languages of the three regions' users. Tajik and Russian for Tajikistan, Japanese for
# Okinawa and Gunma; English for everyone else.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語"), ("ru", "Русский"), ("tg", "Тоҷикӣ")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Map layers (COG files) live outside MEDIA_ROOT: they are served through permission checks.
LAYER_ROOT = env.path("LAYER_ROOT", default=BASE_DIR / "var" / "layers")

# Uploads: refuse big bodies early; survey files go through the importer's own limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
IMPORT_MAX_UNZIPPED_BYTES = env.int("IMPORT_MAX_UNZIPPED_BYTES", default=500 * 1024 * 1024)
IMPORT_MAX_ZIP_RATIO = env.int("IMPORT_MAX_ZIP_RATIO", default=100)  # unpacked / packed
IMPORT_MAX_ZIP_MEMBERS = env.int("IMPORT_MAX_ZIP_MEMBERS", default=1000)
# Any request body over this is answered 413 before it is read (core.middleware); a little over
# IMPORT_MAX_BYTES, so a file just over the importer's limit still gets its named refusal. nginx's
# client_max_body_size (docker/nginx.conf) is the same 110 MiB.
# A JSON body of the API (an estimate, a parcel of at most 5,000 vertices) is far smaller.
API_JSON_MAX_BYTES = env.int("API_JSON_MAX_BYTES", default=1_000_000)
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=IMPORT_MAX_BYTES + 10 * 1024 * 1024)

# Rate limits of the expensive endpoints (core.throttling), per signed-in user and per client
# address, as DRF rates ("<count>/<s|min|hour|day>"). Shared by the API and the pages.
RATE_LIMITS = {
    # Map click: every layer sampled at a point (GET /api/point, POST /api/parcel).
    "point_user": env("RATE_LIMIT_POINT_USER", default="120/min"),
    "point_address": env("RATE_LIMIT_POINT_ADDRESS", default="300/min"),
    # Design estimate (GHEtool sizing): the form's POST and POST /api/estimates.
    "estimate_user": env("RATE_LIMIT_ESTIMATE_USER", default="30/min"),
    "estimate_address": env("RATE_LIMIT_ESTIMATE_ADDRESS", default="60/min"),
    # Steward uploads (survey files, district data) and field-test refits.
    "upload_user": env("RATE_LIMIT_UPLOAD_USER", default="60/hour"),
    "upload_address": env("RATE_LIMIT_UPLOAD_ADDRESS", default="120/hour"),
}

# Celery: Redis as broker; the Job row is the result, so results are not stored.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fixup closes the database connection before and after every task unless
# this is set; reconnecting (scram auth) then costs ~30 ms of a ~35 ms small job. Reuse it for
# this many tasks, then reconnect.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=200)
# Two queues, a worker each: closed-loop estimates (GHEtool sizing, seconds each, asked by any
# visitor) on "estimates"; imports, recomputes and the beat's housekeeping on "celery". An
# estimate storm never delays an import or a recompute, nor the reverse.
CELERY_TASK_DEFAULT_QUEUE = "celery"
ESTIMATE_QUEUE = "estimates"
# Warming a new layer's low-zoom tiles (seconds a tile, minutes a recompute) has a third queue,
# so it delays neither: its worker is niced to the lowest priority.
TILE_QUEUE = "tiles"
CELERY_TASK_ROUTES = {
    "estimates.tasks.*": {"queue": ESTIMATE_QUEUE},
    "potential_map.tasks.warm_tiles": {"queue": TILE_QUEUE},
}
# An estimate's sizing has this long (soft: it ends failed with a reason), then is killed.
ESTIMATE_SOFT_TIME_LIMIT_S = env.int("ESTIMATE_SOFT_TIME_LIMIT_S", default=120)
ESTIMATE_TIME_LIMIT_S = env.int("ESTIMATE_TIME_LIMIT_S", default=150)
# A broker that is down must not hold a request: connect and publish quickly (core.jobs).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 5.0}
CELERY_TASK_ALWAYS_EAGER = False  # never eager: it hides serialisation and transaction bugs
# A running job whose row has not moved for this long is taken as dead (worker killed).
JOB_STALE_AFTER_S = env.int("JOB_STALE_AFTER_S", default=3600)
# A layer switched in has its tiles up to this zoom rendered into the cache by a task
# (potential_map.tasks.warm_tiles): the low zooms read a whole region's COG, seconds a tile.
TILE_WARM_MAX_ZOOM = env.int("TILE_WARM_MAX_ZOOM", default=8)
# /health/ answers from its last probe for this long (core.health).
HEALTH_PROBE_TTL_S = env.float("HEALTH_PROBE_TTL_S", default=15.0)
# The outbox (core.jobs): a queued job unsent this long after its commit is sent by the beat;
# one sent this long ago and still queued is sent again (its message may have been lost).
JOB_SEND_GRACE_S = env.int("JOB_SEND_GRACE_S", default=10)
JOB_RESEND_AFTER_S = env.int("JOB_RESEND_AFTER_S", default=600)
# Imports within this many seconds of each other share one recomputation of the maps.
RECOMPUTE_DELAY_S = env.float("RECOMPUTE_DELAY_S", default=30.0)
# A grid with more cells inside the region than this is kriged in windows by a Celery group
# (workers on several machines share LAYER_ROOT); smaller ones in one task.
RECOMPUTE_WINDOW_CELLS = env.int("RECOMPUTE_WINDOW_CELLS", default=2_000_000)
# Monitoring alerts: how far back each beat evaluation looks, and where e-mail goes.
MONITORING_ALERT_LOOKBACK_S = env.int("MONITORING_ALERT_LOOKBACK_S", default=14 * 86400)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="GroundHeat Atlas <noreply@localhost>")
CELERY_BEAT_SCHEDULE = {
    "fail-stale-jobs": {"task": "core.tasks.fail_stale_jobs", "schedule": 300.0},
    "resend-jobs": {"task": "core.tasks.resend_jobs", "schedule": 30.0},
    "monitoring-alerts": {
        "task": "monitoring.tasks.evaluate_alerts",
        "schedule": env.float("MONITORING_ALERT_INTERVAL_S", default=900.0),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every JSON body: at most API_JSON_MAX_BYTES, 64 levels deep, finite numbers only.
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Refusals of input: 400 with {"error": ..., "fields": {field: [messages]}} (core.api.errors).
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.BoundedFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    # The client address for rate limits is REMOTE_ADDR, or with proxies in front (nginx: 1)
    # the address that many hops back in X-Forwarded-For; a client cannot choose its own.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GroundHeat Atlas API",
    "DESCRIPTION": "Ground-source heat pump potential maps, survey data and design estimates.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the sidecar package: no request leaves the site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Django's <int:...> matches digits only: a negative id is no URL of ours (an HTML 404).
    "PATH_CONVERTER_OVERRIDES": {"int": {"type": "integer", "minimum": 0}},
}

# No basemap by default: no request to any server outside the site. A deployment names one,
# e.g. BASEMAP_URL=https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png
BASEMAP_URL = env("BASEMAP_URL", default="")
BASEMAP_ATTRIBUTION = env("BASEMAP_ATTRIBUTION", default="")
# Content-Security-Policy (django-csp). Scripts and styles come from this site only: no
# template holds inline script (data goes through json_script or data- attributes, and a test
# scans every template), django-leaflet's map tag is replaced by a template that does the same
# (templates/leaflet/_leaflet_map.html). NONCE is used by one page only: the admin's map widget
# (django-leaflet's LeafletGeoAdmin asks for request.csp_nonce); a page that does not ask
# sends no nonce. Images may come from the basemap's server when a deployment names one.
_BASEMAP_ORIGIN = (
    "/".join(BASEMAP_URL.split("/")[:3]).replace("{s}.", "*.") if BASEMAP_URL else ""
)  # https://{s}.tile.example/... → https://*.tile.example
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_BASEMAP_ORIGIN] if _BASEMAP_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LEAFLET_CONFIG = {
    "TILES": [("basemap", BASEMAP_URL, {"attribution": BASEMAP_ATTRIBUTION})]
    if BASEMAP_URL
    else [],
    "DEFAULT_CENTER": (30.0, 100.0),
    "DEFAULT_ZOOM": 3,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": "GroundHeat Atlas",
}

SILENCED_SYSTEM_CHECKS = [
    # gis.W001: Debian 12's GDAL (3.6) cannot block file and network access from a spatial
    # reference string. We pass GeoDjango EPSG integers only, never a user's SRS text, and
    # read uploads with pyogrio/pyproj, whose wheels carry newer GDAL and PROJ.
    "gis.W001",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"numexpr": {"level": "WARNING"}},  # "defaulting to 2 threads" on every start
}
