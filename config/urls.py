"""URLs. Pages are under a language prefix (/en/, /ja/, /ru/, /tg/); API and health are not."""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.views import admin_login
from core import health, views
from potential_map import tiles

if not settings.ADMIN_URL.endswith("/") or settings.ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_URL must be a relative path ending in '/', like 'admin/': "
        f"{settings.ADMIN_URL!r}"
    )
# Everyone signs in on the site's own rate-limited page; the admin stays for staff.
admin.site.login = admin_login  # type: ignore[method-assign]

_api_docs_styles = csp_update({"style-src": [UNSAFE_INLINE]})

urlpatterns = [
    path("health/", health.health, name="health"),
    path("tiles/<int:layer_id>/<int:version>/<int:z>/<int:x>/<int:y>.png", tiles.tile, name="tile"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(("config.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    # Both bundles write style attributes and <style> elements: inline styles on these two only.
    path(
        "api/docs/",
        _api_docs_styles(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="swagger-ui",
    ),
    path(
        "api/redoc/",
        # Redoc's search runs in a worker it makes from a blob.
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="schema")
        ),
        name="redoc",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("help/", views.help_page, name="help"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("ingest.urls")),
    path("", include("wells.urls")),
    path("", include("field_tests.urls")),
    path("", include("estimates.urls")),
    path("", include("planning.urls")),
    path("", include("monitoring.urls")),
    path("", include("potential_map.urls")),
)
