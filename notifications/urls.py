from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("digest/preview/", views.digest_preview, name="digest_preview"),
    path("digest/view/<str:token>/", views.digest_view, name="digest_view"),
    path("outbox/", views.outbox, name="outbox"),
    path(
        "outbox/<str:name>/<int:number>/", views.outbox_message, name="outbox_message"
    ),
]
