from rest_framework.routers import SimpleRouter

from collections_app.api.views import CollectionViewSet

router = SimpleRouter()
router.register("collections", CollectionViewSet, basename="collection")

urlpatterns = router.urls
