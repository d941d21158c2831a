import factory
from factory.django import DjangoModelFactory

from analytics.models import UsageEvent, UsageEventKind, UsageSource
from assets.tests.factories import AssetFactory


class UsageEventFactory(DjangoModelFactory):
    """An event of an asset; its owner is the asset's owner."""

    class Meta:
        model = UsageEvent

    asset = factory.SubFactory(AssetFactory)
    owner = factory.LazyAttribute(lambda o: o.asset.owner)
    kind = UsageEventKind.VIEWED
    source = UsageSource.API
