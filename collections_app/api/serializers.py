"""Shapes of collections on the wire. Rules live in collections_app.services."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assets.api.bulk import IDS_OR_FILTER, AssetFilterField
from assets.api.strict_fields import JSONCharField
from assets.bulk_selection import MAX_BULK_IDS
from collections_app import access
from collections_app.models import Collection, CollectionRole, TeamRole
from collections_app.selectors import COVER_PREVIEW_FILE, COVER_PREVIEW_THUMBNAIL
from collections_app.services import MAX_DESCRIPTION_LENGTH, MAX_TEAM_NAME_LENGTH


class CollectionSerializer(serializers.ModelSerializer):
    """Reads an instance annotated by collections_app.selectors.with_summary."""

    cover_asset = serializers.UUIDField(
        source="effective_cover_id",
        read_only=True,
        allow_null=True,
        help_text=(
            "The chosen cover asset; when none is chosen (or it is in the trash), the newest asset "
            "in the collection outside the trash; null for an empty collection."
        ),
    )
    asset_count = serializers.IntegerField(read_only=True, help_text="Assets in the collection, outside the trash.")
    cover_thumbnail_url = serializers.SerializerMethodField(
        help_text=(
            "A picture of `cover_asset` for the UI (not part of the v1 contract's required fields): its "
            "thumbnail, else an image's own file, else null. Fetched with the API credentials."
        )
    )

    owner = serializers.CharField(source="owner.username", read_only=True, help_text="The owner's username.")
    role = serializers.SerializerMethodField(help_text="The caller's role: owner, editor or viewer.")

    class Meta:
        model = Collection
        fields = [
            "id", "name", "description", "cover_asset", "asset_count", "cover_thumbnail_url",
            "owner", "role", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["owner", "editor", "viewer"]))
    def get_role(self, collection):
        return getattr(collection, "caller_role", None) or access.role_of(collection)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover_thumbnail_url(self, collection):
        route = {
            COVER_PREVIEW_THUMBNAIL: "api:asset-thumbnail",
            COVER_PREVIEW_FILE: "api:asset-file",
        }.get(collection.cover_preview)
        if route is None or collection.effective_cover_id is None:
            return None
        path = reverse(route, args=[collection.effective_cover_id])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CollectionWriteSerializer(serializers.Serializer):
    """Create (name required) and PATCH (any subset). Only parses; the service decides."""

    name = JSONCharField(
        max_length=200, help_text="Trimmed; 1-200 characters; unique among your collections, whatever the case."
    )
    description = JSONCharField(allow_blank=True, required=False, max_length=MAX_DESCRIPTION_LENGTH)
    cover_asset = serializers.UUIDField(
        allow_null=True,
        required=False,
        help_text="One of your assets outside the trash; null: the newest asset in the collection.",
    )


class CollectionAssetsSelectionSerializer(serializers.Serializer):
    """The body of a bulk action, for the schema only: assets.bulk_selection parses it."""

    openapi_constraints = IDS_OR_FILTER
    openapi_body_required = True

    ids = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        allow_null=True,
        min_length=1,
        max_length=MAX_BULK_IDS,
        help_text=f"Asset ids (1 to {MAX_BULK_IDS:,}). Send either `ids` or `filter`, never both.",
    )
    filter = AssetFilterField(
        required=False,
        allow_null=True,
        help_text=(
            "Asset list parameters as in `GET /assets/` (e.g. `{\"type\": \"image,video\", \"tags\": \"q3\", "
            "\"favorites\": true}`): every matching asset, any number."
        ),
    )


class CollectionAssetsAddedSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="New memberships (assets already in the collection are not counted).")
    not_found = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Requested ids that are not your assets outside the trash; nothing was done with them.",
    )


class CollectionAssetsRemovedSerializer(serializers.Serializer):
    removed = serializers.IntegerField(help_text="Assets that were in the collection and are no longer.")
    not_found = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Requested ids that are not your assets (in the library or the trash).",
    )


# --- Working together ------------------------------------------------------------------------


class GranteeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["user", "team"])
    name = JSONCharField(max_length=150, help_text="A username, or the name of a team you belong to.")


class GrantSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    grantee = serializers.SerializerMethodField()
    role = serializers.ChoiceField(choices=[CollectionRole.VIEWER, CollectionRole.EDITOR], read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(GranteeSerializer)
    def get_grantee(self, grant):
        if grant.user_id is not None:
            return {"type": "user", "name": grant.user.get_username()}
        return {"type": "team", "name": grant.team.name}


class GrantWriteSerializer(serializers.Serializer):
    grantee = GranteeSerializer()
    role = serializers.ChoiceField(choices=[CollectionRole.VIEWER, CollectionRole.EDITOR])


class ActivitySerializer(serializers.Serializer):
    actor = serializers.CharField(source="actor_name")
    verb = serializers.ChoiceField(choices=["added", "removed", "renamed", "granted", "revoked"])
    assets = serializers.IntegerField(help_text="How many assets were added or removed (0 otherwise).")
    target = serializers.CharField(help_text="The new name, or who was granted or revoked (and the role).")
    created_at = serializers.DateTimeField()


class TeamMemberSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    role = serializers.ChoiceField(choices=TeamRole.choices)


class TeamSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    members = TeamMemberSerializer(source="memberships.all", many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class TeamWriteSerializer(serializers.Serializer):
    name = JSONCharField(max_length=MAX_TEAM_NAME_LENGTH,
                         help_text="Unique on the instance, whatever the case; 1-100 characters (spaces trimmed).")


class TeamMemberWriteSerializer(serializers.Serializer):
    username = JSONCharField(max_length=150)
    role = serializers.ChoiceField(choices=TeamRole.choices, default=TeamRole.MEMBER)
