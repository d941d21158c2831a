from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from asset_library import share_views, views

app_name = "library"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("library/", views.library, name="library"),
    path("image-studio/asset-library", RedirectView.as_view(url="/library/", permanent=False)),
    path("image-studio/asset-library/", RedirectView.as_view(url="/library/", permanent=False)),
    path("", RedirectView.as_view(url="/library/", permanent=False)),
    # Share links: public, no login (asset_library.share_views).
    path("s/<str:token>/", share_views.share_page, name="share-page"),
    path("s/<str:token>/assets/<uuid:asset_id>/file/", share_views.share_asset_file, name="share-asset-file"),
    path(
        "s/<str:token>/assets/<uuid:asset_id>/thumbnail/",
        share_views.share_asset_thumbnail,
        name="share-asset-thumbnail",
    ),
    path(
        "s/<str:token>/assets/<uuid:asset_id>/download/",
        share_views.share_asset_download,
        name="share-asset-download",
    ),
]
