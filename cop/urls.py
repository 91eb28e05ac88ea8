from django.conf import settings
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    # The Wagtail admin signs in through allauth (with two-factor).
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("people/", include("people.urls")),
    path("search/", include("search.urls")),
    path("spaces/", include("spaces.urls")),
    path("notifications/", include("notifications.urls")),
    path("forums/", include("forums.urls")),
    # Case studies: submission, "My submissions", "reused" and feeds. The
    # case study pages themselves fall through to Wagtail (catch-all below).
    path("case-studies/", include("casestudies.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "cop.views.permission_denied"
handler404 = "cop.views.page_not_found"
handler500 = "cop.views.server_error"
