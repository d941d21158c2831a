from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls", namespace="api")),
    path("healthz", healthz, name="healthz"),
    path("", include("asset_library.urls")),
]
