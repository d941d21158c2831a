from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from asset_library import page_views, share_views, views
from config.login_guard import GuardedAuthenticationForm

app_name = "library"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=GuardedAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("library/", views.library, name="library"),
    path("library/results/", views.library_results, name="results"),
    path("library/nav-collections/", views.nav_collections, name="nav-collections"),
    # The library's other pages (asset_library.page_views).
    path("library/assets/<uuid:asset_id>/", page_views.asset_page, name="asset"),
    path("library/assets/<uuid:asset_id>/tags/", page_views.asset_tags_fragment, name="asset-tags"),
    path("library/collections/", page_views.collections_page, name="collections"),
    path("library/collections/fragment/", page_views.collections_fragment, name="collections-fragment"),
    path("library/trash/", page_views.trash_page, name="trash"),
    path("library/collections/<uuid:collection_id>/people/", page_views.collection_people_fragment,
         name="collection-people"),
    path("library/teams/", page_views.teams_page, name="teams"),
    path("library/teams/fragment/", page_views.teams_fragment, name="teams-fragment"),
    path("library/shares/", page_views.shares_page, name="shares"),
    path("library/stats/", page_views.stats_page_view, name="stats"),
    path("library/stats/cleanup/", page_views.stats_cleanup_view, name="stats-cleanup"),
    path("library/upload/", page_views.upload_page, name="upload"),
    path("image-studio/asset-library", RedirectView.as_view(pattern_name="library:library", permanent=False)),
    path("image-studio/asset-library/", RedirectView.as_view(pattern_name="library:library", permanent=False)),
    path("", RedirectView.as_view(pattern_name="library:library", permanent=False)),
    # Share links: public, no login (asset_library.share_views).
    path("s/<str:token>/", share_views.share_page, name="share-page"),
    path("s/<str:token>/assets/<uuid:asset_id>/", share_views.share_asset_page, name="share-asset-view"),
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
    # With or without the trailing slash: scripts post here.
    path("s/<str:token>/download/", share_views.share_download_start, name="share-download"),
    path("s/<str:token>/download", share_views.share_download_start),
    path("s/<str:token>/download/<str:job_id>/", share_views.share_download_status, name="share-download-status"),
    path("s/<str:token>/download/<str:job_id>/file/", share_views.share_download_file,
         name="share-download-file"),
]
