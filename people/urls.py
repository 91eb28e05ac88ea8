from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("join/", views.how_to_join, name="how_to_join"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/confirm/", views.profile_confirm, name="profile_confirm"),
    path("introductions/", views.introductions, name="introductions"),
    path(
        "introductions/<int:pk>/<str:decision>/",
        views.introduction_decide,
        name="introduction_decide",
    ),
    path("organisations/", views.organisation_index, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<slug:slug>/key-contacts/",
        views.key_contacts,
        name="key_contacts",
    ),
    path(
        "organisations/<slug:slug>/key-contacts/<int:pk>/remove/",
        views.key_contact_remove,
        name="key_contact_remove",
    ),
    # Handles last: RESERVED_HANDLES keeps them clear of the paths above.
    path("<slug:handle>/", views.profile, name="profile"),
    path("<slug:handle>/follow/", views.profile_follow, name="profile_follow"),
    path(
        "<slug:handle>/introduction/",
        views.introduction_request,
        name="introduction_request",
    ),
    path("<slug:handle>/manage/", views.profile_manage, name="profile_manage"),
    path("<slug:handle>/leaver/", views.profile_leaver, name="profile_leaver"),
]
