import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from assets.tests.factories import UserFactory
from collections_app.models import Collection, CollectionItem, ShareKind, ShareLink, ShareLinkItem


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


class ShareLinkFactory(DjangoModelFactory):
    """A selection link. Pass `assets=[...]` (the owner's) for its frozen items; for a
    collection link pass kind=ShareKind.COLLECTION and collection=... ; `password=` sets one."""

    class Meta:
        model = ShareLink
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    kind = ShareKind.SELECTION
    title = factory.Sequence(lambda n: f"Link {n}")

    @factory.post_generation
    def assets(obj, create, extracted, **kwargs):
        if create and extracted:
            ShareLinkItem.objects.bulk_create([ShareLinkItem(share_link=obj, asset=asset) for asset in extracted])

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        if extracted:
            obj.password_hash = make_password(extracted)
            if create:
                obj.save(update_fields=["password_hash"])
