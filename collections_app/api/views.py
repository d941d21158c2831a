"""The collections API. Thin: parse, authorise, call a service or selector, render."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assets import access as asset_access
from assets.bulk_selection import resolve_bulk_selection
from collections_app import access, selectors, services
from collections_app.api.pagination import CollectionPagination
from collections_app.api.serializers import (
    ActivitySerializer,
    CollectionAssetsAddedSerializer,
    CollectionAssetsRemovedSerializer,
    CollectionAssetsSelectionSerializer,
    CollectionSerializer,
    CollectionWriteSerializer,
    GrantSerializer,
    GrantWriteSerializer,
    TeamMemberWriteSerializer,
    TeamSerializer,
    TeamWriteSerializer,
)
from collections_app.api.shares import (
    OPTIONS_BAD_INPUT,
    SHARE_TAGS,
    ShareLinkOptionsSerializer,
    ShareLinkSerializer,
    collection_share,
)
from collections_app.models import Collection, Team
from config.json_limits import JSONParser

NOT_FOUND = OpenApiResponse(description="No such collection that you own or that is shared with you.")
FORBIDDEN = OpenApiResponse(description="The collection is shared with you, and your role does not allow this.")
TEAM_NOT_FOUND = OpenApiResponse(description="No such team among yours.")
TEAM_TAGS = ["teams"]
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

    def get_object(self, action: str = access.VIEW):
        """The collection for this request's `action` (collections_app.access: 404 without
        a role on it, 403 when the role does not allow the action)."""
        return selectors.collection_get(owner=self.request.user, collection_id=self.kwargs["pk"], action=action)

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
        collection = self.get_object(access.EDIT)
        serializer = CollectionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "cover_asset" in changes:
            changes["cover_asset_id"] = changes.pop("cover_asset")
        services.collection_update(collection=collection, actor=request.user, **changes)
        return Response(self._render(self._fresh(collection)))

    def destroy(self, request, pk=None):
        services.collection_delete(collection=self.get_object(access.DELETE))
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
        collection = self.get_object(access.ADD_ASSETS)
        selection = resolve_bulk_selection(owner=request.user, data=request.data)  # the caller's own assets
        added = services.collection_add_assets(collection=collection, assets=selection.assets, actor=request.user)
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
        collection = self.get_object(access.REMOVE_ASSETS)
        # Any asset the caller can see (an editor removes anyone's from it); others are not found.
        within = asset_access.visible_assets(request.user)
        selection = resolve_bulk_selection(owner=request.user, data=request.data, include_trashed=True,
                                           within=within)
        removed = services.collection_remove_assets(collection=collection, assets=selection.assets,
                                                    actor=request.user)
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

    @extend_schema(
        methods=["GET"], responses={200: GrantSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Who the collection is shared with (its owner only)",
        tags=TEAM_TAGS,
    )
    @extend_schema(
        methods=["POST"], request=GrantWriteSerializer,
        responses={201: GrantSerializer, 200: GrantSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Share the collection with a user or a team, or change their role",
        description="201 for a new grant, 200 when it only changed an existing grant's role. A user by username; "
                    "a team by name, one you belong to. An unknown user or team is a 400 naming `grantee`. "
                    "Someone reached by several grants has the highest role.",
        tags=TEAM_TAGS,
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser])
    def grants(self, request, pk=None):
        collection = self.get_object(access.MANAGE_GRANTS)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.collection_grants(collection=collection))
            return self.get_paginated_response(GrantSerializer(page, many=True).data)
        body = GrantWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        grantee = body.validated_data["grantee"]
        grant, created = services.grant_set(
            collection=collection, actor=request.user, grantee_type=grantee["type"], name=grantee["name"],
            role=body.validated_data["role"],
        )
        grant = selectors.collection_grant_get(collection=collection, grant_id=grant.pk)
        return Response(GrantSerializer(grant).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND}, summary="Stop sharing with a grantee",
                   parameters=[OpenApiParameter("grant_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
                   tags=TEAM_TAGS)
    @action(detail=True, methods=["delete"], url_path=r"grants/(?P<grant_id>[^/.]+)")
    def grant(self, request, pk=None, grant_id=None):
        collection = self.get_object(access.MANAGE_GRANTS)
        services.grant_revoke(grant=selectors.collection_grant_get(collection=collection, grant_id=grant_id),
                              actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={200: ActivitySerializer(many=True), 404: NOT_FOUND},
        summary="Who added or removed what, renamed, granted or revoked, newest first",
        tags=TEAM_TAGS,
    )
    @action(detail=True, methods=["get"])
    def activity(self, request, pk=None):
        collection = self.get_object(access.VIEW)
        page = self.paginate_queryset(selectors.collection_activity(collection=collection))
        return self.get_paginated_response(ActivitySerializer(page, many=True).data)



@extend_schema_view(
    list=extend_schema(summary="Your teams (you see only those you belong to)", tags=TEAM_TAGS),
    retrieve=extend_schema(summary="One of your teams", responses={200: TeamSerializer, 404: TEAM_NOT_FOUND},
                           tags=TEAM_TAGS),
)
class TeamViewSet(viewsets.GenericViewSet):
    serializer_class = TeamSerializer
    pagination_class = CollectionPagination
    lookup_value_converter = "uuid"
    parser_classes = [JSONParser]
    queryset = Team.objects.none()  # for the schema; real reads go through selectors

    def _team(self, *, admin=False):
        return selectors.team_get(user=self.request.user, team_id=self.kwargs["pk"], admin=admin)

    def _render(self, team):
        return TeamSerializer(selectors.team_get(user=self.request.user, team_id=team.pk)).data

    def list(self, request):
        page = self.paginate_queryset(selectors.team_list(user=request.user))
        return self.get_paginated_response(TeamSerializer(page, many=True).data)

    @extend_schema(request=TeamWriteSerializer, responses={201: TeamSerializer, 400: BAD_INPUT},
                   summary="Create a team (you are its first admin)", tags=TEAM_TAGS)
    def create(self, request):
        body = TeamWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team = services.team_create(creator=request.user, name=body.validated_data["name"])
        return Response(self._render(team), status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        return Response(TeamSerializer(self._team()).data)

    @extend_schema(request=TeamWriteSerializer,
                   responses={200: TeamSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: TEAM_NOT_FOUND},
                   summary="Rename a team (its admins)", tags=TEAM_TAGS)
    def partial_update(self, request, pk=None):
        team = self._team(admin=True)
        body = TeamWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if "name" in body.validated_data:
            services.team_rename(team=team, name=body.validated_data["name"])
        return Response(self._render(team))

    @extend_schema(responses={204: None, 403: FORBIDDEN, 404: TEAM_NOT_FOUND},
                   summary="Delete a team (its admins): its grants end with it", tags=TEAM_TAGS)
    def destroy(self, request, pk=None):
        services.team_delete(team=self._team(admin=True))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=TeamMemberWriteSerializer,
                   responses={201: TeamSerializer, 200: TeamSerializer, 400: BAD_INPUT, 403: FORBIDDEN,
                              404: TEAM_NOT_FOUND},
                   summary="Add a member, or change a member's role (its admins)",
                   description="201 when the user was added, 200 when only their role changed. An unknown "
                               "username is a 400 naming `username`; a team keeps at least one admin.",
                   tags=TEAM_TAGS)
    @action(detail=True, methods=["post"], url_path="members")
    def members(self, request, pk=None):
        team = self._team(admin=True)
        body = TeamMemberWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        added = services.team_member_set(team=team, username=body.validated_data["username"],
                                         role=body.validated_data["role"])
        return Response(self._render(team), status=status.HTTP_201_CREATED if added else status.HTTP_200_OK)

    @extend_schema(responses={204: None, 400: BAD_INPUT, 403: FORBIDDEN, 404: TEAM_NOT_FOUND},
                   summary="Remove a member (its admins), or leave the team (your own username)",
                   description="The last admin cannot leave (400); they may delete the team instead.",
                   parameters=[OpenApiParameter("username", str, OpenApiParameter.PATH)],
                   tags=TEAM_TAGS)
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<username>[^/]+)")
    def member(self, request, pk=None, username=None):
        leaving = username == request.user.get_username()
        team = self._team(admin=not leaving)
        services.team_member_remove(team=team, username=username)
        return Response(status=status.HTTP_204_NO_CONTENT)
