from django.urls import path, re_path

from .views import documents, spaces

app_name = "spaces"

urlpatterns = [
    path("", spaces.directory, name="directory"),
    path("new/", spaces.create, name="create"),
    path("invitations/<str:token>/", spaces.invitation, name="invitation"),
    path("<slug:slug>/", spaces.detail, name="detail"),
    path("<slug:slug>/edit/", spaces.edit, name="edit"),
    path(
        "<slug:slug>/organisations/",
        spaces.organisation_set,
        name="organisation_set",
    ),
    path(
        "<slug:slug>/organisations/<int:organisation_id>/remove/",
        spaces.organisation_remove,
        name="organisation_remove",
    ),
    path("<slug:slug>/join/", spaces.join, name="join"),
    path("<slug:slug>/ask-to-join/", spaces.ask_to_join, name="ask_to_join"),
    path("<slug:slug>/leave/", spaces.leave, name="leave"),
    path("<slug:slug>/members/", spaces.members, name="members"),
    path("<slug:slug>/members/invite/", spaces.invite, name="invite"),
    path(
        "<slug:slug>/members/<int:membership_id>/role/",
        spaces.member_role,
        name="member_role",
    ),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        spaces.member_remove,
        name="member_remove",
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/requests/(?P<request_id>[0-9]+)/"
        r"(?P<decision>approve|decline)/$",
        spaces.join_request_decide,
        name="join_request_decide",
    ),
    path("<slug:slug>/actions/", spaces.actions, name="actions"),
    path(
        "<slug:slug>/actions/<int:action_id>/edit/",
        spaces.action_edit,
        name="action_edit",
    ),
    path("<slug:slug>/documents/", documents.document_list, name="documents"),
    path(
        "<slug:slug>/documents/folders/new/",
        documents.folder_create,
        name="folder_create",
    ),
    path("<slug:slug>/documents/upload/", documents.upload, name="upload"),
    path(
        "<slug:slug>/documents/<int:document_id>/",
        documents.document_detail,
        name="document",
    ),
    path(
        "<slug:slug>/documents/<int:document_id>/edit/",
        documents.document_edit,
        name="document_edit",
    ),
    path(
        "<slug:slug>/documents/<int:document_id>/comments/",
        documents.comment_create,
        name="comment_create",
    ),
    path(
        "<slug:slug>/documents/<int:document_id>/versions/new/",
        documents.new_version,
        name="new_version",
    ),
    path(
        "<slug:slug>/documents/<int:document_id>/versions/<int:number>/download/",
        documents.download,
        name="download",
    ),
]
