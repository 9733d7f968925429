from django.urls import path

from planning import views

app_name = "planning"
urlpatterns = [
    path("planning/<slug:region_code>/", views.page, name="compare"),
    path("planning/<slug:region_code>/districts.<str:extension>", views.data, name="data"),
    path("planning/<slug:region_code>/upload/", views.upload, name="upload"),
]
