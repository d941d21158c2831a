"""The assets API. Thin: parse, authorise, call a service or selector, render."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from assets import access, jobs, selectors, services, usages
from assets.api.bulk import (
    BulkDeletedSerializer,
    BulkDeleteSerializer,
    BulkQueuedSerializer,
    BulkRestoredSerializer,
    BulkSelectionSerializer,
    BulkUpdatedSerializer,
    BulkUpdateSerializer,
)
from assets.api.files import AnyContentRenderer, asset_file_response
from assets.api.jobs import JobSerializer
from assets.api.list_parameters import LIST_PARAMETERS
from assets.api.pagination import AssetPagination
from assets.api.register import BulkRegisteredSerializer, BulkRegisterSerializer, register_all
from assets.api.serializers import (
    AssetCreatedSerializer,
    AssetCreateSerializer,
    AssetSerializer,
    AssetUpdateSerializer,
    UsageCreateSerializer,
    UsageSerializer,
)
from assets.bulk_selection import MAX_BULK_IDS, resolve_bulk_selection
from assets.filters import FALSE_VALUES, TRUE_VALUES
from assets.models import Asset, JobKind
from common.pagination import NumberedPagination
from common.request_source import request_source
from config.json_limits import JSONParser


@extend_schema_view(
    list=extend_schema(parameters=LIST_PARAMETERS, summary="List, search and filter assets"),
    retrieve=extend_schema(summary="One asset (trashed ones too, until purged)"),
    destroy=extend_schema(
        summary="Move to the trash",
        parameters=[OpenApiParameter("permanent", bool, description="true: delete for good, file included.")],
        responses={204: None},
    ),
)
class AssetViewSet(viewsets.GenericViewSet):
    serializer_class = AssetSerializer
    pagination_class = AssetPagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_converter = "uuid"
    queryset = Asset.objects.none()  # for the schema; real reads go through selectors

    def get_object(self, action: str = access.VIEW):
        """The asset for this request's `action` (assets.access: 404 unseen, 403 not allowed)."""
        return selectors.asset_get(owner=self.request.user, asset_id=self.kwargs["pk"], action=action)

    def _render(self, asset, **kwargs):
        return AssetSerializer(asset, context=self.get_serializer_context(), **kwargs).data

    def list(self, request):
        listing = selectors.asset_listing(owner=request.user, params=request.query_params).with_rows(
            lambda rows: selectors.with_list_arrays(selectors.with_text_excerpts(rows))
        )
        page = selectors.attach_list_relations(self.paginator.paginate_listing(listing, request))
        selectors.hide_unseen_relations(page, viewer=request.user)
        return self.get_paginated_response(self._render(page, many=True))

    @extend_schema(
        request={"application/json": AssetCreateSerializer, "multipart/form-data": AssetCreateSerializer},
        responses={
            201: AssetCreatedSerializer,
            200: OpenApiResponse(AssetCreatedSerializer, description="Already registered (external_id or same file)."),
            413: OpenApiResponse(description="The file is over its type's size limit."),
        },
        summary="Register an asset (JSON, or multipart with `file`)",
    )
    def create(self, request):
        serializer = AssetCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.asset_create(
            owner=request.user, source=request_source(request), **serializer.validated_data
        )
        if result.created:
            asset = selectors.with_new_asset_relations(result.asset, tag_names=result.tag_names)
        else:
            asset = selectors.asset_get(owner=request.user, asset_id=result.asset.pk)
        body = {**self._render(asset), "duplicate": result.duplicate_of_file}
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    def retrieve(self, request, pk=None):
        return Response(self._render(self.get_object()))

    @extend_schema(
        request={"application/json": AssetUpdateSerializer, "multipart/form-data": AssetUpdateSerializer},
        responses=AssetSerializer,
        summary="Edit an asset",
    )
    def partial_update(self, request, pk=None):
        asset = self.get_object(access.EDIT)
        serializer = AssetUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.asset_update(asset=asset, source=request_source(request), **serializer.validated_data)
        return Response(self._render(selectors.asset_get(owner=request.user, asset_id=asset.pk)))

    def destroy(self, request, pk=None):
        asset = self.get_object(access.TRASH)
        permanent = request.query_params.get("permanent", "").strip().lower()
        if permanent not in TRUE_VALUES | FALSE_VALUES:
            raise ValidationError({"permanent": ["Use true or false."]})
        if permanent in TRUE_VALUES:
            services.asset_delete_permanently(asset=asset, source=request_source(request))
        else:
            services.asset_trash(asset=asset, source=request_source(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=AssetSerializer, summary="Bring an asset out of the trash")
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        asset = services.asset_restore(asset=self.get_object(access.RESTORE), source=request_source(request))
        return Response(self._render(selectors.asset_get(owner=request.user, asset_id=asset.pk)))

    @extend_schema(
        request=None,
        responses={200: AssetSerializer},  # DELETE too: both answer with the asset
        summary="Set (POST) or clear (DELETE) the favourite mark",
    )
    @action(detail=True, methods=["post", "delete"])
    def favorite(self, request, pk=None):
        asset = services.asset_set_favorite(asset=self.get_object(access.FAVORITE), value=request.method == "POST")
        return Response(self._render(selectors.asset_get(owner=request.user, asset_id=asset.pk)))

    @extend_schema(methods=["GET"], request=None, responses=UsageSerializer(many=True),
                   summary="Where the asset is used, newest first (paginated; members of a shared collection too)")
    @extend_schema(
        methods=["POST"], request=UsageCreateSerializer,
        responses={201: UsageSerializer,
                   200: OpenApiResponse(UsageSerializer, description="Reported before: same module and external_ref.")},
        summary="Report where the asset is used (its owner only)",
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser], pagination_class=NumberedPagination)
    def usages(self, request, pk=None):
        if request.method == "GET":
            page = self.paginate_queryset(selectors.asset_usages(asset=self.get_object()))
            return self.get_paginated_response(UsageSerializer(page, many=True).data)
        asset = self.get_object(access.USE)
        serializer = UsageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        usage, created = usages.usage_record(asset=asset, source=request_source(request), **serializer.validated_data)
        return Response(UsageSerializer(usage).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None}, summary="Remove one usage (its asset's owner only)")
    @action(detail=True, methods=["delete"], url_path=r"usages/(?P<usage_id>[^/]+)")
    def usage(self, request, pk=None, usage_id=None):
        usage = selectors.asset_usage_get(asset=self.get_object(access.USE), usage_id=usage_id)
        usages.usage_delete(usage=usage)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY}, summary="Download (counts one download)")
    @action(detail=True, methods=["get"], renderer_classes=[AnyContentRenderer])
    def download(self, request, pk=None):
        asset = self.get_object(access.DOWNLOAD)
        response = asset_file_response(asset, attachment=True)
        services.asset_record_download(asset=asset, source=request_source(request))
        return response

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY}, summary="The file itself, for previews")
    @action(detail=True, methods=["get"], renderer_classes=[AnyContentRenderer])
    def file(self, request, pk=None):
        return asset_file_response(
            self.get_object(), attachment=False, range_header=request.META.get("HTTP_RANGE", "")
        )

    @extend_schema(responses={(200, "image/webp"): OpenApiTypes.BINARY}, summary="The thumbnail")
    @action(detail=True, methods=["get"], renderer_classes=[AnyContentRenderer])
    def thumbnail(self, request, pk=None):
        return asset_file_response(self.get_object(), attachment=False, thumbnail=True)

    # Bulk actions: `ids` or `filter` (assets.bulk_selection), then one service call.

    def _selection(self, request, *, include_trashed=False, within=None):
        body = request.data if isinstance(request.data, dict) else {}
        return resolve_bulk_selection(owner=request.user, data=body, include_trashed=include_trashed, within=within)

    @extend_schema(request=BulkUpdateSerializer, responses=BulkUpdatedSerializer,
                   summary="Edit many assets at once (all or nothing)")
    @action(detail=False, methods=["post"], url_path="bulk/update", parser_classes=[JSONParser])
    def bulk_update(self, request):
        selection = self._selection(request)
        fields = BulkUpdateSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        changes = {k: v for k, v in fields.validated_data.items() if k not in ("ids", "filter")}
        updated = services.assets_bulk_update(owner=request.user, assets=selection.assets, **changes)
        return Response({"updated": updated, "not_found": selection.not_found})

    @extend_schema(request=BulkDeleteSerializer, responses={200: BulkDeletedSerializer, 202: JobSerializer},
                   summary="Move many assets to the trash")
    @action(detail=False, methods=["post"], url_path="bulk/delete", parser_classes=[JSONParser])
    def bulk_delete(self, request):
        options = BulkDeleteSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        if options.validated_data["permanent"]:
            selection = self._selection(request, include_trashed=True)
            ids = list(selection.assets.values_list("pk", flat=True))
            job = jobs.job_create(owner=request.user, kind=JobKind.DELETE, asset_ids=ids,
                                  source=request_source(request))
            return self._job_accepted(job)
        selection = self._selection(request)
        trashed = services.assets_trash_returning_ids(
            owner=request.user, ids=selection.assets, source=request_source(request)
        )
        body = {"deleted": len(trashed), "not_found": selection.not_found}
        if len(trashed) <= MAX_BULK_IDS:
            body["ids"] = [str(pk) for pk in trashed]  # what an undo sends to bulk/restore
        return Response(body)

    @extend_schema(request=BulkSelectionSerializer, responses=BulkRestoredSerializer,
                   summary="Bring many assets out of the trash")
    @action(detail=False, methods=["post"], url_path="bulk/restore", parser_classes=[JSONParser])
    def bulk_restore(self, request):
        if isinstance(request.data, dict) and isinstance(request.data.get("filter"), dict):
            request.data["filter"] = {"in_trash": True, **request.data["filter"]}  # the trash, unless told
        selection = self._selection(request, include_trashed=True)
        restored = services.assets_restore(
            owner=request.user, ids=selection.assets, source=request_source(request)
        )
        return Response({"restored": restored, "not_found": selection.not_found})

    @extend_schema(request=BulkSelectionSerializer, responses={202: BulkQueuedSerializer},
                   summary="Derive automatic tags again for many assets (runs on the workers)")
    @action(detail=False, methods=["post"], url_path="bulk/autotag", parser_classes=[JSONParser])
    def bulk_autotag(self, request):
        selection = self._selection(request)
        queued = services.assets_schedule_autotag(asset_ids=list(selection.assets.values_list("pk", flat=True)))
        return Response({"queued": queued, "not_found": selection.not_found}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=BulkRegisterSerializer, responses=BulkRegisteredSerializer,
        summary="Register up to 500 assets at once (each on its own; JSON only)",
        description="Each item is what POST /assets/ takes as JSON. Results come back in the same order: 201 "
                    "registered, 200 already registered (same external_id), 400 with `errors`. A bad item does "
                    "not stop the others.",
    )
    @action(detail=False, methods=["post"], url_path="bulk/register", parser_classes=[JSONParser])
    def bulk_register(self, request):
        body = BulkRegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        source = request_source(request)
        return Response({"results": register_all(owner=request.user, source=source,
                                                 items=body.validated_data["assets"])})

    def _job_accepted(self, job):
        body = JobSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=BulkSelectionSerializer, responses={202: JobSerializer},
                   summary="Zip many assets (a job; follow GET /jobs/{id}/ to its download_url)")
    @action(detail=False, methods=["post"], url_path="bulk/download", parser_classes=[JSONParser])
    def bulk_download(self, request):
        # Anything the caller may download: theirs, and shared collections' assets outside the trash.
        selection = self._selection(request, within=access.visible_assets(request.user).alive())
        ids = list(selection.assets.values_list("pk", flat=True))
        if not ids:
            field = "ids" if "ids" in request.data else "filter"
            raise ValidationError({field: ["None of these assets can be downloaded."]})
        job = jobs.job_create(owner=request.user, kind=JobKind.DOWNLOAD, asset_ids=ids,
                              source=request_source(request))
        return self._job_accepted(job)
