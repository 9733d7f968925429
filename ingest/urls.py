from __future__ import annotations

from django.urls import path

from ingest import views

app_name = "ingest"

urlpatterns = [
    path("imports/", views.imports_home, name="imports"),
    path("imports/<slug:region_code>/", views.upload, name="upload"),
    path("imports/<slug:region_code>/dashboard/", views.dashboard, name="dashboard"),
    path(
        "imports/<slug:region_code>/dashboard/status/",
        views.dashboard_status,
        name="dashboard-status",
    ),
    path("imports/batch/<int:batch_id>/", views.batch_page, name="batch"),
    path("imports/batch/<int:batch_id>/status/", views.batch_status, name="batch-status"),
    path("imports/batch/<int:batch_id>/errors.csv", views.batch_errors_csv, name="batch-errors"),
    path("imports/batch/<int:batch_id>/rollback/", views.batch_rollback, name="batch-rollback"),
    path("imports/batch/<int:batch_id>/publish/", views.batch_publish, name="batch-publish"),
    path(
        "imports/templates/<slug:kind>.<str:extension>",
        views.template_download,
        name="template",
    ),
]
