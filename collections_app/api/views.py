"""The collections API. Thin: parse, authorise, call a service or selector, render."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assets.bulk_selection import resolve_bulk_selection
from collections_app import selectors, services
from collections_app.api.pagination import CollectionPagination
from collections_app.api.serializers import (
    CollectionAssetsAddedSerializer,
    CollectionAssetsRemovedSerializer,
    CollectionAssetsSelectionSerializer,
    CollectionSerializer,
    CollectionWriteSerializer,
)
from collections_app.api.shares import (
    OPTIONS_BAD_INPUT,
    SHARE_TAGS,
    ShareLinkOptionsSerializer,
    ShareLinkSerializer,
    collection_share,
)
from collections_app.models import Collection
from config.json_limits import JSONParser

NOT_FOUND = OpenApiResponse(description="No such collection among yours (another owner's is a 404 too).")
BAD_INPUT = OpenApiResponse(description='Bad input: `{"<field>": ["message", ...]}`.')
BULK_BAD_INPUT = OpenApiResponse(
    description=(
        "Bad body: both or neither of `ids` and `filter` (`non_field_errors`), bad `ids` (not a list, empty, "
        "more than 10,000, not UUIDs), or a bad `filter` / `filter.<parameter>`."
    )
)


@extend_schema_view(
    list=extend_schema(
        summary="List your collections",
        parameters=[
            OpenApiParameter(
                "q", {"type": "string", "maxLength": 200}, description="Part of the name, any case (at most 200 "
                "characters)."
            ),
            OpenApiParameter(
                "ordering", str, enum=list(selectors.ORDERINGS), description="Default `name` (any case)."
            ),
        ],
    ),
    retrieve=extend_schema(summary="One collection", responses={200: CollectionSerializer, 404: NOT_FOUND}),
    destroy=extend_schema(
        summary="Delete a collection (its assets stay in the library)", responses={204: None, 404: NOT_FOUND}
    ),
)
class CollectionViewSet(viewsets.GenericViewSet):
    serializer_class = CollectionSerializer
    pagination_class = CollectionPagination
    lookup_value_converter = "uuid"
    parser_classes = [JSONParser]  # JSON in, as the contract says (no file is ever sent here)
    queryset = Collection.objects.none()  # for the schema; real reads go through selectors

    def get_object(self):
        return selectors.collection_get(owner=self.request.user, collection_id=self.kwargs["pk"])

    def _render(self, collection, **kwargs):
        return CollectionSerializer(collection, context=self.get_serializer_context(), **kwargs).data

    def _fresh(self, collection):
        return selectors.collection_get(owner=self.request.user, collection_id=collection.pk)

    def list(self, request):
        page = self.paginate_queryset(selectors.collection_list(owner=request.user, params=request.query_params))
        return self.get_paginated_response(self._render(page, many=True))

    @extend_schema(
        request=CollectionWriteSerializer,
        responses={201: CollectionSerializer, 400: BAD_INPUT},
        summary="Create a collection",
    )
    def create(self, request):
        serializer = CollectionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        collection = services.collection_create(
            owner=request.user,
            name=data["name"],
            description=data.get("description", ""),
            cover_asset_id=data.get("cover_asset"),
        )
        return Response(self._render(self._fresh(collection)), status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        return Response(self._render(self.get_object()))

    @extend_schema(
        request=CollectionWriteSerializer,
        responses={200: CollectionSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
        summary="Rename, describe or choose the cover of a collection",
    )
    def partial_update(self, request, pk=None):
        collection = self.get_object()
        serializer = CollectionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "cover_asset" in changes:
            changes["cover_asset_id"] = changes.pop("cover_asset")
        services.collection_update(collection=collection, **changes)
        return Response(self._render(self._fresh(collection)))

    def destroy(self, request, pk=None):
        services.collection_delete(collection=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=CollectionAssetsSelectionSerializer,
        responses={200: CollectionAssetsAddedSerializer, 400: BULK_BAD_INPUT, 404: NOT_FOUND},
        summary="Add assets to a collection (by ids or by filter)",
        description=(
            "All or nothing. Assets already in the collection are not an error and are not counted. "
            "`ids` of unknown assets, other owners' assets or trashed ones are reported in `not_found` "
            "and left alone."
        ),
    )
    @action(detail=True, methods=["post"], url_path="assets", parser_classes=[JSONParser])
    def add_assets(self, request, pk=None):
        collection = self.get_object()
        selection = resolve_bulk_selection(owner=request.user, data=request.data)
        added = services.collection_add_assets(collection=collection, assets=selection.assets)
        return Response({"added": added, "not_found": selection.not_found})

    @extend_schema(
        request=CollectionAssetsSelectionSerializer,
        responses={200: CollectionAssetsRemovedSerializer, 400: BULK_BAD_INPUT, 404: NOT_FOUND},
        summary="Remove assets from a collection (by ids or by filter)",
        description=(
            "All or nothing; the assets themselves are untouched. Assets in the trash can be removed too. "
            "`ids` of unknown assets or other owners' assets are reported in `not_found`."
        ),
    )
    @action(detail=True, methods=["post"], url_path="assets/remove", parser_classes=[JSONParser])
    def remove_assets(self, request, pk=None):
        collection = self.get_object()
        selection = resolve_bulk_selection(owner=request.user, data=request.data, include_trashed=True)
        removed = services.collection_remove_assets(collection=collection, assets=selection.assets)
        return Response({"removed": removed, "not_found": selection.not_found})

    @extend_schema(
        request=ShareLinkOptionsSerializer,
        responses={201: ShareLinkSerializer, 400: OPTIONS_BAD_INPUT, 404: NOT_FOUND},
        summary="Share a collection (a new public link that follows the collection)",
        description=(
            "The link is live: its page always shows the collection's current assets outside the trash. "
            "Counts one share for each asset in the collection now. Deleting the collection deletes its links."
        ),
        tags=SHARE_TAGS,
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def share(self, request, pk=None):
        return collection_share(self, request)
