from django.urls import path
from rest_framework.routers import SimpleRouter

from collections_app.api.shares import AssetShareView, BulkShareView, ShareLinkViewSet
from collections_app.api.views import CollectionViewSet, TeamViewSet

router = SimpleRouter()
router.register("collections", CollectionViewSet, basename="collection")
router.register("shares", ShareLinkViewSet, basename="share-link")
router.register("teams", TeamViewSet, basename="team")

urlpatterns = [
    # Share endpoints under /assets/ (the assets router has no `share` routes). The bulk
    # one comes first: "bulk" would otherwise be read as an asset id.
    path("assets/bulk/share/", BulkShareView.as_view(), name="asset-bulk-share"),
    path("assets/<str:id>/share/", AssetShareView.as_view(), name="asset-share"),
    *router.urls,
]
