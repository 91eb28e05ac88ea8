"""The audit log in the Wagtail admin: read, filter, search, export. Nothing else.

Only superusers, and staff holding "Can view audit entry" (the Auditors
group gives it, with admin access), may read it. No one may add, change or
delete an entry: there are no such views, and the permission policy refuses
those actions even to superusers, so Wagtail shows no buttons for them.
"""

import json

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import CheckboxSelectMultiple
from django.urls import path
from django.utils import timezone
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import ModelPermissionPolicy

from .actions import label_for
from .models import AuditEntry

# Spreadsheet programs run a cell that starts with one of these as a formula;
# labels and reasons are typed by members, so such cells are quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class AuditPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action != "view" or not (user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or (
            user.is_staff and user.has_perm("audit.view_auditentry")
        )

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return (
            super()
            .users_with_any_permission(["view"])
            .filter(Q(is_superuser=True) | Q(is_staff=True))
        )


def _actions(request):
    codes = (
        AuditEntry.objects.order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    return [(code, f"{label_for(code)} ({code})") for code in codes]


def _actors(request):
    return (
        get_user_model()
        .objects.filter(
            pk__in=AuditEntry.objects.filter(actor__isnull=False).values("actor_id")
        )
        .order_by("first_name", "last_name", "email")
    )


class AuditEntryFilterSet(WagtailFilterSet):
    action = django_filters.MultipleChoiceFilter(
        label="What", choices=[], widget=CheckboxSelectMultiple
    )
    actor = django_filters.ModelChoiceFilter(label="Who", queryset=_actors)
    created_at = django_filters.DateFromToRangeFilter(
        label="When", widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditEntry
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["action"].extra["choices"] = _actions(self.request)


class AuditIndexView(generic.IndexView):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            "detail": {
                self.FORMAT_CSV: self._json,
                self.FORMAT_XLSX: self._json,
            },
            "created_at": {
                self.FORMAT_CSV: lambda value: value.isoformat(),
            },
        }
        self.custom_value_preprocess = {
            **self.custom_value_preprocess,
            str: {self.FORMAT_CSV: csv_safe},
        }

    @staticmethod
    def _json(value):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)

    def get_filename(self):
        return f"audit-log-{timezone.localdate():%Y-%m-%d}"


class AuditInspectView(generic.InspectView):
    def get_detail_display_value(self):
        return json.dumps(self.object.detail, sort_keys=True, ensure_ascii=False)

    def get_action_display_value(self):
        return f"{label_for(self.object.action)} ({self.object.action})"


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = "Audit log"
    add_to_admin_menu = True
    menu_order = 950
    add_to_reference_index = False
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = AuditEntryFilterSet
    search_fields = ["actor_label", "action", "target_label", "space_label", "reason"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        "actor_label",
        Column(
            "action",
            label="What",
            accessor=lambda entry: label_for(entry.action),
            sort_key="action",
        ),
        "target_label",
        "space_label",
        Column("created_at", label="When", sort_key="created_at"),
    ]
    list_export = [
        "created_at",
        "actor_label",
        "actor_id",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "space_id",
        "space_label",
        "reason",
        "ip_address",
        "detail",
    ]
    export_headings = {
        "created_at": "When",
        "actor_label": "Who",
        "actor_id": "User ID",
        "action": "Action",
        "target_type": "Type",
        "target_id": "ID",
        "target_label": "On what",
        "space_id": "Space ID",
        "space_label": "Space",
        "reason": "Reason",
        "ip_address": "IP address",
        "detail": "Detail",
    }
    inspect_view_fields = [
        "created_at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "space_label",
        "space_id",
        "reason",
        "ip_address",
        "detail",
    ]

    @property
    def permission_policy(self):
        return AuditPermissionPolicy(self.model)

    def get_common_view_kwargs(self, **kwargs):
        # Read-only: no view to add, edit, delete, copy or see history of an
        # entry exists, so no link to one is ever built.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage", "copy"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def register_admin_url_finder(self):
        # Wagtail's "edit this object" links: there is no edit view.
        pass
