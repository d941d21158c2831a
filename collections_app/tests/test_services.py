import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets.models import Asset
from assets.tests.factories import AssetFactory
from collections_app import services
from collections_app.models import Collection, CollectionItem
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory
from config.api_errors import NotFound

pytestmark = pytest.mark.django_db


def _errors(excinfo):
    return excinfo.value.message_dict


# --- create / update -------------------------------------------------------------------


def test_create_trims_the_name(user):
    collection = services.collection_create(owner=user, name="  Summer campaign \n", description="For Q3")
    collection.refresh_from_db()
    assert collection.name == "Summer campaign"
    assert collection.description == "For Q3"
    assert collection.owner == user
    assert collection.cover_asset is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, "a\x00b"])
def test_create_rejects_a_bad_name(user, name):
    with pytest.raises(ValidationError) as excinfo:
        services.collection_create(owner=user, name=name)
    assert "name" in _errors(excinfo)
    assert not Collection.objects.exists()


def test_a_name_of_200_characters_is_fine(user):
    assert services.collection_create(owner=user, name=" " + "x" * 200 + " ").name == "x" * 200


def test_names_are_unique_per_owner_whatever_the_case(user, other_user):
    services.collection_create(owner=user, name="Campaign")
    with pytest.raises(ValidationError) as excinfo:
        services.collection_create(owner=user, name="  cAMPAIGN ")
    assert list(_errors(excinfo)) == ["name"]
    # Another owner may use it.
    services.collection_create(owner=other_user, name="campaign")
    assert Collection.objects.count() == 2


def test_a_concurrent_duplicate_caught_by_the_database_is_still_a_name_error(user, monkeypatch):
    services.collection_create(owner=user, name="Campaign")
    real_check = services._name_taken
    calls = []

    def misses_the_first_time(collection):
        # As if another request inserted the same name between the check and the INSERT.
        calls.append(collection.name)
        return False if len(calls) == 1 else real_check(collection)

    monkeypatch.setattr(services, "_name_taken", misses_the_first_time)
    with pytest.raises(ValidationError) as excinfo:
        services.collection_create(owner=user, name="CAMPAIGN")
    assert list(_errors(excinfo)) == ["name"]
    assert len(calls) == 2
    assert Collection.objects.count() == 1


def test_description_is_limited(user):
    with pytest.raises(ValidationError) as excinfo:
        services.collection_create(owner=user, name="A", description="x" * 20_001)
    assert "description" in _errors(excinfo)


def test_update_can_change_only_the_case_of_its_own_name(user):
    collection = services.collection_create(owner=user, name="campaign")
    services.collection_update(collection=collection, name="Campaign")
    collection.refresh_from_db()
    assert collection.name == "Campaign"


def test_update_to_a_taken_name_fails_and_leaves_the_instance_as_stored(user):
    services.collection_create(owner=user, name="Taken")
    collection = services.collection_create(owner=user, name="Mine", description="kept")
    with pytest.raises(ValidationError) as excinfo:
        services.collection_update(collection=collection, name="taken", description="changed")
    assert list(_errors(excinfo)) == ["name"]
    assert (collection.name, collection.description) == ("Mine", "kept")
    collection.refresh_from_db()
    assert (collection.name, collection.description) == ("Mine", "kept")


def test_update_changes_only_what_is_given(user):
    asset = AssetFactory(owner=user)
    collection = services.collection_create(owner=user, name="A", description="d", cover_asset_id=asset.pk)
    services.collection_update(collection=collection, description="")
    collection.refresh_from_db()
    assert (collection.name, collection.description, collection.cover_asset_id) == ("A", "", asset.pk)
    services.collection_update(collection=collection, cover_asset_id=None)
    collection.refresh_from_db()
    assert collection.cover_asset_id is None


def test_cover_must_be_one_of_the_owners_live_assets(user, other_user):
    theirs = AssetFactory(owner=other_user)
    trashed = AssetFactory(owner=user, deleted_at=timezone.now())
    for bad in (theirs.pk, trashed.pk, "not-a-uuid"):
        with pytest.raises(ValidationError) as excinfo:
            services.collection_create(owner=user, name=f"A {bad}", cover_asset_id=bad)
        assert list(_errors(excinfo)) == ["cover_asset"]
    collection = services.collection_create(owner=user, name="B")
    with pytest.raises(ValidationError):
        services.collection_update(collection=collection, name="C", cover_asset_id=theirs.pk)
    assert (collection.name, collection.cover_asset_id) == ("B", None)
    assert Collection.objects.get().cover_asset_id is None


def test_renaming_works_while_the_chosen_cover_is_in_the_trash(user):
    asset = AssetFactory(owner=user)
    collection = services.collection_create(owner=user, name="A", cover_asset_id=asset.pk)
    Asset.objects.filter(pk=asset.pk).update(deleted_at=timezone.now())
    services.collection_update(collection=collection, name="B")
    collection.refresh_from_db()
    assert (collection.name, collection.cover_asset_id) == ("B", asset.pk)


# --- delete --------------------------------------------------------------------------


def test_deleting_a_collection_keeps_its_assets(user):
    collection = CollectionFactory(owner=user)
    items = CollectionItemFactory.create_batch(3, collection=collection)
    other = CollectionFactory(owner=user)
    CollectionItemFactory(collection=other, asset=items[0].asset)

    services.collection_delete(collection=collection)

    assert not Collection.objects.filter(pk=collection.pk).exists()
    assert Asset.objects.filter(pk__in=[item.asset_id for item in items]).count() == 3
    assert list(CollectionItem.objects.values_list("collection_id", "asset_id")) == [(other.pk, items[0].asset_id)]


# --- add / remove --------------------------------------------------------------------


def test_add_counts_only_new_memberships(user):
    collection = CollectionFactory(owner=user)
    already = CollectionItemFactory(collection=collection).asset
    new = AssetFactory.create_batch(2, owner=user)
    ids = [already.pk, *(asset.pk for asset in new)]

    added = services.collection_add_assets(collection=collection, assets=Asset.objects.filter(pk__in=ids))

    assert added == 2
    assert set(collection.assets.values_list("pk", flat=True)) == set(ids)
    assert services.collection_add_assets(collection=collection, assets=Asset.objects.filter(pk__in=ids)) == 0
    assert collection.items.count() == 3


def test_add_never_takes_another_owners_assets(user, other_user):
    collection = CollectionFactory(owner=user)
    mine = AssetFactory(owner=user)
    AssetFactory(owner=other_user)

    assert services.collection_add_assets(collection=collection, assets=Asset.objects.all()) == 1
    assert list(collection.assets.all()) == [mine]


def test_an_asset_can_be_in_many_collections(user):
    asset = AssetFactory(owner=user)
    first, second = CollectionFactory.create_batch(2, owner=user)
    for collection in (first, second):
        services.collection_add_assets(collection=collection, assets=Asset.objects.filter(pk=asset.pk))
    assert set(asset.collections.all()) == {first, second}


def test_add_touches_updated_at_only_when_something_changed(user):
    old = timezone.now() - dt.timedelta(days=1)
    collection = CollectionFactory(owner=user)
    Collection.objects.filter(pk=collection.pk).update(updated_at=old)
    asset = AssetFactory(owner=user)

    services.collection_add_assets(collection=collection, assets=Asset.objects.none())
    assert Collection.objects.get(pk=collection.pk).updated_at == old
    services.collection_add_assets(collection=collection, assets=Asset.objects.filter(pk=asset.pk))
    assert Collection.objects.get(pk=collection.pk).updated_at > old


def test_add_is_all_or_nothing(user, monkeypatch):
    collection = CollectionFactory(owner=user)
    AssetFactory.create_batch(5, owner=user)
    monkeypatch.setattr(services, "INSERT_BATCH_SIZE", 2)  # several INSERTs before the failure

    def fail(collection):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "_touch", fail)
    with pytest.raises(RuntimeError):
        services.collection_add_assets(collection=collection, assets=Asset.objects.all())
    assert not CollectionItem.objects.exists()


def test_add_to_a_collection_deleted_meanwhile_is_not_found(user):
    collection = CollectionFactory(owner=user)
    AssetFactory(owner=user)
    Collection.objects.filter(pk=collection.pk).delete()
    with pytest.raises(NotFound):
        services.collection_add_assets(collection=collection, assets=Asset.objects.all())


def test_add_takes_a_few_queries_not_a_query_per_asset(user):
    # That they hold one INSERT for all 30: assets/tests/test_query_plans.py.
    collection = CollectionFactory(owner=user)
    AssetFactory.create_batch(30, owner=user)
    with CaptureQueriesContext(connection) as queries:
        assert services.collection_add_assets(collection=collection, assets=Asset.objects.all()) == 30
    assert len(queries) <= 7  # savepoint/lock, read new ids, insert, touch, the activity's row
    assert collection.items.count() == 30


def test_remove_keeps_the_assets(user):
    # That it takes one DELETE: assets/tests/test_query_plans.py.
    collection = CollectionFactory(owner=user)
    items = CollectionItemFactory.create_batch(4, collection=collection)
    outside = AssetFactory(owner=user)
    ids = [items[0].asset_id, items[1].asset_id, outside.pk]

    removed = services.collection_remove_assets(collection=collection, assets=Asset.objects.filter(pk__in=ids))

    assert removed == 2
    assert set(collection.items.values_list("asset_id", flat=True)) == {items[2].asset_id, items[3].asset_id}
    assert Asset.objects.filter(pk__in=ids).count() == 3


def test_remove_only_touches_this_collection(user):
    asset = AssetFactory(owner=user)
    first, second = CollectionFactory.create_batch(2, owner=user)
    CollectionItemFactory(collection=first, asset=asset)
    CollectionItemFactory(collection=second, asset=asset)

    assert services.collection_remove_assets(collection=first, assets=Asset.objects.filter(pk=asset.pk)) == 1
    assert list(asset.collections.all()) == [second]


def test_remove_keeps_a_chosen_cover(user):
    asset = AssetFactory(owner=user)
    collection = services.collection_create(owner=user, name="A", cover_asset_id=asset.pk)
    services.collection_add_assets(collection=collection, assets=Asset.objects.filter(pk=asset.pk))
    services.collection_remove_assets(collection=collection, assets=Asset.objects.filter(pk=asset.pk))
    collection.refresh_from_db()
    assert collection.cover_asset_id == asset.pk
