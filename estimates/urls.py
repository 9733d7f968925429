from django.urls import path

from estimates import views

app_name = "estimates"
urlpatterns = [
    path("design/", views.design, name="design"),
    path("design/<uuid:token>/", views.result, name="result"),
    path("design/<uuid:token>/status/", views.status, name="status"),
    path("design/<uuid:token>/report.pdf", views.report, name="report"),
]
