from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Invitation, Organisation, Profile


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "site"
    menu_label = "Organisations"
    list_display = ["name", "abbreviation", "type", "parent"]
    list_filter = ["type"]
    search_fields = ["name", "abbreviation"]


class ProfileViewSet(SnippetViewSet):
    model = Profile
    icon = "user"
    menu_label = "Member profiles"
    list_display = ["user", "organisation", "job_title", "is_organisation_admin"]
    list_filter = ["is_organisation_admin", "is_leaver", "organisation"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "job_title"]


class InvitationViewSet(SnippetViewSet):
    model = Invitation
    icon = "mail"
    menu_label = "Invitations"
    list_display = ["email", "organisation", "invited_by", "expires_at", "accepted_at"]
    inspect_view_enabled = True


class PeopleGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, ProfileViewSet, InvitationViewSet)
    menu_icon = "group"
    menu_label = "People"
    menu_name = "people"


register_snippet(PeopleGroup)
