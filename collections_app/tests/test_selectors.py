import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assets.tests.factories import AssetFactory
from collections_app import selectors
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory
from config.api_errors import NotFound

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _in(collection, **asset_fields):
    asset = AssetFactory(owner=collection.owner, **asset_fields)
    CollectionItemFactory(collection=collection, asset=asset)
    return asset


def test_asset_count_leaves_out_trashed_assets(user):
    collection = CollectionFactory(owner=user)
    _in(collection)
    _in(collection)
    _in(collection, deleted_at=NOW)
    empty = CollectionFactory(owner=user)

    assert selectors.collection_get(owner=user, collection_id=collection.pk).asset_count == 2
    assert selectors.collection_get(owner=user, collection_id=empty.pk).asset_count == 0


def test_cover_defaults_to_newest_live_asset(user):
    collection = CollectionFactory(owner=user)
    _in(collection, created_at=NOW - dt.timedelta(days=3))
    newest_live = _in(collection, created_at=NOW - dt.timedelta(days=1))
    _in(collection, created_at=NOW, deleted_at=NOW)  # newer, but in the trash
    _in(collection, created_at=NOW - dt.timedelta(days=2))

    assert selectors.collection_get(owner=user, collection_id=collection.pk).effective_cover_id == newest_live.pk


def test_chosen_cover_wins_and_a_trashed_one_falls_back_to_the_default(user):
    collection = CollectionFactory(owner=user)
    newest = _in(collection, created_at=NOW)
    chosen = AssetFactory(owner=user, created_at=NOW - dt.timedelta(days=9))  # need not be in the collection
    collection.cover_asset = chosen
    collection.save()

    assert selectors.collection_get(owner=user, collection_id=collection.pk).effective_cover_id == chosen.pk

    chosen.deleted_at = NOW
    chosen.save()
    assert selectors.collection_get(owner=user, collection_id=collection.pk).effective_cover_id == newest.pk


def test_empty_collection_has_no_cover(user):
    collection = CollectionFactory(owner=user)
    found = selectors.collection_get(owner=user, collection_id=collection.pk)
    assert found.effective_cover_id is None
    assert found.cover_preview == ""


def test_cover_preview_says_which_picture_exists(user):
    with_file = CollectionFactory(owner=user)
    _in(with_file)  # an image with a file, no thumbnail yet
    text_only = CollectionFactory(owner=user)
    _in(text_only, type="text")
    with_thumbnail = CollectionFactory(owner=user)
    asset = _in(with_thumbnail)
    asset.thumbnail.name = "thumbnails/x.webp"
    asset.save()

    def preview(collection):
        return selectors.collection_get(owner=user, collection_id=collection.pk).cover_preview

    assert preview(with_file) == "file"
    assert preview(text_only) == ""
    assert preview(with_thumbnail) == "thumbnail"


def test_collection_get_is_scoped_to_the_owner(user, other_user):
    theirs = CollectionFactory(owner=other_user)
    with pytest.raises(NotFound):
        selectors.collection_get(owner=user, collection_id=theirs.pk)
    with pytest.raises(NotFound):
        selectors.collection_get(owner=user, collection_id=uuid.uuid4())
    with pytest.raises(NotFound):
        selectors.collection_get(owner=user, collection_id="not-a-uuid")


def test_collection_list_orders_and_searches(user, other_user):
    CollectionFactory(owner=user, name="beta")
    CollectionFactory(owner=user, name="Alpha")
    CollectionFactory(owner=user, name="gamma")
    CollectionFactory(owner=other_user, name="Also alpha")

    assert [c.name for c in selectors.collection_list(owner=user)] == ["Alpha", "beta", "gamma"]
    assert [c.name for c in selectors.collection_list(owner=user, params={"ordering": "-name"})] == [
        "gamma", "beta", "Alpha",
    ]
    assert [c.name for c in selectors.collection_list(owner=user, params={"q": "ALP"})] == ["Alpha"]


@pytest.mark.parametrize(
    ("params", "field"), [({"ordering": "nope"}, "ordering"), ({"q": "x" * 201}, "q")]
)
def test_collection_list_rejects_bad_parameters(user, params, field):
    with pytest.raises(ValidationError) as excinfo:
        selectors.collection_list(owner=user, params=params)
    assert field in excinfo.value.message_dict
