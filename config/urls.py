from django.contrib import admin
from django.urls import include, path, re_path

from config.health import healthz
from config.login_guard import GuardedAuthenticationForm
from config.request_guards import API_NOT_FOUND, api_not_found

admin.site.login_form = GuardedAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls", namespace="api")),
    re_path(r"^api/", api_not_found, name=API_NOT_FOUND),
    path("healthz", healthz, name="healthz"),
    path("", include("asset_library.urls")),
]

handler400 = "config.request_guards.handler400"
handler403 = "config.request_guards.handler403"
handler404 = "config.request_guards.handler404"
handler500 = "config.request_guards.handler500"
