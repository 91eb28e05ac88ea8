from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("similar/", views.similar, name="similar"),
    path("similar/open/", views.similar_open, name="similar_open"),
    path("similar/report/", views.similar_report, name="similar_report"),
]
