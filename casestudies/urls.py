"""Mounted at /case-studies/ (cop/urls.py). Paths not matched here (the case
study pages) fall through to Wagtail's catch-all."""

from django.urls import path

from . import views
from .feeds import CaseStudyAtomFeed, CaseStudyFeed

app_name = "casestudies"

urlpatterns = [
    path("", views.index, name="index"),
    path("contribute/", views.submission_start, name="start"),
    path("contribute/<int:pk>/", views.submission_overview, name="overview"),
    path("contribute/<int:pk>/check/", views.submission_check, name="check"),
    path("contribute/<int:pk>/<slug:step>/", views.submission_step, name="step"),
    path("mine/", views.my_submissions, name="mine"),
    path("reused/<int:pk>/", views.adoption_create, name="adoption"),
    path("feed/", CaseStudyFeed(), name="feed"),
    path("feed/atom/", CaseStudyAtomFeed(), name="atom"),
]
