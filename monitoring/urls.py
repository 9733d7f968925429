from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/<slug:region_code>/", views.systems_page, name="systems"),
    path("monitoring/<slug:region_code>/<slug:code>/", views.system_page, name="system"),
    path(
        "monitoring/<slug:region_code>/<slug:code>/upload/",
        views.upload_series,
        name="upload",
    ),
    path("monitoring/<slug:region_code>/<slug:code>/token/", views.new_token, name="token"),
]
