"""Request bodies of the bulk endpoints (beyond `ids`/`filter`, which bulk_selection reads)."""

from rest_framework import serializers

from assets.api.serializers import TagListField


class BulkSelectionSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=10_000,
        help_text="Asset ids (at most 10,000). Other owners' ids are reported in `not_found`.",
    )
    filter = serializers.DictField(
        required=False, help_text="GET /assets/ list parameters: everything that matches. Never with `ids`."
    )


class BulkUpdateSerializer(BulkSelectionSerializer):
    add_tags = TagListField(required=False)
    remove_tags = TagListField(required=False)
    title = serializers.CharField(max_length=500, allow_blank=True, required=False)
    description = serializers.CharField(allow_blank=True, required=False, max_length=20_000)
    is_favorite = serializers.BooleanField(required=False)


class BulkDeleteSerializer(BulkSelectionSerializer):
    permanent = serializers.BooleanField(required=False, default=False)


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
