import factory
from factory.django import DjangoModelFactory

from assets.tests.factories import UserFactory
from collections_app.models import Collection, CollectionItem


class CollectionFactory(DjangoModelFactory):
    class Meta:
        model = Collection

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Collection {n}")
    description = ""


class CollectionItemFactory(DjangoModelFactory):
    """A membership. The asset defaults to one of the collection owner's."""

    class Meta:
        model = CollectionItem

    collection = factory.SubFactory(CollectionFactory)
    asset = factory.SubFactory(
        "assets.tests.factories.AssetFactory", owner=factory.SelfAttribute("..collection.owner")
    )
