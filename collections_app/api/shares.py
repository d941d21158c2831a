"""The share links API: make a link (to an asset, a selection or a collection), list, read
and revoke your links. Thin: parse, authorise, call a service or selector, render.

The public side of a link (`/s/{token}/`) is a web page: asset_library.share_views.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from assets import access as asset_access
from assets.api.strict_fields import JSONBooleanField, JSONCharField
from assets.bulk_selection import resolve_bulk_selection
from assets.selectors import asset_get
from collections_app import access, selectors, services, share_passwords
from collections_app.api.pagination import CollectionPagination
from collections_app.api.serializers import CollectionAssetsSelectionSerializer
from collections_app.models import ShareKind, ShareLink
from common.request_source import request_source
from config.json_limits import JSONParser

SHARE_TAGS = ["shares"]
NOT_FOUND = OpenApiResponse(description="No such share link among yours (another owner's is a 404 too).")


class ShareLinkSerializer(serializers.ModelSerializer):
    """Reads an instance annotated by collections_app.selectors.with_share_asset_count."""

    url = serializers.SerializerMethodField(help_text="The public page: `<site>/s/{token}/`. Needs no login.")
    asset_count = serializers.IntegerField(
        read_only=True,
        help_text=(
            "Assets the page shows now: outside the trash; for a collection link, the collection's "
            "current assets."
        ),
    )
    revoked = serializers.SerializerMethodField(
        help_text="True once the link no longer opens: revoked by you, or past `expires_at`."
    )
    revoked_at = serializers.SerializerMethodField(
        help_text="When the link stopped opening (when revoked, or `expires_at` once passed); null while it opens."
    )
    has_password = serializers.BooleanField(read_only=True, help_text="Visitors must give a password.")
    collection = serializers.UUIDField(
        source="collection_id", read_only=True, allow_null=True, help_text="The shared collection (kind `collection`)."
    )

    class Meta:
        model = ShareLink
        fields = [
            "id", "token", "url", "kind", "title", "collection", "asset_count", "allow_download", "has_password",
            "expires_at", "revoked", "revoked_at", "view_count", "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "token": {"help_text": "The unguessable part of `url` (256 random bits)."},
            "kind": {
                "help_text": (
                    "`asset` and `selection`: the assets chosen when the link was made (frozen); "
                    "`collection`: the collection's assets as they are now (live)."
                )
            },
            "title": {
                "help_text": "The heading of the public page; defaults to the asset's title or the collection's name."
            },
            "expires_at": {"help_text": "When the link stops opening; null: never."},
            "view_count": {"help_text": "Views of the public page."},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, share_link):
        path = reverse("library:share-page", kwargs={"token": share_link.token})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def _now(self):
        return self.context.setdefault("now", timezone.now())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_revoked(self, share_link):
        return not share_link.is_active(self._now())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_revoked_at(self, share_link):
        ended = share_link.ended_at(self._now())
        return serializers.DateTimeField().to_representation(ended) if ended else None


class BulkShareLinkSerializer(ShareLinkSerializer):
    not_found = serializers.ListField(
        child=serializers.UUIDField(),
        read_only=True,
        help_text="Requested `ids` that are not your assets outside the trash; they are not in the link.",
    )

    class Meta(ShareLinkSerializer.Meta):
        fields = [*ShareLinkSerializer.Meta.fields, "not_found"]
        read_only_fields = fields


# `expires_at` or `expires_in_days`, never both (a null one counts as not sent).
ONE_EXPIRY = {
    "not": {
        "required": ["expires_at", "expires_in_days"],
        "properties": {"expires_at": {"type": "string"}, "expires_in_days": {"type": "integer"}},
    }
}


class ShareLinkOptionsSerializer(serializers.Serializer):
    """The options of a new link. Only parses; collections_app.services keeps the rules."""

    openapi_constraints = ONE_EXPIRY  # config.openapi adds it to the schema

    expires_at = serializers.DateTimeField(
        required=False, allow_null=True,
        help_text="ISO 8601 date and time in the future. Never with `expires_in_days`.",
    )
    expires_in_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=services.MAX_SHARE_DAYS,
        help_text=(
            f"1-{services.MAX_SHARE_DAYS} days from now. Never with `expires_at`. With neither, the link never "
            "expires (unless the server sets SHARE_LINK_DEFAULT_DAYS)."
        ),
    )
    allow_download = JSONBooleanField(
        required=False, default=True,
        help_text=(
            "Offer a download of each asset on the page (default true). Previews are shown either way, "
            "so this is a convenience, not a protection."
        ),
    )
    password = JSONCharField(
        required=False, allow_null=True, allow_blank=True, write_only=True, trim_whitespace=False,
        min_length=share_passwords.MIN_LENGTH, max_length=share_passwords.MAX_LENGTH,
        help_text=(
            f"Optional: visitors must give it ({share_passwords.MIN_LENGTH}-{share_passwords.MAX_LENGTH} "
            "characters; empty or null: no password). Stored hashed; never shown again."
        ),
    )
    title = JSONCharField(
        required=False, allow_null=True, allow_blank=True, max_length=services.MAX_SHARE_TITLE_LENGTH,
        help_text="Heading of the public page. Default: the asset's title, the collection's name, or none.",
    )

    @classmethod
    def parse(cls, data) -> dict:
        serializer = cls(data=data)
        serializer.is_valid(raise_exception=True)
        options = dict(serializer.validated_data)
        if options.get("title") is None:
            options.pop("title", None)  # the service's default
        return options


class BulkShareSerializer(CollectionAssetsSelectionSerializer, ShareLinkOptionsSerializer):
    """For the schema: the bulk selection (`ids` or `filter`) and the link's options."""

    openapi_constraints = {"allOf": [CollectionAssetsSelectionSerializer.openapi_constraints, ONE_EXPIRY]}


OPTIONS_BAD_INPUT = OpenApiResponse(
    description=(
        "Bad options: `expires_at` not in the future, `expires_in_days` out of 1-365, both of them "
        "(`non_field_errors`), a `password` of the wrong length."
    )
)


def render_share_link(share_link, *, request, **extra):
    fresh = selectors.share_link_get(owner=request.user, share_link_id=share_link.pk)
    return {**ShareLinkSerializer(fresh, context={"request": request}).data, **extra}


def share_created_response(share_link, *, request, **extra):
    return Response(render_share_link(share_link, request=request, **extra), status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List your share links (newest first)",
        tags=SHARE_TAGS,
        parameters=[
            OpenApiParameter("kind", str, enum=ShareKind.values, description="Only links of this kind."),
            OpenApiParameter(
                "active", bool, description="true: links that still open; false: revoked or expired ones."
            ),
            OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="From 1."),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 200},
                             description="1-200, default 24."),
        ],
    ),
    retrieve=extend_schema(
        summary="One of your share links", tags=SHARE_TAGS, responses={200: ShareLinkSerializer, 404: NOT_FOUND}
    ),
    destroy=extend_schema(
        summary="Revoke a share link",
        description=(
            "The link stops opening at once (its page and files answer 404). Idempotent: revoking an "
            "ended link again is a 204 that changes nothing. The link stays in your list as revoked."
        ),
        tags=SHARE_TAGS,
        responses={204: None, 404: NOT_FOUND},
    ),
)
class ShareLinkViewSet(viewsets.GenericViewSet):
    serializer_class = ShareLinkSerializer
    pagination_class = CollectionPagination
    queryset = ShareLink.objects.none()  # for the schema; real reads go through selectors

    def get_object(self):
        return selectors.share_link_get(owner=self.request.user, share_link_id=self.kwargs["pk"])

    def list(self, request):
        page = self.paginate_queryset(selectors.share_link_list(owner=request.user, params=request.query_params))
        data = ShareLinkSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        return Response(ShareLinkSerializer(self.get_object(), context=self.get_serializer_context()).data)

    def destroy(self, request, pk=None):
        services.share_link_revoke(share_link=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssetShareView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="assets_share_create",
        summary="Share one asset (a new public link)",
        description=(
            "Makes a link to this asset and counts one share for it. The asset must be outside the trash (400 "
            "otherwise); another owner's asset is a 404."
        ),
        tags=SHARE_TAGS,
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The asset.")],
        request=ShareLinkOptionsSerializer,
        responses={
            201: ShareLinkSerializer,
            400: OPTIONS_BAD_INPUT,
            404: OpenApiResponse(description="No such asset among yours."),
        },
    )
    def post(self, request, id):  # noqa: A002 - the path parameter's name
        asset = asset_get(owner=request.user, asset_id=id, action=asset_access.SHARE)
        options = ShareLinkOptionsSerializer.parse(request.data)
        share_link = services.share_link_create_for_asset(
            owner=request.user, asset=asset, source=request_source(request), **options
        )
        return share_created_response(share_link, request=request)


class BulkShareView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="assets_bulk_share_create",
        summary="Share many assets (by ids or by filter) in one link",
        description=(
            "The link holds the matching assets as they are now (later changes to the library or the filter's "
            "results do not change it) and counts one share for each. `ids` of unknown assets, other owners' "
            "assets or trashed ones are reported in `not_found` and left out; when no asset at all qualifies "
            "the answer is a 400 naming `ids` or `filter`."
        ),
        tags=SHARE_TAGS,
        request=BulkShareSerializer,
        responses={
            201: BulkShareLinkSerializer,
            400: OpenApiResponse(
                description=(
                    "Bad selection (both or neither of `ids` and `filter`, bad `ids`, bad `filter.<parameter>`), "
                    "nothing to share, or bad options."
                )
            ),
        },
    )
    def post(self, request):
        selection = resolve_bulk_selection(owner=request.user, data=request.data)
        options = ShareLinkOptionsSerializer.parse(request.data)
        try:
            share_link = services.share_link_create_for_selection(
                owner=request.user, assets=selection.assets, source=request_source(request), **options
            )
        except services.NothingToShare as exc:
            field = "ids" if request.data.get("ids") is not None else "filter"
            raise ValidationError({field: [exc.message]}) from None
        return share_created_response(share_link, request=request, not_found=selection.not_found)


def collection_share(view, request):
    """POST /collections/{id}/share/ (an action of CollectionViewSet)."""
    collection = view.get_object(access.SHARE)
    options = ShareLinkOptionsSerializer.parse(request.data)
    share_link = services.share_link_create_for_collection(
        owner=request.user, collection=collection, source=request_source(request), **options
    )
    return share_created_response(share_link, request=request)
