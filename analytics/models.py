import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assets.extensions import AssetChange
from assets.models import Asset
from common.request_source import RequestSource


class RollupSQL(pgtrigger.Func):
    """A trigger body from analytics.sql, read when the trigger is compiled (that module
    builds its statements from these models' metadata)."""

    def render(self, **kwargs):
        from analytics import sql

        return getattr(sql, self.func)


def rollup_triggers(prefix: str) -> list:
    """The three statement-level triggers that keep the rollups following one table
    (`prefix`: assets or events), with bodies analytics.sql.<PREFIX>_INSERTED and so on."""
    kinds = (
        ("inserted", pgtrigger.Insert, pgtrigger.Referencing(new="new_rows")),
        ("updated", pgtrigger.Update, pgtrigger.Referencing(old="old_rows", new="new_rows")),
        ("deleted", pgtrigger.Delete, pgtrigger.Referencing(old="old_rows")),
    )
    return [
        pgtrigger.Trigger(
            name=f"rollups_{prefix}_{kind}", when=pgtrigger.After, operation=operation, level=pgtrigger.Statement,
            referencing=referencing, declare=[("concerned", "record")],
            func=RollupSQL(f"{prefix.upper()}_{kind.upper()}"),
        )
        for kind, operation, referencing in kinds
    ]


# An event's kind is what happened to its asset (assets.extensions.AssetChange).
UsageEventKind = AssetChange


# Events record where the request came from (common.request_source).
UsageSource = RequestSource


class UsageEventQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner_id=user.pk)

    def of_kind(self, *kinds):
        return self.filter(kind__in=kinds)


class UsageEvent(models.Model):
    """One thing that happened to an asset, recorded by the service that did it.

    Append-only history: `asset` becomes NULL when the asset is purged, so the figures
    over time survive deletions. Asset.download_count and share_count are kept equal to
    the number of 'downloaded' and 'shared' events of that asset by the same services.
    """

    id = models.BigAutoField(primary_key=True)
    # No database constraints on owner and asset: Django still deletes a user's events and
    # sets `asset` to NULL when the asset is purged, but a bulk action's events (100,000
    # 'deleted' when that many assets go to the trash) do not pay two deferred foreign-key
    # checks each, which took longer than the action itself. The owner is indexed by
    # usage_event_owner_kind_time, which leads with it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="usage_events", db_index=False,
        db_constraint=False,
    )
    asset = models.ForeignKey(
        "assets.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="usage_events",
        db_constraint=False,
    )
    kind = models.CharField(max_length=12, choices=UsageEventKind.choices)
    source = models.CharField(max_length=8, choices=UsageSource.choices, default=UsageSource.API)
    # The share link the event came through. A plain UUID until share links exist.
    share_link_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UsageEventQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UsageEventKind.values), name="usage_event_kind_valid"),
            models.CheckConstraint(condition=Q(source__in=UsageSource.values), name="usage_event_source_valid"),
        ]
        indexes = [
            # The statistics' activity over time: one owner's events of some kinds in a range.
            models.Index(fields=["owner", "kind", "created_at"], name="usage_event_owner_kind_time"),
        ]
        triggers = rollup_triggers("events")

    def __str__(self):
        return f"{self.get_kind_display()} {self.asset_id or '(purged asset)'} via {self.source}"


class RolledUpAsset(Asset):
    """The assets as the rollups watch them: the triggers that keep the rollups are this
    app's, declared here on the assets table (the core knows nothing of them)."""

    class Meta:
        proxy = True
        triggers = rollup_triggers("assets")


# Rollups: running totals of the assets table and the usage events, so that /stats/ reads
# a few thousand summary rows instead of every asset (half a million for a big library).
# PostgreSQL keeps them (analytics.sql: statement-level triggers), so every write counts,
# whichever code path makes it: services, bulk SQL, the admin, seed commands. SQLite
# keeps none: the statistics count the rows there. They hold live assets only (not in the trash).
# Rows whose figures all fell to zero stay until `rollups_compact` removes them.
#
# `owner` is a plain column to Django (no cascade, no constraint): deleting a user deletes
# their assets and events first, and the triggers then bring these rows to zero.
class Rollup(models.Model):
    """What every rollup row has: its owner, as a plain column to Django (see above)."""

    id = models.BigAutoField(primary_key=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )

    class Meta:
        abstract = True


class OwnerTotals(Rollup):
    """All of an owner's live assets by type, status and module, with their sums: the asset
    list's exact count for the filters these columns answer, and the whole library's
    statistics, without counting half a million rows (or summing a row per day)."""

    type = models.CharField(max_length=10)
    status = models.CharField(max_length=12)
    source_module = models.CharField(max_length=50)
    assets = models.BigIntegerField(default=0)
    cost = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    favorites = models.BigIntegerField(default=0)
    downloads = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    storage_bytes = models.BigIntegerField(default=0)
    used = models.BigIntegerField(default=0)  # with at least one usage
    unused_cost = models.DecimalField(max_digits=24, decimal_places=4, default=0)  # the cost of the others

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "type", "status", "source_module"], name="owner_totals_key"),
        ]

    def __str__(self):
        return f"{self.type}/{self.status}/{self.source_module}: {self.assets}"


class DayTotals(Rollup):
    """Live assets created on one UTC day, by type, status and module, with their sums."""

    day = models.DateField()
    type = models.CharField(max_length=10)
    status = models.CharField(max_length=12)
    source_module = models.CharField(max_length=50)
    assets = models.BigIntegerField(default=0)
    cost = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    favorites = models.BigIntegerField(default=0)
    downloads = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    storage_bytes = models.BigIntegerField(default=0)
    used = models.BigIntegerField(default=0)  # with at least one usage
    unused_cost = models.DecimalField(max_digits=24, decimal_places=4, default=0)  # the cost of the others

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "day", "type", "status", "source_module"], name="day_totals_key"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.type}/{self.status}/{self.source_module}: {self.assets}"


class DayModelTotals(Rollup):
    """Live assets created on one UTC day with one model: count and cost."""

    day = models.DateField()
    model = models.CharField(max_length=200)
    assets = models.BigIntegerField(default=0)
    cost = models.DecimalField(max_digits=24, decimal_places=4, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day", "model"], name="day_model_totals_key")]

    def __str__(self):
        return f"{self.day} {self.model or '(no model)'}: {self.assets}"


class SlotTotals(Rollup):
    """One quarter of an hour (UTC): live assets created in it, and downloads, shares and usages recorded.

    Fifteen minutes because every time zone's midnight falls on one (UTC+5:45, UTC+12:45),
    so days, weeks and months on any clock are whole numbers of slots.
    """

    slot = models.DateTimeField()
    assets = models.BigIntegerField(default=0)
    cost = models.DecimalField(max_digits=24, decimal_places=4, default=0)
    downloads = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    usages = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "slot"], name="slot_totals_key")]

    def __str__(self):
        return f"{self.slot:%Y-%m-%d %H:%M}: {self.assets} assets"
