from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UsageEventKind(models.TextChoices):
    CREATED = "created", "Created"
    DOWNLOADED = "downloaded", "Downloaded"
    SHARED = "shared", "Shared"
    VIEWED = "viewed", "Viewed"
    EDITED = "edited", "Edited"
    DELETED = "deleted", "Deleted"
    RESTORED = "restored", "Restored"


class UsageSource(models.TextChoices):
    UI = "ui", "Web UI"
    API = "api", "API"
    SHARE = "share", "Share link"


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
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="usage_events")
    asset = models.ForeignKey(
        "assets.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="usage_events"
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

    def __str__(self):
        return f"{self.get_kind_display()} {self.asset_id or '(purged asset)'} via {self.source}"
