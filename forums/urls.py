from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("ask/", views.ask, name="ask"),
    path("spaces/<slug:slug>/", views.space_threads, name="space"),
    path("spaces/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("spaces/<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("threads/<int:thread_id>/", views.thread_detail, name="thread"),
    path("threads/<int:thread_id>/reply/", views.reply, name="reply"),
    path("threads/<int:thread_id>/posts/", views.posts_after, name="posts_after"),
    path("threads/<int:thread_id>/follow/", views.thread_follow, name="follow"),
    path("threads/<int:thread_id>/lock/", views.thread_lock, name="lock"),
    path("threads/<int:thread_id>/move/", views.thread_move, name="move"),
    path("posts/<int:post_id>/", views.post_link, name="post"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/react/", views.post_react, name="react"),
    path("posts/<int:post_id>/report/", views.post_report, name="report"),
    path("posts/<int:post_id>/accept/", views.post_accept, name="accept"),
    path("posts/<int:post_id>/history/", views.post_history, name="history"),
    path(
        "posts/<int:post_id>/hide/",
        views.post_moderate,
        {"action": "hide"},
        name="hide",
    ),
    path(
        "posts/<int:post_id>/restore/",
        views.post_moderate,
        {"action": "restore"},
        name="restore",
    ),
    path("flags/<int:flag_id>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
]
