"""POST /assets/bulk/delete/ (to the trash) and /assets/bulk/restore/: ids or filter, all or nothing,
gone from (or back in) the list at once, other owners' and unknown ids reported in not_found."""

import uuid

import pytest
from django.utils import timezone

from assets import extensions
from assets.models import Asset, AssetType
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"
BULK_DELETE = "/api/v1/assets/bulk/delete/"
BULK_RESTORE = "/api/v1/assets/bulk/restore/"


def post(client, url, body, status=200):
    response = client.post(url, body, format="json")
    assert response.status_code == status, response.json()
    return response.json()


def listed(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    return {item["id"] for item in body["results"]}, body["count"]


def trashed(asset):
    return Asset.objects.get(pk=asset.pk).deleted_at is not None


# --- delete (to the trash) -----------------------------------------------------------------------


def test_trash_by_ids_is_gone_from_the_list_at_once(api):
    first, second, kept = AssetFactory.create_batch(3, owner=api.user, text=True)

    body = post(api, BULK_DELETE, {"ids": [str(first.pk), str(second.pk)]})

    assert body == {"deleted": 2, "not_found": [], "ids": body["ids"]}
    assert set(body["ids"]) == {str(first.pk), str(second.pk)}  # what an undo restores
    assert listed(api) == ({str(kept.pk)}, 1)
    assert listed(api, in_trash="true") == ({str(first.pk), str(second.pk)}, 2)
    detail = api.get(f"{LIST}{first.pk}/").json()
    assert detail["deleted_at"] is not None


def test_permanent_false_is_the_trash(api):
    asset = AssetFactory(owner=api.user, text=True)

    assert post(api, BULK_DELETE, {"ids": [str(asset.pk)], "permanent": False}) == {
        "deleted": 1, "not_found": [], "ids": [str(asset.pk)]
    }
    assert trashed(asset)


def test_trash_reports_other_owners_unknown_and_already_trashed_ids(api, other_user):
    mine = AssetFactory(owner=api.user, text=True)
    theirs = AssetFactory(owner=other_user, text=True)
    already = AssetFactory(owner=api.user, text=True, trashed=True)
    unknown = str(uuid.uuid4())

    body = post(api, BULK_DELETE, {"ids": [unknown, str(theirs.pk), str(mine.pk), str(already.pk)]})

    assert body == {"deleted": 1, "not_found": [unknown, str(theirs.pk), str(already.pk)], "ids": [str(mine.pk)]}
    assert trashed(mine)
    assert not trashed(theirs)
    assert trashed(already)


def test_another_owners_assets_stay_in_their_list(api, other_api):
    theirs = AssetFactory(owner=other_api.user, text=True)

    post(api, BULK_DELETE, {"ids": [str(theirs.pk)]})

    assert listed(other_api) == ({str(theirs.pk)}, 1)


def test_trashing_twice_is_harmless(api):
    asset = AssetFactory(owner=api.user, text=True)
    body = {"ids": [str(asset.pk)]}

    post(api, BULK_DELETE, body)
    deleted_at = Asset.objects.get(pk=asset.pk).deleted_at
    again = post(api, BULK_DELETE, body)

    assert again == {"deleted": 0, "not_found": [str(asset.pk)], "ids": []}
    assert Asset.objects.get(pk=asset.pk).deleted_at == deleted_at


def test_trash_by_filter_takes_everything_that_matches(api, other_user):
    images = [AssetFactory(owner=api.user, type=AssetType.IMAGE) for _ in range(3)]
    text = AssetFactory(owner=api.user, text=True)
    theirs = AssetFactory(owner=other_user, type=AssetType.IMAGE)

    body = post(api, BULK_DELETE, {"filter": {"type": "image"}})

    assert body == {"deleted": 3, "not_found": [], "ids": body["ids"]}
    assert set(body["ids"]) == {str(a.pk) for a in images}
    assert all(trashed(a) for a in images)
    assert listed(api) == ({str(text.pk)}, 1)
    assert not trashed(theirs)


def test_trash_by_filter_with_search_and_tags(api):
    fox = AssetFactory(owner=api.user, text=True, title="Red fox", tags=["animals"])
    AssetFactory(owner=api.user, text=True, title="Red barn", tags=["farm"])
    AssetFactory(owner=api.user, text=True, title="Blue fox", tags=["farm"])

    assert post(api, BULK_DELETE, {"filter": {"q": "red", "tags": ["animals", "zzz"]}})["deleted"] == 1
    assert trashed(fox)


def test_trashing_is_all_or_nothing(api, request):
    assets = [AssetFactory(owner=api.user, text=True) for _ in range(3)]

    class FailingRecorder:
        def record(self, **kwargs):
            raise RuntimeError("the events table is unavailable")

        insert_sql = record

    # SQLite records the events after the UPDATE, PostgreSQL in the same statement.
    recorder = FailingRecorder()
    extensions.register_change_recorder(recorder)
    request.addfinalizer(lambda: extensions.unregister_change_recorder(recorder))
    with pytest.raises(RuntimeError):
        api.post(BULK_DELETE, {"ids": [str(a.pk) for a in assets]}, format="json")

    assert not any(trashed(a) for a in assets)
    assert listed(api)[1] == 3


def test_a_large_filter_trashes_everything_at_once(api):
    now = timezone.now()
    Asset.objects.bulk_create(
        [Asset(owner=api.user, type=AssetType.TEXT, source_module="story_writer", title=f"Bulk {n}",
               text_content="x", created_at=now, updated_at=now) for n in range(10_001)],
        batch_size=1000,
    )
    kept = AssetFactory(owner=api.user, text=True, source_module="blog_writer")

    body = post(api, BULK_DELETE, {"filter": {"source_module": "story_writer"}})

    assert body == {"deleted": 10_001, "not_found": []}  # too many to list ids for an undo
    assert listed(api) == ({str(kept.pk)}, 1)
    assert listed(api, in_trash="true")[1] == 10_001


# --- restore -------------------------------------------------------------------------------------


def test_restore_by_ids_brings_them_back_at_once(api):
    first, second = AssetFactory.create_batch(2, owner=api.user, text=True, trashed=True)

    body = post(api, BULK_RESTORE, {"ids": [str(first.pk), str(second.pk)]})

    assert body == {"restored": 2, "not_found": []}
    assert listed(api) == ({str(first.pk), str(second.pk)}, 2)
    assert listed(api, in_trash="true") == (set(), 0)


def test_restore_reports_other_owners_and_unknown_ids(api, other_user):
    mine = AssetFactory(owner=api.user, text=True, trashed=True)
    theirs = AssetFactory(owner=other_user, text=True, trashed=True)
    unknown = str(uuid.uuid4())

    body = post(api, BULK_RESTORE, {"ids": [str(theirs.pk), unknown, str(mine.pk)]})

    assert body == {"restored": 1, "not_found": [str(theirs.pk), unknown]}
    assert not trashed(mine)
    assert trashed(theirs)


def test_restoring_a_live_asset_changes_nothing(api):
    live = AssetFactory(owner=api.user, text=True)
    gone = AssetFactory(owner=api.user, text=True, trashed=True)

    body = post(api, BULK_RESTORE, {"ids": [str(live.pk), str(gone.pk)]})

    assert body["restored"] == 1
    assert listed(api)[1] == 2


def test_restore_by_filter_acts_on_the_trash(api, other_user):
    trashed_image = AssetFactory(owner=api.user, type=AssetType.IMAGE, trashed=True)
    trashed_text = AssetFactory(owner=api.user, text=True, trashed=True)
    AssetFactory(owner=api.user, type=AssetType.IMAGE)
    theirs = AssetFactory(owner=other_user, type=AssetType.IMAGE, trashed=True)

    assert post(api, BULK_RESTORE, {"filter": {"type": "image"}}) == {"restored": 1, "not_found": []}
    assert not trashed(trashed_image)
    assert trashed(trashed_text)
    assert trashed(theirs)
    assert post(api, BULK_RESTORE, {"filter": {}}) == {"restored": 1, "not_found": []}
    assert listed(api, in_trash="true") == (set(), 0)


def test_trash_then_restore_round_trip(api):
    assets = [AssetFactory(owner=api.user, text=True, tags=["kept"]) for _ in range(4)]
    ids = [str(a.pk) for a in assets]

    post(api, BULK_DELETE, {"ids": ids})
    assert listed(api)[1] == 0
    post(api, BULK_RESTORE, {"ids": ids})

    assert listed(api, tags="kept") == (set(ids), 4)


# --- bad bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [BULK_DELETE, BULK_RESTORE])
@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "non_field_errors"), ({"ids": [str(uuid.uuid4())], "filter": {}}, "non_field_errors"), ({"ids": []}, "ids"),
     ({"ids": ["not-a-uuid"]}, "ids"), ({"filter": {"nope": 1}}, "filter.nope"),
     ({"filter": {"type": "foo"}}, "filter.type")],
)
def test_bad_bodies_are_a_400_naming_the_problem(api, url, body, field):
    asset = AssetFactory(owner=api.user, text=True, trashed=(url == BULK_RESTORE))

    response = api.post(url, body, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert trashed(asset) is (url == BULK_RESTORE)


@pytest.mark.parametrize("url", [BULK_DELETE, BULK_RESTORE])
def test_more_than_10000_ids_is_a_400(api, url):
    asset = AssetFactory(owner=api.user, text=True, trashed=(url == BULK_RESTORE))
    ids = [str(asset.pk)] + [str(uuid.uuid4()) for _ in range(10_000)]

    response = api.post(url, {"ids": ids}, format="json")

    assert response.status_code == 400
    assert "ids" in response.json()
    assert trashed(asset) is (url == BULK_RESTORE)


def test_a_bad_permanent_value_is_a_400(api):
    asset = AssetFactory(owner=api.user, text=True)

    response = api.post(BULK_DELETE, {"ids": [str(asset.pk)], "permanent": "maybe"}, format="json")

    assert response.status_code == 400
    assert "permanent" in response.json()
    assert not trashed(asset)
