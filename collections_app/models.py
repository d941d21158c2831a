import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class CollectionQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner_id=user.pk)


class Collection(models.Model):
    """A named group of assets. Deleting it never deletes the assets."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asset_collections")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cover_asset = models.ForeignKey(
        "assets.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assets = models.ManyToManyField("assets.Asset", through="CollectionItem", related_name="collections")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="collection_name_unique_per_owner"),
        ]
        indexes = [models.Index(fields=["owner", "name"], name="collection_owner_name")]

    def __str__(self):
        return self.name


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="collection_items")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "asset"], name="collection_item_unique"),
        ]
        indexes = [models.Index(fields=["asset", "collection"], name="collection_item_asset")]
