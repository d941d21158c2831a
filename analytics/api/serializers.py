"""Shapes of the statistics on the wire: the query parameters in, the figures out."""

import datetime as dt
import zoneinfo

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.selectors import DEFAULT_PERIOD, PERIODS, StatsParams
from assets.api.list_parameters import DATE_OR_DATETIME, time_zone_schema
from assets.models import Asset


@extend_schema_field(time_zone_schema())
class TimeZoneParam(serializers.CharField):
    default_error_messages = {"unknown": "'{value}' is not a known time zone (e.g. Europe/Paris)."}

    def to_internal_value(self, data):
        name = super().to_internal_value(data).strip()
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.fail("unknown", value=name)


@extend_schema_field(DATE_OR_DATETIME)
class DateOrDateTimeParam(serializers.CharField):
    """An ISO date (midnight in `tz`) or datetime (naive ones in `tz`), as in the asset list."""

    default_error_messages = {"malformed": "Use an ISO date (YYYY-MM-DD) or datetime."}

    def to_internal_value(self, data):
        text = super().to_internal_value(data).strip().replace("Z", "+00:00")
        if len(text) > 19 and text[-6] == " ":
            # An unencoded "+" in a query string arrives as a space.
            text = f"{text[:-6]}+{text[-5:]}"
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text)
        except ValueError:
            self.fail("malformed")


class StatsParamsSerializer(serializers.Serializer):
    """The query parameters of `GET /stats/` and `GET /stats/export.csv`. Empty ones are ignored."""

    period = serializers.ChoiceField(
        choices=PERIODS, default=DEFAULT_PERIOD, allow_blank=True,
        help_text="The over_time periods; weeks start on Monday.",
    )
    tz = TimeZoneParam(
        required=False, allow_blank=True,
        help_text="IANA time zone of the periods and of date-only bounds (default UTC).",
    )
    created_after = DateOrDateTimeParam(
        required=False, allow_blank=True,
        help_text="Only assets created, and events recorded, at or after this ISO date or datetime.",
    )
    created_before = DateOrDateTimeParam(
        required=False, allow_blank=True,
        help_text="Only assets created, and events recorded, before this ISO date or datetime.",
    )

    def to_internal_value(self, data):
        return super().to_internal_value({key: data[key] for key in data if data[key] != ""})

    def validate(self, attrs):
        tz = attrs.get("tz") or zoneinfo.ZoneInfo("UTC")
        for name in ("created_after", "created_before"):
            if name in attrs:
                attrs[name] = _aware(attrs[name], tz, name)
        after, before = attrs.get("created_after"), attrs.get("created_before")
        if after is not None and before is not None and after > before:
            raise serializers.ValidationError({"created_after": ["Must not be later than created_before."]})
        attrs["tz"] = tz
        return attrs

    def params(self) -> StatsParams:
        return StatsParams(**self.validated_data)


def _aware(value, tz, name) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    try:
        # Both clocks the figures use must be able to show it.
        value.astimezone(dt.UTC), value.astimezone(tz)
    except OverflowError:
        raise serializers.ValidationError({name: ["Out of range."]}) from None
    return value


class MoneyField(serializers.DecimalField):
    """An exact sum of costs, as a string with 4 decimal places (like Asset.cost)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=None, decimal_places=4, coerce_to_string=True, **kwargs)


@extend_schema_field(OpenApiTypes.DATETIME)
class PeriodStartField(serializers.Field):
    """The period's first instant, with the offset of the requested time zone."""

    def to_representation(self, value):
        return value.isoformat()


class StatsTotalsSerializer(serializers.Serializer):
    assets = serializers.IntegerField()
    by_type = serializers.DictField(child=serializers.IntegerField(), help_text="Every type, zeros included.")
    by_status = serializers.DictField(child=serializers.IntegerField(), help_text="Every status, zeros included.")
    by_module = serializers.DictField(child=serializers.IntegerField(), help_text="Modules with assets.")
    favorites = serializers.IntegerField()
    downloads = serializers.IntegerField(help_text="Sum of the assets' download_count.")
    shares = serializers.IntegerField(help_text="Sum of the assets' share_count.")
    cost = MoneyField()
    storage_bytes = serializers.IntegerField(help_text="Sum of file_size.")
    used = serializers.IntegerField(help_text="Assets with at least one usage.")
    unused = serializers.IntegerField(help_text="Assets never used (used + unused = assets).")
    unused_cost = MoneyField(help_text="The credits spent on the assets never used.")


class TopModelSerializer(serializers.Serializer):
    model = serializers.CharField()
    count = serializers.IntegerField()
    cost = MoneyField()


class TopModuleSerializer(serializers.Serializer):
    source_module = serializers.CharField()
    count = serializers.IntegerField()
    cost = MoneyField()


class AssetSummarySerializer(serializers.ModelSerializer):
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["id", "title", "type", "model", "source_module", "download_count", "share_count", "usage_count",
                  "thumbnail_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, asset):
        return _thumbnail_url(asset, self.context.get("request"))


def _thumbnail_url(asset, request) -> str | None:
    """The same URL as the full asset's `thumbnail_url`."""
    if not asset.thumbnail:
        return None
    path = reverse("api:asset-thumbnail", args=[asset.pk])
    return request.build_absolute_uri(path) if request is not None else path


class StatsPeriodSerializer(serializers.Serializer):
    period_start = PeriodStartField()
    assets = serializers.IntegerField(help_text="Assets created in the period (not in the trash).")
    cost = MoneyField(help_text="Their cost.")
    downloads = serializers.IntegerField(help_text="Downloads recorded in the period.")
    shares = serializers.IntegerField(help_text="Shares recorded in the period.")
    usages = serializers.IntegerField(help_text="Usages reported in the period (those of assets deleted since too).")

    COUNTS = ("assets", "downloads", "shares", "usages")

    def to_representation(self, row):
        """The fields' own output, written directly: a chart of days has hundreds of rows,
        and going through each field of each row costs more than the rest of the answer."""
        shown = {"period_start": row["period_start"].isoformat(), "cost": self.fields["cost"].to_representation(
            row["cost"])}
        shown.update((name, int(row[name])) for name in self.COUNTS)
        return {name: shown[name] for name in self.fields}


class StatsSerializer(serializers.Serializer):
    """The statistics' answer. Its fields document it (the OpenAPI schema); its output is
    written by to_representation directly, the same as the fields' (a test compares them):
    going through the nested serializers' fields cost a fifth of a request."""

    totals = StatsTotalsSerializer()
    cost_by_type = serializers.DictField(child=MoneyField())
    cost_by_module = serializers.DictField(child=MoneyField())
    top_models = TopModelSerializer(many=True, help_text="By count, highest first; ties by cost. At most 10.")
    top_modules = TopModuleSerializer(many=True, help_text="By count, highest first; ties by cost. At most 10.")
    most_downloaded = AssetSummarySerializer(many=True, help_text="Downloaded at least once; at most 10.")
    most_shared = AssetSummarySerializer(many=True, help_text="Shared at least once; at most 10.")
    most_used = AssetSummarySerializer(many=True, help_text="Used at least once, most usages first; at most 10.")
    over_time = StatsPeriodSerializer(many=True, help_text="Every period of the range, zero-filled.")

    def to_representation(self, stats):
        money = _MONEY.to_representation
        totals = stats["totals"]
        summary = _asset_summary(self.context.get("request"))
        return {
            "totals": {
                **{name: totals[name] for name in ("assets", "by_type", "by_status", "by_module", "favorites",
                                                    "downloads", "shares")},
                "cost": money(totals["cost"]),
                "storage_bytes": totals["storage_bytes"],
                "used": totals["used"],
                "unused": totals["unused"],
                "unused_cost": money(totals["unused_cost"]),
            },
            "cost_by_type": {name: money(cost) for name, cost in stats["cost_by_type"].items()},
            "cost_by_module": {name: money(cost) for name, cost in stats["cost_by_module"].items()},
            "top_models": [{"model": row["model"], "count": row["count"], "cost": money(row["cost"])}
                           for row in stats["top_models"]],
            "top_modules": [{"source_module": row["source_module"], "count": row["count"], "cost": money(row["cost"])}
                            for row in stats["top_modules"]],
            **{name: [summary(asset) for asset in stats[name]]
               for name in ("most_downloaded", "most_shared", "most_used")},
            "over_time": [_PERIOD.to_representation(row) for row in stats["over_time"]],
        }


_MONEY = MoneyField()
_PERIOD = StatsPeriodSerializer()


def _asset_summary(request):
    """AssetSummarySerializer's output, written directly."""

    def summary(asset) -> dict:
        return {
            "id": str(asset.id), "title": asset.title, "type": asset.type, "model": asset.model,
            "source_module": asset.source_module, "download_count": asset.download_count,
            "share_count": asset.share_count, "usage_count": asset.usage_count,
            "thumbnail_url": _thumbnail_url(asset, request),
        }

    return summary
