"""Request bodies of the bulk endpoints (beyond `ids`/`filter`, which bulk_selection reads)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assets.api.list_parameters import FILTER_SCHEMA
from assets.api.serializers import TagListField
from assets.api.strict_fields import JSONBooleanField, JSONCharField
from assets.bulk_selection import MAX_BULK_IDS

# `ids` or `filter`, never both: a null one counts as not sent (assets.bulk_selection).
IDS_OR_FILTER = {
    "oneOf": [
        {"required": ["ids"], "properties": {"ids": {"type": "array"}}},
        {"required": ["filter"], "properties": {"filter": {"type": "object"}}},
    ]
}


@extend_schema_field(FILTER_SCHEMA)
class AssetFilterField(serializers.DictField):
    """The `filter` of a bulk body: the list parameters of `GET /assets/` (assets.bulk_selection reads it)."""


class BulkSelectionSerializer(serializers.Serializer):
    openapi_constraints = IDS_OR_FILTER  # config.openapi adds it to the schema
    openapi_body_required = True

    ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, allow_null=True, min_length=1, max_length=MAX_BULK_IDS,
        help_text="Asset ids (1 to 10,000). Other owners' ids are reported in `not_found`. Never with `filter`.",
    )
    filter = AssetFilterField(
        required=False, allow_null=True,
        help_text="GET /assets/ list parameters: everything that matches. Never with `ids`.",
    )


class BulkUpdateSerializer(BulkSelectionSerializer):
    openapi_constraints = {
        "allOf": [
            IDS_OR_FILTER,
            {  # at least one change (an empty tag list changes nothing)
                "anyOf": [
                    *({"required": [name], "properties": {name: {"minItems": 1}}}
                      for name in ("add_tags", "remove_tags")),
                    *({"required": [name]} for name in ("title", "description", "is_favorite")),
                ]
            },
        ]
    }

    add_tags = TagListField(required=False)
    remove_tags = TagListField(required=False)
    title = JSONCharField(max_length=500, allow_blank=True, required=False)
    description = JSONCharField(allow_blank=True, required=False, max_length=20_000)
    is_favorite = JSONBooleanField(required=False)


class BulkDeleteSerializer(BulkSelectionSerializer):
    permanent = JSONBooleanField(required=False, default=False)


class BulkUpdatedSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
    not_found = serializers.ListField(child=serializers.UUIDField())


class BulkDeletedSerializer(serializers.Serializer):
    deleted = serializers.IntegerField()
    not_found = serializers.ListField(child=serializers.UUIDField())
    ids = serializers.ListField(
        child=serializers.UUIDField(), required=False,
        help_text="The ids moved to the trash (when at most 10,000), for an exact undo through bulk/restore. "
                  "Beyond the v1 contract.",
    )


class BulkRestoredSerializer(serializers.Serializer):
    restored = serializers.IntegerField()
    not_found = serializers.ListField(child=serializers.UUIDField())


class BulkQueuedSerializer(serializers.Serializer):
    queued = serializers.IntegerField()
    not_found = serializers.ListField(child=serializers.UUIDField())
