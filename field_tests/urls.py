from django.urls import path

from field_tests import views

app_name = "field_tests"
urlpatterns = [
    path("analyses/<int:analysis_id>/refit/", views.refit, name="refit"),
]
