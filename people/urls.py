from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("join/", views.how_to_join, name="how_to_join"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
