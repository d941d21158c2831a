from django.urls import path
from rest_framework.routers import SimpleRouter

from assets.api.jobs import JobViewSet
from assets.api.tags import TagListView
from assets.api.views import AssetViewSet

router = SimpleRouter()
router.register("assets", AssetViewSet, basename="asset")
router.register("jobs", JobViewSet, basename="job")

urlpatterns = [
    path("tags/", TagListView.as_view(), name="tag-list"),
    *router.urls,
]
