"""Shapes of assets on the wire. Rules live in services; these only parse and render."""

import json
from decimal import Decimal
from operator import attrgetter

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ParseError

from assets import extensions
from assets.api.strict_fields import CostField, JSONCharField
from assets.models import TEXT_EXCERPT_LENGTH, Asset, AssetStatus, AssetType, AssetUsage, UsageKind
from assets.modules import SLUG_RE
from config.json_limits import FIELD_DEPTH_LIMITS, MAX_METADATA_BYTES, check_text_depth, value_depth

FOUR_PLACES = Decimal("0.0001")


def _decimal(value):
    return None if value is None else format(Decimal(value).quantize(FOUR_PLACES), "f")


def _datetime(value):
    """As DRF renders datetimes: ISO 8601 in the current time zone, UTC as Z."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


class AssetSerializer(serializers.ModelSerializer):
    source_module_label = serializers.CharField(read_only=True)
    tags = serializers.SerializerMethodField()
    auto_tags = serializers.SerializerMethodField(
        help_text="The subset of `tags` that the system derived (not part of the v1 contract's required fields)."
    )
    cost = serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=True)
    file_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    collections = serializers.SerializerMethodField()
    text_content = serializers.CharField(
        allow_null=True, help_text="Text assets only, in full; null in lists (they carry `text_excerpt`)."
    )
    text_excerpt = serializers.SerializerMethodField(help_text="Text assets: the first 500 characters.")

    class Meta:
        model = Asset
        fields = [
            "id", "type", "status", "source_module", "source_module_label", "external_id",
            "title", "description", "prompt", "model", "provider", "tags", "auto_tags",
            "is_favorite", "cost", "file_url", "thumbnail_url", "mime_type", "file_size",
            "checksum_sha256", "width", "height", "duration_seconds", "text_content",
            "text_excerpt", "metadata", "parent", "download_count", "share_count", "usage_count", "error_message",
            "collections", "created_at", "updated_at", "deleted_at",
        ]
        read_only_fields = fields

    # The fields that are the asset's attribute as it is (the others are rendered below).
    _PLAIN_FIELDS = (
        "type", "status", "source_module", "source_module_label", "external_id", "title", "description",
        "prompt", "model", "provider", "is_favorite", "mime_type", "file_size", "checksum_sha256", "width",
        "height", "duration_seconds", "metadata", "download_count", "share_count", "usage_count", "error_message",
    )
    _read_plain = staticmethod(attrgetter(*_PLAIN_FIELDS))

    def to_representation(self, asset):
        """Meta.fields, each read straight from the asset: the shape DRF's field-by-field
        rendering gives (a test holds them equal), in a third of its time, which counts
        for lists of up to 200."""
        pairs = getattr(asset, "tag_pairs", None)
        if pairs is None:
            pairs = [(link.tag.name, link.auto) for link in asset.tagged_items.all()]
        rendered = dict(zip(self._PLAIN_FIELDS, self._read_plain(asset), strict=True))
        rendered.update({
            "id": str(asset.id),
            "tags": [name for name, _auto in pairs],
            "auto_tags": [name for name, auto in pairs if auto],
            "cost": _decimal(asset.cost),
            "file_url": self.get_file_url(asset),
            "thumbnail_url": self.get_thumbnail_url(asset),
            "text_content": None if self._in_list else asset.text_content,
            "text_excerpt": self.get_text_excerpt(asset),
            "parent": str(asset.parent_id) if asset.parent_id else None,
            "collections": self.get_collections(asset),
            "created_at": _datetime(asset.created_at),
            "updated_at": _datetime(asset.updated_at),
            "deleted_at": _datetime(asset.deleted_at),
        })
        return {name: rendered[name] for name in self.Meta.fields}

    @property
    def _in_list(self) -> bool:
        """Rendering a list (many=True): texts are left out, their excerpts stay."""
        return self.parent is not None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_text_excerpt(self, asset):
        if asset.type != AssetType.TEXT:
            return None
        if "text_content" in asset.get_deferred_fields():  # a list: the database cut it
            return getattr(asset, "text_excerpt_value", None)
        return asset.text_content[:TEXT_EXCERPT_LENGTH] if asset.text_content is not None else None

    def _asset_url(self, asset, suffix):
        base = self.context.get("_assets_url")
        if base is None:
            base = self.context["_assets_url"] = _absolute(self.context.get("request"), reverse("api:asset-list"))
        return f"{base}{asset.pk}/{suffix}/"

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, asset):
        return [link.tag.name for link in asset.tagged_items.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_auto_tags(self, asset):
        return [link.tag.name for link in asset.tagged_items.all() if link.auto]

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_collections(self, asset):
        return [str(pk) for pk in extensions.relation_values("collections", asset)]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, asset):
        if not asset.file and asset.type != AssetType.TEXT:
            return None
        if asset.type == AssetType.TEXT and not asset.file and not _has_text(asset):
            return None
        return self._asset_url(asset, "file")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, asset):
        if not asset.thumbnail:
            return None
        return self._asset_url(asset, "thumbnail")


def _has_text(asset) -> bool:
    """Whether a text asset has its text, without reading it when a list left it unread."""
    if "text_content" in asset.get_deferred_fields():
        return getattr(asset, "text_excerpt_value", None) is not None
    return asset.text_content is not None


class TagNameField(serializers.CharField):
    """A tag name exactly as sent: numbers and other non-strings are refused, not converted."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "array", "items": {"type": "string", "pattern": r"\S", "maxLength": 100}})
class TagListField(serializers.ListField):
    child = TagNameField(allow_blank=True, trim_whitespace=False, max_length=1000)


class AssetWriteFields(serializers.Serializer):
    """Fields common to create and update; shapes only (services hold the rules)."""

    status = serializers.ChoiceField(choices=AssetStatus.choices, required=False)
    title = serializers.CharField(max_length=500, allow_blank=True, required=False)
    description = serializers.CharField(allow_blank=True, required=False, max_length=20_000)
    prompt = serializers.CharField(allow_blank=True, required=False, max_length=50_000)
    model = serializers.CharField(allow_blank=True, required=False, max_length=200)
    provider = serializers.CharField(allow_blank=True, required=False, max_length=100)
    tags = TagListField(required=False)
    is_favorite = serializers.BooleanField(required=False)
    cost = CostField(required=False)
    metadata = serializers.JSONField(required=False)
    error_message = serializers.CharField(allow_blank=True, required=False, max_length=10_000)
    # Its size limit is MAX_TEXT_UPLOAD_SIZE bytes of UTF-8, checked by the service (413).
    text_content = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)

    def validate_metadata(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Send a JSON object.")
        depth_limit = FIELD_DEPTH_LIMITS["metadata"]
        if value_depth(value, limit=depth_limit) > depth_limit:
            raise serializers.ValidationError(f"Nested too deeply: at most {depth_limit} levels.")
        if len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) > MAX_METADATA_BYTES:
            raise serializers.ValidationError(f"Metadata may be at most {MAX_METADATA_BYTES // 1024} KB as JSON.")
        if _contains_nul(value):
            # PostgreSQL's jsonb cannot store U+0000; refuse it here rather than fail on save.
            raise serializers.ValidationError("Metadata cannot contain NUL (U+0000) characters.")
        return value

    def to_internal_value(self, data):
        # Multipart sends tags and metadata as strings; accept JSON text for them.
        if hasattr(data, "getlist"):
            data = _multipart_to_dict(data)
        return super().to_internal_value(data)


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _multipart_to_dict(data):
    result = {}
    for key in data:
        values = data.getlist(key)
        result[key] = values[0] if len(values) == 1 else values
    raw = result.get("metadata")
    if isinstance(raw, str):
        try:
            check_text_depth('{"metadata":' + raw + "}")
            result["metadata"] = json.loads(raw)
        except ParseError as exc:
            raise serializers.ValidationError(exc.detail) from exc
        except (ValueError, RecursionError):
            pass  # left as text, which is then refused as not an object
    raw = result.get("tags")
    if isinstance(raw, str):
        # A JSON list, or comma-separated names as a form sends them ("2024" is a name, not a number).
        if raw.lstrip().startswith("["):
            try:
                result["tags"] = json.loads(raw)
            except ValueError:
                pass  # left as text, which is then refused as not a list
        else:
            result["tags"] = [part for part in raw.split(",") if part.strip()]
    return result


class AssetCreateSerializer(AssetWriteFields):
    type = serializers.ChoiceField(choices=AssetType.choices, required=False)
    source_module = serializers.RegexField(
        SLUG_RE, max_length=50, error_messages={"invalid": "Use 1-50 lowercase letters, digits or underscores."}
    )
    external_id = serializers.CharField(max_length=255, required=False, allow_null=True, allow_blank=False)
    parent = serializers.UUIDField(required=False, allow_null=True)


class AssetUpdateSerializer(AssetWriteFields):
    pass


class AssetCreatedSerializer(AssetSerializer):
    duplicate = serializers.BooleanField(
        read_only=True,
        help_text="True when the uploaded file's checksum matched an existing asset, which is returned instead.",
    )

    class Meta(AssetSerializer.Meta):
        fields = [*AssetSerializer.Meta.fields, "duplicate"]
        read_only_fields = fields


class UsageSerializer(serializers.ModelSerializer):
    source_module_label = serializers.CharField(read_only=True)
    target_url = serializers.CharField(read_only=True, help_text="An http or https address, or empty.")

    class Meta:
        model = AssetUsage
        fields = ["id", "asset", "source_module", "source_module_label", "kind", "target_url", "target_title",
                  "external_ref", "created_at"]
        read_only_fields = fields


class JSONRegexField(serializers.RegexField):
    """A string (never a number turned into one) that matches `regex`, stated in the schema."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class UsageCreateSerializer(serializers.Serializer):
    """A usage report (JSON). Its rules are assets.usages'; these fields state them in the
    schema (the same patterns and lengths, on the text as sent: nothing is trimmed first)
    and refuse what is not a string."""

    source_module = JSONRegexField(r"^[a-z0-9_]{1,50}$", max_length=50, trim_whitespace=False,
                                   help_text="The reporting module's slug.")
    kind = serializers.ChoiceField(choices=UsageKind.choices)
    target_title = JSONRegexField(r"\S", max_length=300, trim_whitespace=False,
                                  help_text="The title of where it is used.")
    target_url = JSONRegexField(r"^https?://[^\s/?#\[\]]+\S*$", max_length=2000, required=False, allow_blank=True,
                                trim_whitespace=False, help_text="An http or https address with a host.")
    external_ref = JSONCharField(max_length=255, required=False, allow_null=True, allow_blank=True,
                                 trim_whitespace=False,
                                 help_text="The module's own reference: the same again from the same module is "
                                           "the same usage (200).")
